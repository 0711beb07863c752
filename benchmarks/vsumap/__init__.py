"""Pieces of benchmarks/vs_umap.py: the files uMap's own Python and Node run."""
