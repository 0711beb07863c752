"""The export formats written a few features at a time, in constant memory.

``write_map_file`` needs the whole document in memory, features inline: a 100,000-point layer
is some 200 MB of Python objects before the file is even written. ``stream_map_file`` writes
the same bytes (tests/formats/test_stream.py compares them) from a document whose layers hold
no features, asking ``batches(layer)`` for each layer's features a list at a time: the caller
reads them from wherever they are stored, and only one batch (and the output written so far,
if the caller keeps it) is in memory at once. A format that needs to see every feature before
writing the first (CSV's columns, KML's typed fields, GPX's waypoints before its tracks) asks
for them twice.

Uses the writers' own helpers, so the files stay those of ``write_map_file``.
"""

from __future__ import annotations

import csv as csv_module
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator

from wagtail_umap.formats import csv, geojson, gpx, kml, umap, umap_groups

Batches = Callable[[dict], Iterable[list[dict]]]
SLOT = "wagtail-umap-slot"


def stream_map_file(document: dict, format_name: str, batches: Batches) -> Iterator[bytes]:
    """``write_map_file(document with every layer's features, format_name)``, in pieces."""
    writer = WRITERS[format_name]
    return writer(document, batches)


def _features(layers: list[dict], batches: Batches) -> Iterator[tuple[dict, list[dict]]]:
    for layer in layers:
        for batch in batches(layer):
            if batch:
                yield layer, batch


def _split(text: str, marker: str) -> tuple[str, str]:
    before, found, after = text.partition(marker)
    assert found, marker
    return before, after


# --- GeoJSON --------------------------------------------------------------------------------


def _geojson(document: dict, batches: Batches) -> Iterator[bytes]:
    layers = document["layers"]
    if len(layers) == 1:  # written as that layer, with its options (geojson.write_layer)
        layer = layers[0]
        head = {"type": "FeatureCollection", "name": layer["name"]}
        head["_umap_options"] = umap.layer_options(layer)
    else:
        head = {"type": "FeatureCollection"}
    head["features"] = "\0features"
    before, after = _split(geojson._dump(head).decode("utf-8"), '"\\u0000features"')
    yield (before + "[").encode("utf-8")
    first = True
    for _layer, batch in _features(layers, batches):
        text = ",".join(geojson._dump(feature).decode("utf-8") for feature in batch)
        yield (text if first else "," + text).encode("utf-8")
        first = False
    yield ("]" + after).encode("utf-8")


# --- uMap -----------------------------------------------------------------------------------


def _umap(document: dict, batches: Batches) -> Iterator[bytes]:
    result = umap.map_head(document)
    layers = document["layers"]

    def placeholder(layer: dict, position: int) -> dict:
        collection = umap._layer_collection({**layer, "features": []})
        collection["features"] = f"\0layer{position}"
        return collection

    result["layers"] = umap_groups.nest(document, placeholder)  # groups nest their layers
    text = umap.dump(result)
    for position in umap_groups.reading_order(document):
        before, text = _split(text, f'"\\u0000layer{position}"')
        yield before.encode("utf-8")
        yield from _umap_features(layers[position], batches)
    yield text.encode("utf-8")


def _umap_features(layer: dict, batches: Batches) -> Iterator[bytes]:
    """A layer's features as the compact list ``umap.write`` writes."""
    separator = "["
    for batch in batches(layer):
        if batch:
            text = ",".join(umap.dump(umap._umap_feature(feature)) for feature in batch)
            yield (separator + text).encode("utf-8")
            separator = ","
    yield ("[]" if separator == "[" else "]").encode("utf-8")


# --- CSV ------------------------------------------------------------------------------------


def _csv(document: dict, batches: Batches) -> Iterator[bytes]:
    layers = document["layers"]
    keys = csv._property_keys(
        feature for _layer, batch in _features(layers, batches) for feature in batch
    )
    out = io.StringIO()
    writer = csv_module.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            *csv.WRITER_COLUMNS,
            *(csv._column_name(key) for key in keys),
            *csv.WRITER_GEOMETRY_COLUMNS,
        ]
    )
    yield out.getvalue().encode("utf-8-sig")
    for layer, batch in _features(layers, batches):
        out = io.StringIO()
        writer = csv_module.writer(out, lineterminator="\r\n")
        for feature in batch:
            writer.writerow(csv._row(layer["name"], feature, keys))
        yield out.getvalue().encode("utf-8")


