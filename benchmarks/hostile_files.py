"""Time and memory of every reader on normal and hostile files of about 1 and 20 MB.

    python benchmarks/hostile_files.py [--sizes 1,20] [--only kml,csv] [--repeat 3]

A script, not a test (issue 13: "hostile input is linear"). It generates, without the network
and with fixed seeds, a normal file and hostile ones (deep nesting, many columns, many
properties on one feature, many tiny features, a huge integer) for each reader, reads each
with ``read_map_file`` and the default ``Limits`` (what the server applies), and prints a
Markdown table. Each case runs in a fresh subprocess: its time is the CPU time of the process
(``time.process_time``: what the server pays, and what other work on a shared machine does not
change, unlike wall time), best of ``--repeat`` runs; its memory the peak RSS (``ru_maxrss``)
of the first run minus the RSS just before it (Python, the package with every reader module,
and the file's bytes). The reference is ``json.load`` of a normal GeoJSON file of the same
size, measured the same way before and after the cases of that size (the best of both kept).

Aims (issue 13): per-MB time at 20 MB within 1.5x of the 1 MB figure; no reader slower than
10x ``json.load`` per MB; peak memory (extra RSS) under 10x the file's size. A hostile case that
a cap refuses says so ("refused: ...") with the message it gets.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
# The default Limits.max_bytes is 20,000,000 bytes: "20 MB" files stay just under it.
SIZES = {1: 1_000_000, 20: 19_500_000}

MEASURE = r"""
import gc, importlib, json, resource, sys, time
kind, path, repeat, overrides = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
from wagtail_umap.formats import READERS, Limits, read_map_file
for module in set(READERS.values()):  # loaded, as in a server: not counted as the read's
    importlib.import_module("wagtail_umap.formats." + module)
limits = Limits(**json.loads(overrides))
data = open(path, "rb").read()

def run():
    if kind.startswith("json.load"):
        paused = kind.endswith("gc paused")
        if paused:
            gc.disable()  # as read_map_file does while it reads
        with open(path, "rb") as handle:
            json.load(handle)
        if paused:
            gc.enable()
        return "read", ""
    try:
        result = read_map_file(path, data, limits)
    except ValueError as error:  # MapDocumentError, and anything a reader must not raise
        return "refused", type(error).__name__ + ": " + str(error)[:90]
    count = sum(len(layer.get("features", [])) for layer in result.document["layers"])
    return "read", f"{count} features"

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times, walls = [], []
for index in range(repeat):
    gc.collect()
    start, wall = time.process_time(), time.perf_counter()
    outcome, detail = run()
    times.append(time.process_time() - start)
    walls.append(time.perf_counter() - wall)
    if index == 0:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": min(times), "wall": min(walls), "extra_kb": peak - base,
                  "outcome": outcome, "detail": detail}))
"""


# --- generators: each writes about ``size`` bytes to ``path`` ---------------------------------


def _fill(
    write: Callable[[str], None], size: int, head: str, item: Callable[[int], str], tail: str
):
    """``head``, then items until ``size`` bytes, then ``tail`` (sizes counted in characters:
    the generators write ASCII only, or almost)."""
    written = len(head) + len(tail)
    write(head)
    index = 0
    while True:
        text = item(index)
        if written + len(text) > size:
            break
        write(text)
        written += len(text)
        index += 1
    write(tail)


def _feature(rng: random.Random, index: int) -> dict:
    lng, lat = round(rng.uniform(-5, 9), 6), round(rng.uniform(41, 51), 6)
    if index % 2:
        line = [[round(lng + k * 1e-3, 6), round(lat + k * 1e-3, 6)] for k in range(8)]
        geometry = {"type": "LineString", "coordinates": line}
    else:
        geometry = {"type": "Point", "coordinates": [lng, lat]}
    properties = {"name": f"Lieu {index}", "code": str(10000 + index), "valeur": index * 0.5}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _collection(
    path: Path, size: int, item: Callable[[int], str], head: str = "", tail: str = "]}"
) -> None:
    """A JSON list of ``item``s between ``head`` (a FeatureCollection's by default) and ``tail``."""
    head = head or '{"type":"FeatureCollection","features":['
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, head, lambda i: ("," if i else "") + item(i), tail)


