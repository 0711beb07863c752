"""Speed and memory of the map file readers (a script, not a test).

    python benchmarks/formats.py [--scale 1.0]

Generates, without the network, a 100,000-row CSV, a ~50 MB GeoJSON and a ~20 MB KML in a
temporary folder, then measures ``read_map_file`` on each, beside a plain ``json.load`` of the
same GeoJSON. Each measurement runs in a fresh subprocess so that its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own: peak RSS is what the server pays,
and it counts what tracemalloc does not (the C json parser's buffers, the bytes read, the
interpreter). The RSS of the idle subprocess (Python with the package imported, and the file's
bytes in memory) is reported apart, and "extra RSS" is the peak minus that baseline.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

MEASURE = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
from wagtail_umap.formats import Limits, read_map_file
limits = Limits(max_bytes=10**9, max_features=10**7, max_vertices=10**8)
data = open(path, "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if kind == "json.load":
    with open(path, "rb") as handle:
        value = json.load(handle)
    count = len(value["features"])
else:
    result = read_map_file(path, data, limits)
    count = sum(len(layer["features"]) for layer in result.document["layers"])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "base_kb": base, "peak_kb": peak, "features": count}))
"""


def make_geojson(path: Path, target_bytes: int) -> None:
    rng = random.Random(1)
    features, size = [], 0
    i = 0
    while size < target_bytes:
        kind = i % 3
        lng, lat = rng.uniform(-5, 9), rng.uniform(41, 51)
        if kind == 0:
            geometry = {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}
        elif kind == 1:
            line = [[round(lng + k * 1e-3, 6), round(lat + k * 1e-3, 6)] for k in range(10)]
            geometry = {"type": "LineString", "coordinates": line}
        else:
            ring = [
                [round(lng + dx, 6), round(lat + dy, 6)]
                for dx, dy in ((0, 0), (1e-3, 0), (1e-3, 1e-3), (0, 1e-3), (0, 0))
            ]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        feature = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"name": f"Lieu {i}", "code": str(10000 + i), "valeur": i * 0.5},
        }
        text = json.dumps(feature, separators=(",", ":"))
        features.append(text)
        size += len(text) + 1
        i += 1
    path.write_text('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}")


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(2)
    lines = ["nom;latitude;longitude;commune;valeur"]
    for i in range(rows):
        lat, lng = rng.uniform(41, 51), rng.uniform(-5, 9)
        lines.append(f"Lieu {i};{lat:.6f};{lng:.6f};Commune {i % 500};{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_kml(path: Path, target_bytes: int) -> None:
    rng = random.Random(3)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><name>Bench</name><Folder><name>Lieux</name>\n"
    )
    parts, size, i = [head], len(head), 0
    while size < target_bytes:
        lng, lat = rng.uniform(-5, 9), rng.uniform(41, 51)
        if i % 2:
            coords = " ".join(f"{lng + k * 1e-3:.6f},{lat + k * 1e-3:.6f}" for k in range(10))
            geometry = f"<LineString><coordinates>{coords}</coordinates></LineString>"
        else:
            geometry = f"<Point><coordinates>{lng:.6f},{lat:.6f}</coordinates></Point>"
        text = (
            f"<Placemark><name>Lieu {i}</name><description>n° {i}</description>"
            f"{geometry}</Placemark>\n"
        )
        parts.append(text)
        size += len(text)
        i += 1
    parts.append("</Folder></Document></kml>\n")
    path.write_text("".join(parts), encoding="utf-8")


def measure(kind: str, path: Path) -> dict:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, str(path)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    return json.loads(output)


def has_module(name: str) -> bool:
    return importlib.util.find_spec(f"wagtail_umap.formats.{name}") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink or grow the files")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {platform.platform()}")  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        geojson = folder / "bench.geojson"
        make_geojson(geojson, int(50_000_000 * args.scale))
        cases = [("json.load", geojson), ("read_map_file", geojson)]
        if has_module("csv"):
            make_csv(folder / "bench.csv", int(100_000 * args.scale))
            cases.append(("read_map_file", folder / "bench.csv"))
        else:
            print("notice: wagtail_umap.formats.csv does not exist yet: CSV skipped")
        if has_module("kml"):
            make_kml(folder / "bench.kml", int(20_000_000 * args.scale))
            cases.append(("read_map_file", folder / "bench.kml"))
        else:
            print("notice: wagtail_umap.formats.kml does not exist yet: KML skipped")
        for kind, path in cases:
            result = measure(kind, path)
            size = path.stat().st_size
            extra = (result["peak_kb"] - result["base_kb"]) * 1024
            rows.append((kind, path.suffix, size, result, extra))
    print()
    print(f"| {'what':<14} | {'file':<8} | {'MB':>6} | {'features':>8} | {'seconds':>7} | "
          f"{'peak RSS MB':>11} | {'extra RSS MB':>12} | {'extra/size':>10} |")  # fmt: skip
    print("|" + "|".join("-" * (w + 2) for w in (14, 8, 6, 8, 7, 11, 12, 10)) + "|")
    for kind, suffix, size, result, extra in rows:
        print(f"| {kind:<14} | {suffix:<8} | {size / 1e6:6.1f} | {result['features']:8d} | "
              f"{result['seconds']:7.2f} | {result['peak_kb'] / 1024:11.0f} | "
              f"{extra / 2**20:12.0f} | {extra / size:9.1f}x |")  # fmt: skip
    plain = rows[0][3]["seconds"]
    ours = rows[1][3]["seconds"]
    print(f"\nGeoJSON: read_map_file takes {ours / plain:.1f}x the time of json.load (aim: 2x)")


if __name__ == "__main__":
    main()