# --- KML ------------------------------------------------------------------------------------


def _kml(document: dict, batches: Batches) -> Iterator[bytes]:
    layers = document["layers"]
    types = _kml_field_types(layers, batches)
    root = ET.Element("kml", {"xmlns": kml.KML_NS})
    container = ET.SubElement(root, "Document")
    kml._add_text(container, "name", document.get("title"))
    kml._add_text(container, "description", document.get("summary"))
    styled = {}
    for layer in layers:
        style = kml._style_element(
            layer.get("style") or {}, None, kml.STYLE_ID_PREFIX + layer["id"]
        )
        if style is not None:
            container.append(style)
            styled[layer["id"]] = "#" + kml.STYLE_ID_PREFIX + layer["id"]
    if types:
        container.append(kml._schema_element(types))
    for position, layer in enumerate(layers):
        folder = kml._folder({**layer, "features": []}, styled.get(layer["id"]), types)
        ET.SubElement(folder, SLOT, {"n": str(position)})
        container.append(folder)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    yield b"<?xml version='1.0' encoding='utf-8'?>\n"
    for position, layer in enumerate(layers):
        before, text = _split(text, f'<{SLOT} n="{position}" />')
        line_start = before.rfind("\n") + 1
        indent, before = before[line_start:], before[:line_start]
        yield before.encode("utf-8")
        yield from _placemarks(layer, batches, styled.get(layer["id"]), types, indent)
        text = text.removeprefix("\n")  # the slot's own line ends here
    yield text.encode("utf-8")


def _kml_field_types(layers: list[dict], batches: Batches) -> dict[str, str]:
    kinds: dict[str, set[str]] = {}
    for _layer, batch in _features(layers, batches):
        for feature in batch:
            for key, value in (feature.get("properties") or {}).items():
                if kml._exported(key):
                    kinds.setdefault(key, set()).add(kml._kind(value))
    # kml._field_types's own rule, on the kinds of every batch.
    probe = [
        {"features": [{"properties": {key: _sample(kind)}} for kind in found]}
        for key, found in kinds.items()
    ]
    return kml._field_types(probe)


def _sample(kind: str) -> object:
    return {"bool": True, "int": 1, "double": 1.5, "text": ""}[kind]


def _placemarks(
    layer: dict, batches: Batches, style_url: str | None, types: dict[str, str], indent: str
) -> Iterator[bytes]:
    level = len(indent) // 2
    for batch in batches(layer):
        parts = []
        for feature in batch:
            placemark = kml._placemark(feature, style_url, types)
            ET.indent(placemark, level=level)
            parts.append(indent + ET.tostring(placemark, encoding="unicode") + "\n")
        yield "".join(parts).encode("utf-8")


# --- GPX ------------------------------------------------------------------------------------


def _gpx(document: dict, batches: Batches) -> Iterator[bytes]:
    layers = document["layers"]
    attributes = {"xmlns": gpx.GPX_NAMESPACE, "version": "1.1", "creator": "wagtail-umap"}
    root = ET.Element("gpx", attributes)
    ET.SubElement(root, SLOT)
    ET.indent(root)
    before, after = _split(ET.tostring(root, encoding="unicode"), f"<{SLOT} />")
    yield b"<?xml version='1.0' encoding='utf-8'?>\n"
    written = False
    # GPX 1.1 wants every waypoint before the first track.
    for kind in ("points", "lines"):
        for _layer, batch in _features(layers, batches):
            chunk = ET.Element("gpx")
            for feature in batch:
                properties = feature.get("properties") or {}
                if kind == "points":
                    for position in gpx._points(feature["geometry"]):
                        gpx._waypoint(chunk, position, properties)
                elif lines := gpx._lines(feature["geometry"]):
                    gpx._track(chunk, lines, properties)
            pieces = []
            for child in chunk:
                ET.indent(child, level=1)
                child.tail = None
                pieces.append(ET.tostring(child, encoding="unicode"))
            if pieces:
                yield ((before if not written else "\n  ") + "\n  ".join(pieces)).encode("utf-8")
                written = True
    if written:
        yield (after + "\n").encode("utf-8")
    else:  # neither waypoint nor track: ElementTree's empty element
        yield (ET.tostring(ET.Element("gpx", attributes), encoding="unicode") + "\n").encode()


WRITERS = {"geojson": _geojson, "umap": _umap, "csv": _csv, "kml": _kml, "gpx": _gpx}