def geojson_normal(path: Path, size: int) -> None:
    rng = random.Random(1)
    _collection(path, size, lambda i: json.dumps(_feature(rng, i), separators=(",", ":")))


def geojson_tiny_features(path: Path, size: int) -> None:
    point = '{"type":"Feature","geometry":{"type":"Point","coordinates":[2,48]},"properties":{}}'
    _collection(path, size, lambda i: point)


def geojson_many_properties(path: Path, size: int) -> None:
    """One feature whose properties fill the file."""
    head = (
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"geometry":{"type":"Point","coordinates":[2,48]},"properties":{'
    )
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, head, lambda i: ("," if i else "") + f'"p{i}":{i}', "}}]}")


def geojson_deep(path: Path, size: int) -> None:
    """A property nested as deep as the file allows."""
    depth = (size - 200) // 6
    head = (
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"geometry":{"type":"Point","coordinates":[2,48]},"properties":{"p":'
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(head + '{"a":' * depth + "1" + "}" * depth + "}}]}")


def geojson_huge_integer(path: Path, size: int) -> None:
    """One property holding an integer as long as the file."""
    head = (
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"geometry":{"type":"Point","coordinates":[2,48]},"properties":{"n":'
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(head + "9" * (size - len(head) - 6) + "}}]}")


def umap_normal(path: Path, size: int) -> None:
    rng = random.Random(4)
    head = (
        '{"type":"umap","properties":{"name":"Bench"},"layers":[{"type":"FeatureCollection",'
        '"_umap_options":{"name":"Lieux"},"features":['
    )
    feature = lambda i: json.dumps(_feature(rng, i), separators=(",", ":"))  # noqa: E731
    _collection(path, size, feature, head, "]}]}")


def umap_deep(path: Path, size: int) -> None:
    depth = (size - 200) // 6
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type":"umap","properties":{"x":' + '{"a":' * depth + "1")
        out.write("}" * depth + '},"layers":[]}')


def json_normal(path: Path, size: int) -> None:
    geojson_normal(path, size)


CSV_HEADER = (
    "id;nom;adresse;code_postal;commune;latitude;longitude;type;capacite;telephone;"
    "site_web;date_maj;acces\n"
)


def csv_normal(path: Path, size: int) -> None:
    """An open-data style table: a dozen columns, about 230 bytes a row."""
    rng = random.Random(2)

    def row(i: int) -> str:
        lat, lng = rng.uniform(41, 51), rng.uniform(-5, 9)
        return (
            f"{i};Équipement sportif n° {i};{i % 300} rue de la République;{75000 + i % 999};"
            f"Commune {i % 500};{lat:.6f};{lng:.6f};gymnase;{i % 250};01 23 45 {i % 100:02d} 67;"
            f"https://www.exemple.fr/equipements/{i};2024-0{1 + i % 9}-1{i % 10};"
            "Ouvert au public, accès PMR\n"
        )

    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, CSV_HEADER, row, "")


def csv_many_columns(path: Path, size: int) -> None:
    """A header of one short column after another (the issue's "million columns"), one row."""
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size - 20, "latitude,longitude", lambda i: f",c{i}", "\n48.8,2.3\n")


def csv_tiny_rows(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, "lat,lon\n", lambda i: "48,2\n", "")


def csv_long_cell(path: Path, size: int) -> None:
    """One row whose name cell fills the file (a huge quoted cell with separators inside)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('lat,lon,name\n48,2,"' + "a,b;" * ((size - 30) // 4) + '"\n')


KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'


def _placemark(rng: random.Random, i: int) -> str:
    lng, lat = rng.uniform(-5, 9), rng.uniform(41, 51)
    if i % 2:
        coords = " ".join(f"{lng + k * 1e-3:.6f},{lat + k * 1e-3:.6f}" for k in range(8))
        geometry = f"<LineString><coordinates>{coords}</coordinates></LineString>"
    else:
        geometry = f"<Point><coordinates>{lng:.6f},{lat:.6f}</coordinates></Point>"
    return (
        f"<Placemark><name>Lieu {i}</name><description>n° {i}</description>"
        f'<ExtendedData><Data name="code"><value>{10000 + i}</value></Data></ExtendedData>'
        f"{geometry}</Placemark>\n"
    )


def kml_normal(path: Path, size: int) -> None:
    rng = random.Random(3)
    head = KML_HEAD + "<Document><name>Bench</name><Folder><name>Lieux</name>\n"
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, head, lambda i: _placemark(rng, i), "</Folder></Document></kml>\n")


def kml_deep_folders(path: Path, size: int) -> None:
    """Folders nested in one another as deep as the file allows, a placemark at the bottom
    (the issue's case: 1.7 MB took 27 s)."""
    folder, end = "<Folder><name>Dossier</name>", "</Folder>"
    placemark = "<Placemark><Point><coordinates>2,48</coordinates></Point></Placemark>"
    depth = (size - 200) // (len(folder) + len(end))
    with path.open("w", encoding="utf-8") as out:
        out.write(KML_HEAD + "<Document>" + folder * depth + placemark + end * depth)
        out.write("</Document></kml>")


def kml_many_properties(path: Path, size: int) -> None:
    head = KML_HEAD + "<Document><Placemark><ExtendedData>"
    tail = (
        "</ExtendedData><Point><coordinates>2,48</coordinates></Point></Placemark></Document></kml>"
    )
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, head, lambda i: f'<Data name="p{i}"><value>1</value></Data>', tail)


def kml_tiny_features(path: Path, size: int) -> None:
    placemark = "<Placemark><Point><coordinates>2,48</coordinates></Point></Placemark>"
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, KML_HEAD + "<Document>", lambda i: placemark, "</Document></kml>")


def kml_tiny_elements(path: Path, size: int) -> None:
    """Empty elements KML does not know, one after another, around one placemark."""
    placemark = "<Placemark><Point><coordinates>2,48</coordinates></Point></Placemark>"
    with path.open("w", encoding="utf-8") as out:
        _fill(
            out.write,
            size,
            KML_HEAD + "<Document>" + placemark,
            lambda i: "<a/>",
            "</Document></kml>",
        )


def _kmz(make: Callable[[Path, int], None]) -> Callable[[Path, int], None]:
    """A KMZ whose doc.kml, made by ``make``, is ``size`` bytes once unpacked."""

    def write(path: Path, size: int) -> None:
        inner = path.with_suffix(".inner.kml")
        make(inner, size)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(inner, "doc.kml")
        inner.unlink()
        path.write_bytes(buffer.getvalue())

    return write


GPX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">\n'


def gpx_normal(path: Path, size: int) -> None:
    rng = random.Random(5)

    def track(i: int) -> str:
        lng, lat = rng.uniform(-5, 9), rng.uniform(41, 51)
        points = "".join(
            f'<trkpt lat="{lat + k * 1e-4:.6f}" lon="{lng + k * 1e-4:.6f}">'
            f"<ele>{100 + k}</ele></trkpt>"
            for k in range(20)
        )
        return f"<trk><name>Trace {i}</name><trkseg>{points}</trkseg></trk>\n"

    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, GPX_HEAD, track, "</gpx>\n")


def gpx_tiny_waypoints(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, GPX_HEAD, lambda i: '<wpt lat="48" lon="2"/>', "</gpx>\n")


def gpx_deep(path: Path, size: int) -> None:
    """Extensions nested as deep as the file allows inside one waypoint."""
    depth = (size - 300) // 7
    with path.open("w", encoding="utf-8") as out:
        out.write(GPX_HEAD + '<wpt lat="48" lon="2"><extensions>' + "<x>" * depth)
        out.write("</x>" * depth + "</extensions></wpt></gpx>\n")


def gpx_tiny_elements(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        head = GPX_HEAD + '<wpt lat="48" lon="2"><extensions>'
        _fill(out.write, size, head, lambda i: "<x/>", "</extensions></wpt></gpx>\n")


RSS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:georss="http://www.georss.org/georss"><channel><title>Travaux</title>\n'
)


def georss_normal(path: Path, size: int) -> None:
    """A works feed: items with a title, a link, a description and a point or a line."""
    rng = random.Random(6)

    def item(i: int) -> str:
        lat, lng = rng.uniform(41, 51), rng.uniform(-5, 9)
        if i % 2:
            line = " ".join(f"{lat + k * 1e-3:.6f} {lng + k * 1e-3:.6f}" for k in range(8))
            place = f"<georss:line>{line}</georss:line>"
        else:
            place = f"<georss:point>{lat:.6f} {lng:.6f}</georss:point>"
        return (
            f"<item><title>Chantier n° {i}</title><link>https://www.exemple.fr/travaux/{i}</link>"
            f"<description>Circulation alternée, rue {i % 300}</description>{place}</item>\n"
        )

    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, RSS_HEAD, item, "</channel></rss>\n")


def georss_tiny_items(path: Path, size: int) -> None:
    item = "<item><georss:point>48 2</georss:point></item>"
    with path.open("w", encoding="utf-8") as out:
        _fill(out.write, size, RSS_HEAD, lambda i: item, "</channel></rss>\n")


OSM_HEAD = '{"version":"0.6","generator":"Overpass API 0.7.62","elements":['


def osm_normal(path: Path, size: int) -> None:
    """Overpass JSON: tagged nodes, and tagged ways with their nodes' references."""
    rng = random.Random(7)

    def element(i: int) -> str:
        lat, lng = round(rng.uniform(41, 51), 7), round(rng.uniform(-5, 9), 7)
        tags = {
            "amenity": "bench",
            "name": f"Banc {i}",
            "material": "wood",
            "backrest": "yes" if i % 3 else "no",
            "operator": "Ville de Rennes",
            "check_date": f"2024-0{1 + i % 9}-1{i % 10}",
            "seats": str(2 + i % 4),
        }
        if i % 4 == 3:  # a way through the three nodes before it
            way = {"type": "way", "id": i, "nodes": [i - 3, i - 2, i - 1], "tags": tags}
            return json.dumps(way, separators=(",", ":"))
        node = {"type": "node", "id": i, "lat": lat, "lon": lng, "tags": tags}
        return json.dumps(node, separators=(",", ":"))

    _collection(path, size, element, OSM_HEAD, "]}")


# A CSV's map document (JSON, keys repeated on every feature) is about twice the file's size:
# with the default 20 MB cap on documents, a CSV over about 10 MB is refused once read. The
# case "normal, document cap 50 MB" shows what reading it costs.
BIG_DOCUMENTS = {"max_bytes": 50_000_000}

# (reader label, case, extension, generator[, Limits overrides])
CASES = [
    ("GeoJSON", "normal", ".geojson", geojson_normal),
    ("GeoJSON", "many tiny features", ".geojson", geojson_tiny_features),
    ("GeoJSON", "one feature, many properties", ".geojson", geojson_many_properties),
    ("GeoJSON", "deep nesting", ".geojson", geojson_deep),
    ("GeoJSON", "huge integer", ".geojson", geojson_huge_integer),
    (".json", "normal", ".json", json_normal),
    (".umap", "normal", ".umap", umap_normal),
    (".umap", "deep nesting", ".umap", umap_deep),
    ("CSV", "normal", ".csv", csv_normal),
    ("CSV", "normal, document cap 50 MB", ".csv", csv_normal, BIG_DOCUMENTS),
    ("CSV", "many columns", ".csv", csv_many_columns),
    ("CSV", "many tiny rows", ".csv", csv_tiny_rows),
    ("CSV", "one huge cell", ".csv", csv_long_cell),
    ("KML", "normal", ".kml", kml_normal),
    ("KML", "deep folders", ".kml", kml_deep_folders),
    ("KML", "one placemark, many properties", ".kml", kml_many_properties),
    ("KML", "many tiny placemarks", ".kml", kml_tiny_features),
    ("KML", "many tiny unknown elements", ".kml", kml_tiny_elements),
    ("KMZ", "normal (size unpacked)", ".kmz", _kmz(kml_normal)),
    ("KMZ", "deep folders (size unpacked)", ".kmz", _kmz(kml_deep_folders)),
    ("GPX", "normal", ".gpx", gpx_normal),
    ("GPX", "many tiny waypoints", ".gpx", gpx_tiny_waypoints),
    ("GPX", "deep nesting", ".gpx", gpx_deep),
    ("GPX", "many tiny elements", ".gpx", gpx_tiny_elements),
    ("GeoRSS", "normal", ".rss", georss_normal),
    ("GeoRSS", "many tiny items", ".rss", georss_tiny_items),
    ("OSM JSON", "normal", ".json", osm_normal),
]


def measure(kind: str, path: Path, repeat: int, limits: dict | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    overrides = json.dumps(limits or {})
    command = [sys.executable, "-c", MEASURE, kind, str(path), str(repeat), overrides]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,20", help="file sizes in MB among 1 and 20")
    parser.add_argument("--only", default="", help="readers to run, e.g. kml,csv (lower case)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best time kept)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    only = {name.strip().lower() for name in args.only.split(",") if name.strip()}
    cases = [case for case in CASES if not only or case[0].lower().lstrip(".") in only]
    print(
        f"{datetime.date.today()}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; command: python benchmarks/hostile_files.py "
        + " ".join(sys.argv[1:])
    )
    results: dict[tuple[str, str, int], dict] = {}
    reference: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            reference_path = Path(folder) / f"reference-{size}.geojson"
            measure_reference(reference_path, size, args.repeat, results)
            for label, case, extension, make, *limits in cases:
                slug = re.sub(r"\W+", "-", f"{label} {case}").strip("-").lower()
                path = Path(folder) / f"{slug}-{size}{extension}"
                make(path, SIZES[size])
                result = measure("read", path, args.repeat, *limits)
                unpacked = SIZES[size] if extension == ".kmz" else path.stat().st_size
                results[(label, case, size)] = {**result, "bytes": unpacked}
                path.unlink()
                print(f"  {label} {case} {size} MB: {result}", file=sys.stderr)
            measure_reference(reference_path, size, args.repeat, results)
            reference[size] = results[("json.load", "normal GeoJSON", size)]["seconds"] / (
                results[("json.load", "normal GeoJSON", size)]["bytes"] / MB
            )
    print_table(results, reference)


def measure_reference(path: Path, size: int, repeat: int, results: dict) -> None:
    """``json.load`` of a normal GeoJSON file of ``size``, plainly and with the collector paused
    (as ``read_map_file`` reads); a second call keeps the best of both measurements."""
    geojson_normal(path, SIZES[size])
    for kind in ("json.load", "json.load, gc paused"):
        result = {**measure(kind, path, repeat), "bytes": path.stat().st_size}
        previous = results.get((kind, "normal GeoJSON", size))
        if previous is None or previous["seconds"] > result["seconds"]:
            results[(kind, "normal GeoJSON", size)] = result
    path.unlink()


def print_table(results: dict, reference: dict[int, float]) -> None:
    """One row a case and size, the sizes of a case together."""
    print()
    print(
        "| reader | case | MB | outcome | CPU s/MB | × json.load | 20 MB ÷ 1 MB | "
        "extra RSS ÷ size |"
    )
    print("|---|---|---|---|---|---|---|---|")
    order = list(dict.fromkeys((label, case) for label, case, _ in results))
    for label, case in order:
        for size in sorted(reference):
            result = results.get((label, case, size))
            if result is None:
                continue
            megabytes = result["bytes"] / MB
            per_mb = result["seconds"] / megabytes
            linear = ""
            small = results.get((label, case, 1))
            if size == 20 and small:
                linear = f"{per_mb / (small['seconds'] / (small['bytes'] / MB)):.2f}"
            memory = result["extra_kb"] * 1024 / result["bytes"]
            outcome = "read" if result["outcome"] == "read" else f"refused: {result['detail']}"
            if result["outcome"] == "read" and result["detail"]:
                outcome = f"read ({result['detail']})"
            print(
                f"| {label} | {case} | {megabytes:.1f} | {outcome} | {per_mb:.3f} | "
                f"{per_mb / reference[size]:.1f} | {linear} | {memory:.1f} |"
            )


if __name__ == "__main__":
    main()
