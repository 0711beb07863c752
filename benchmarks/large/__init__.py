"""Support of benchmarks/large_data.py: settings, WSGI app, data generators, baseline pages."""
