"""GeoJSON (RFC 7946) files read into a one-layer map document, and written from one.

A FeatureCollection exported by uMap for one layer carries that layer's options (under
``properties``, ``_umap_options`` or ``_storage``): they are read as in a ``.umap`` file.
"""

from __future__ import annotations

import json

from wagtail_umap.core import messages as m
from wagtail_umap.core.content import feature_collection
from wagtail_umap.core.document import DOCUMENT_VERSION, default_options, iter_layer_features
from wagtail_umap.core.errors import Issue, Location, shown
from wagtail_umap.core.validation import (
    DEFAULT_LIMITS,
    SIMPLE_GEOMETRIES,
    Limits,
    validate_document,
)
from wagtail_umap.formats import (
    FormatError,
    ImportResult,
    layer_name_from,
    osm,
    parse_json,
    skip_unlocated_and_close_rings,
    umap,
)
from wagtail_umap.formats.projection import convert_positions
from wagtail_umap.formats.umap import LAYER_OPTION_KEYS, Notes, feature_from_umap, layer_from_umap

GEOMETRY_TYPES = (*SIMPLE_GEOMETRIES, "GeometryCollection")
# The ways GeoJSON files name WGS 84 longitude/latitude (RFC 7946 allows no other).
WGS84_NAMES = ("crs84", "epsg::4326", "epsg:4326", "wgs84")
# The ways they name Lambert-93, which is converted (``formats/projection.py``).
LAMBERT93_NAMES = ("epsg::2154", "epsg:2154", "epsg/0/2154")


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A .geojson or .json file; a .json holding a uMap backup goes to the uMap reader, and
    OpenStreetMap JSON (Overpass output) to the OSM reader."""
    value = parse_json(data, limits)
    if isinstance(value, dict) and value.get("type") == "umap":
        return umap.from_value(
            value,
            limits=limits,
            default_layer_name=layer_name_from(filename),
            size_checked=True,
            owned=True,
        )
    if osm.is_osm(value):
        return osm.from_value(
            value,
            layer_name=layer_name_from(filename),
            limits=limits,
            source_bytes=len(data),
            owned=True,
        )
    return from_value(
        value,
        layer_name=layer_name_from(filename),
        limits=limits,
        size_checked=True,
        source_bytes=len(data),
        owned=True,
    )


def read(data: bytes, *, layer_name: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """Read GeoJSON (a FeatureCollection, a Feature or a bare geometry) as one layer."""
    value = parse_json(data, limits)
    return from_value(
        value,
        layer_name=layer_name,
        limits=limits,
        size_checked=True,
        source_bytes=len(data),
        owned=True,
    )


def from_value(
    value: object,
    *,
    layer_name: str,
    limits: Limits = DEFAULT_LIMITS,
    size_checked: bool = False,
    source_bytes: int | None = None,
    owned: bool = False,
) -> ImportResult:
    """Like ``read``, from already parsed JSON (``size_checked`` when ``parse_json`` parsed it;
    ``source_bytes``, the length of the JSON text ``value`` was parsed from, when known: see
    ``validate_document``; ``owned``: the caller hands ``value`` over, and its features are
    taken out of it as they are read, so that it and the result are never both whole in
    memory)."""
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in ("FeatureCollection", "Feature", *GEOMETRY_TYPES):
        raise FormatError([Issue(m.NOT_GEOJSON, {"value": shown(kind, 40)})])
    notes = Notes()
    if _check_crs(value):
        outside: list = []
        value = _from_lambert93(value, outside)
        if outside:
            params = {"value": shown(outside[0], 40)}
            raise FormatError([Issue(m.GEOJSON_NOT_LAMBERT93, params)])
        notes.issues.append(Issue(m.NOTE_LAMBERT93))
    if kind == "FeatureCollection":
        layer = _collection_layer(value, layer_name, notes, owned=owned)
    else:
        feature = value if kind == "Feature" else {"type": "Feature", "geometry": value}
        layer = {"name": layer_name, "features": [feature]}
    where = Location(layer=1, layer_name=layer["name"])
    layer["features"] = skip_unlocated_and_close_rings(layer.get("features"), where, notes.issues)
    document = {
        "version": DOCUMENT_VERSION,
        "options": default_options(),
        "layers": [layer],
    }
    cleaned = validate_document(
        document, limits, size_checked=size_checked, source_bytes=source_bytes, owned=owned
    )
    return ImportResult(cleaned, notes.issues)


def _collection_layer(
    collection: dict, layer_name: str, notes: Notes, *, owned: bool = False
) -> dict:
    if any(isinstance(collection.get(key), dict) for key in LAYER_OPTION_KEYS):
        return layer_from_umap(collection, 1, notes, _name(collection, layer_name), owned=owned)
    name = _name(collection, layer_name)
    features = collection.pop("features", None) if owned else collection.get("features")
    if isinstance(features, list):
        where = Location(layer=1, layer_name=name)
        features = [feature_from_umap(feature, where, notes) for feature in features]
    return {"name": name, "features": features}


def _name(collection: dict, default: str) -> str:
    """QGIS and ogr2ogr write the layer name as a foreign "name" member."""
    name = collection.get("name")
    return name if isinstance(name, str) and name.strip() else default


def _check_crs(value: dict) -> bool:
    """Whether an old-style "crs" member declares Lambert-93 (EPSG:2154); refuse, with a clear
    message, any other projected coordinates."""
    crs = value.get("crs")
    if not isinstance(crs, dict):
        return False
    properties = crs.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str):
        return False
    plain = name.lower().replace(" ", "")
    if plain.endswith(LAMBERT93_NAMES):
        return True
    if not plain.endswith(WGS84_NAMES):
        raise FormatError([Issue(m.FOREIGN_CRS, {"value": shown(name, 60)})])
    return False


def _from_lambert93(value: dict, outside: list) -> dict:
    """A copy of a GeoJSON object with every geometry's coordinates converted to WGS 84."""
    if not isinstance(value, dict):
        return value
    converted = dict(value)
    if "coordinates" in value:
        converted["coordinates"] = convert_positions(value["coordinates"], outside)
    for key in ("geometry",):
        if isinstance(value.get(key), dict):
            converted[key] = _from_lambert93(value[key], outside)
    for key in ("features", "geometries"):
        if isinstance(value.get(key), list):
            converted[key] = [_from_lambert93(item, outside) for item in value[key]]
    converted.pop("crs", None)
    return converted


def write_layer(layer: dict) -> bytes:
    """One layer's inline features as a FeatureCollection named after the layer.

    The layer's options (style, popup template, kept uMap options) travel as uMap writes them,
    in a foreign ``_umap_options`` member, so the file reads back as the same layer.
    """
    collection = {"type": "FeatureCollection", "name": layer["name"]}
    collection["_umap_options"] = umap.layer_options(layer)
    collection["features"] = list(iter_layer_features(layer))
    return _dump(collection)


def write(document: dict) -> bytes:
    """Every layer's inline features merged into one FeatureCollection.

    A one-layer document is written as that layer (with its options, see ``write_layer``);
    several layers merge into one plain collection and their layer options are not written.
    """
    layers = document["layers"]
    if len(layers) == 1 and "data" not in layers[0]:
        return write_layer(layers[0])
    features = [feature for layer in layers for feature in iter_layer_features(layer)]
    return _dump(feature_collection(features))


def _dump(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )
