"""GeoJSON reading on CPU work alone: ``read_map_file`` against ``json.loads``, with the garbage
collector off for both (a script, not a test; see docs/formats.md).

    python benchmarks/geojson_cpu.py [--megabytes 10]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.formats import make_geojson
from wagtail_umap.formats import Limits, read_map_file


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    path = Path(tempfile.gettempdir()) / f"wagtail-umap-{args.megabytes}mb.geojson"
    if not path.exists():
        make_geojson(path, args.megabytes * 1_000_000)
    data = path.read_bytes()
    limits = Limits(max_bytes=10**9, max_features=10**7, max_vertices=10**8)
    gc.disable()
    plain = best_of(5, lambda: json.loads(data))
    ours = best_of(5, lambda: read_map_file("bench.geojson", data, limits))
    print(f"json.loads {plain:.3f} s, read_map_file {ours:.3f} s: {ours / plain:.2f}x")


if __name__ == "__main__":
    main()
