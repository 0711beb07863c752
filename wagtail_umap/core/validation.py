"""Validation of map documents, layers, features and styles (pure Python, no Django).

Every path that writes a map (admin, import, API, commands) goes through ``validate_document``
or ``validate_features``: they return a new, cleaned copy in full form, or raise
``MapDocumentError`` with located, translatable issues. Size caps are checked first and stop
validation at once, so a hostile input never costs more than one cheap walk.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from wagtail_umap.core import messages as m
from wagtail_umap.core import schema
from wagtail_umap.core import validation_basemaps as basemaps
from wagtail_umap.core import validation_remote as remote
from wagtail_umap.core import validation_viz as viz
from wagtail_umap.core.document import (
    CONTROL_NAMES,
    CSS_NAMED_COLOURS,
    DEFAULT_BASEMAP,
    DOCUMENT_VERSION,
    FULL_FORM_CONTROLS,
    TEXT_LIMITS,
    new_layer_id,
)
from wagtail_umap.core.errors import Issue, IssueCollector, Location, MapDocumentError, shown
from wagtail_umap.core.sanitize import clean_description
from wagtail_umap.core.schema import Option
from wagtail_umap.core.schema.umap_places import (
    FEATURE_ENTRIES,
    FEATURE_KEYS,
    LAYER_ENTRIES,
    MAP_ENTRIES,
    prune_kept,
)
from wagtail_umap.core.validation_groups import validate_groups


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20_000_000  # size of the JSON-serialised document
    max_layers: int = 50
    max_features: int = 100_000  # whole document
    max_vertices: int = 2_000_000  # whole document
    max_depth: int = 32  # JSON nesting depth anywhere (properties included)
    # Properties of one feature (columns of a CSV): open data files stay far below.
    max_properties: int = 1000


DEFAULT_LIMITS = Limits()
NOWHERE = Location()  # an issue about the whole map or file


# The keys of each part of the document, as the schema declares them.
DOCUMENT_KEYS = schema.keys("document")
OPTION_KEYS = schema.keys("map")
LAYER_KEYS = schema.keys("layer")
DATA_KEYS = schema.keys("data")
SIMPLE_GEOMETRIES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
COORDINATE_DECIMALS = 6  # about 11 cm: finer than any map needs, and it keeps files small

LAYER_ID_RE = re.compile(schema.option("layer", "id").pattern)
BASEMAP_RE = re.compile(schema.option("map", "basemap").pattern)
DIGEST_RE = re.compile(schema.option("data", "digest").pattern)
HEX_COLOUR_RE = re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", re.IGNORECASE)
NUMERIC_STRING_RE = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")
DASH_ARRAY_RE = re.compile(r"\s*\d+(?:\.\d+)?(?:[\s,]+\d+(?:\.\d+)?)*\s*")
ALL_STYLE_KEYS = schema.keys("style")
NUMBER_STYLES = {
    item.key: (item.min, item.max) for item in schema.options_in("style") if item.type == "number"
}


# --- public entry points ---------------------------------------------------------------------


def validate_document(
    document: object,
    limits: Limits = DEFAULT_LIMITS,
    *,
    size_checked: bool = False,
    source_bytes: int | None = None,
    owned: bool = False,
) -> dict:
    """A new, cleaned, full-form copy of ``document``, or ``MapDocumentError``.

    ``size_checked``: the caller built ``document`` from a file that ``parse_json`` read, so
    its depth is already checked and its byte size is the file's: the walk is not done twice.

    ``source_bytes``: the byte length of the JSON text that every geometry of ``document`` was
    parsed from (each list once, none shared), when the caller knows it. The early vertex
    count then runs only if that text could hold more than ``max_vertices`` positions: what it
    counts is a list whose first item is a number, so each one takes at least three bytes of
    its own (``[``, a digit, ``]``), and a text shorter than ``3 * (max_vertices + 1)`` bytes
    cannot exceed the limit.

    ``owned``: the caller hands ``document`` over (a reader's own, just built or parsed, that
    nothing else refers to) and does not use it again. Its features are then taken apart as
    they are cleaned: each list item is released once its cleaned copy exists, and properties
    are cleaned in place instead of copied, so that the document and its cleaned copy are never
    both whole in memory (a file's features cost 6 to 9 bytes of Python objects a byte). The
    result and every message are the same.
    """
    if not size_checked:
        check_size(document, limits)
    if not isinstance(document, dict):
        raise MapDocumentError([Issue(m.DOCUMENT_NOT_OBJECT, {"value": _brief(document)})])
    issues = IssueCollector()
    _check_version(document.get("version", DOCUMENT_VERSION), issues)
    for key in document:
        if key not in DOCUMENT_KEYS:
            issues.add(m.UNKNOWN_DOCUMENT_KEY, key=key)
    layers = _list(document.get("layers", []), "layers", Location(), issues)
    vertices_possible = source_bytes is None or source_bytes >= 3 * (limits.max_vertices + 1)
    _check_counts(layers, limits, count_vertices=vertices_possible)
    cleaned = {
        "version": DOCUMENT_VERSION,
        "title": _text(document.get("title", ""), "title", Location(), issues),
        "summary": _text(document.get("summary", ""), "summary", Location(), issues),
        "options": _options(document.get("options", {}), issues),
        "layers": _layers(layers, issues, owned=owned),
    }
    # The slideshow names one of the layers: checked once they are known.
    raw_options = document.get("options")
    raw_slideshow = raw_options.get("slideshow") if isinstance(raw_options, dict) else None
    layer_ids = {layer["id"] for layer in cleaned["layers"]}
    cleaned["options"]["slideshow"] = viz.slideshow(raw_slideshow, layer_ids, issues)
    if "groups" in document or any("group" in layer for layer in cleaned["layers"]):
        groups = validate_groups(document.get("groups"), cleaned["layers"], issues)
        if groups:
            cleaned["groups"] = groups
    issues.raise_if_any()
    _prune_kept_umap(cleaned)
    _check_flattened_count(
        sum(len(layer.get("features", [])) for layer in cleaned["layers"]), limits
    )
    return cleaned


def _prune_kept_umap(document: dict) -> None:
    """Drop the uMap values kept from an import that no longer mean the document's own (an
    editor changed the option since) or merely repeat them: what a document keeps is what
    its ``.umap`` backup gives back (``core.schema.umap_places``)."""
    options = document["options"]
    if options.get("umap"):
        options["umap"] = prune_kept(MAP_ENTRIES, document, options["umap"])
    for layer in document["layers"]:
        if layer.get("umap"):
            layer["umap"] = prune_kept(LAYER_ENTRIES, layer, layer["umap"])
        for feature in layer.get("features") or ():
            properties = feature["properties"]
            kept = properties.get("_umap_options")
            if kept and not FEATURE_KEYS.isdisjoint(kept):
                pruned = prune_kept(FEATURE_ENTRIES, properties, kept)
                if pruned:
                    properties["_umap_options"] = pruned
                else:
                    del properties["_umap_options"]


def validate_features(
    features: object,
    limits: Limits = DEFAULT_LIMITS,
    *,
    layer: int | None = None,
    layer_name: str | None = None,
) -> list[dict]:
    """A cleaned copy of a list of GeoJSON features (collections flattened), or an error."""
    where = Location(layer=layer, layer_name=layer_name)
    check_size(features, limits, where)
    issues = IssueCollector()
    raw = _list(features, "features", where, issues)
    issues.raise_if_any()
    _check_counts([{"features": raw}], limits, where=where)
    cleaned = _features(raw, where, issues)
    issues.raise_if_any()
    _check_flattened_count(len(cleaned), limits)
    return cleaned


def validate_style(style: object, location: Location) -> dict:
    """A cleaned copy of a layer style or a feature's ``_style`` override, or an error."""
    issues = IssueCollector()
    cleaned = _style(style, "style", location, issues)
    issues.raise_if_any()
    return cleaned


def check_size(value: object, limits: Limits, where: Location = NOWHERE) -> None:
    """Raise at once if ``value`` is nested too deeply, is not JSON, holds a lone surrogate, or
    is too many bytes (``where``: the layer a list of features belongs to).

    The depth walk is iterative, so no input can exhaust the Python stack; it runs before
    ``json.dumps``, which recurses. Encoding to UTF-8 is what finds a lone surrogate, for free.
    """
    check_depth(value, limits)
    try:
        size = _json_size(value)
    except UnicodeEncodeError:
        raise MapDocumentError([lone_surrogate_issue(value, where)]) from None
    if size > limits.max_bytes:
        raise MapDocumentError(
            [Issue(m.TOO_MANY_BYTES, {"value": size, "limit": limits.max_bytes})]
        )


# Items of a long list (a layer's features) encoded at once by ``_json_size`` (the encoder
# holds a small string per value until it joins them: 100 features are a few hundred KB).
_SIZE_BATCH = 100
# Lists this short (a document's layers) are measured item by item, so a layer is not whole.
_SIZE_ITEMS = 64


def _json_size(value: object, levels: int = 4) -> int:
    """The UTF-8 length of ``value`` as compact JSON, without its text ever being whole.

    ``json.dumps`` of a whole document holds its text twice (its parts, then their join): as
    much memory again as the document's features. Here a document's parts are measured one by
    one (``levels`` deep: the document, its layers, each layer), and a long list (features) a
    batch of items at a time, each batch's text released at once. The sum is exact: brackets,
    braces, colons and commas are counted as ``json.dumps`` writes them.
    """
    kind = type(value)
    if levels and kind is dict and value:
        keys = sum(_utf8_length(_dumps(key)) for key in value)
        items = sum(_json_size(item, levels - 1) for item in value.values())
        return 2 + keys + len(value) + items + len(value) - 1  # {}, ":" each, "," between
    if kind is list and value and (len(value) > _SIZE_BATCH or levels):
        if len(value) <= _SIZE_ITEMS and levels:
            parts = [_json_size(item, levels - 1) for item in value]
        else:
            batches = range(0, len(value), _SIZE_BATCH)
            parts = [_utf8_length(_dumps(value[i : i + _SIZE_BATCH])) - 2 for i in batches]
        return 2 + sum(parts) + len(parts) - 1  # [], "," between
    return _utf8_length(_dumps(value))


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _utf8_length(text: str) -> int:
    """The length of ``text`` in UTF-8, encoded a megabyte at a time (not a copy of it all)."""
    if text.isascii():
        return len(text)
    step = 1 << 20
    return sum(
        len(text[start : start + step].encode("utf-8")) for start in range(0, len(text), step)
    )


def check_depth(value: object, limits: Limits) -> None:
    """Raise if ``value`` is nested too deeply or holds something JSON cannot (no byte count:
    for a file just parsed, its own length already is that)."""
    depth, bad_value = _walk(value)
    if depth > limits.max_depth:
        _too_large(m.TOO_DEEP, depth, limits.max_depth)
    if bad_value is not None:
        raise MapDocumentError([Issue(m.NOT_JSON, {"value": bad_value})])


def check_encodable(value: object, where: Location = NOWHERE) -> None:
    """Raise if a string of ``value`` (a key or a value) holds a lone surrogate.

    Only a ``\\ud800``-style escape of JSON text gives one (UTF-8, XML and form data cannot):
    Python accepts it in a string, but no database or encoder does, so a save would fail.
    """
    try:
        json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise MapDocumentError([lone_surrogate_issue(value, where)]) from None


# --- lone surrogates ---------------------------------------------------------------------------

SURROGATE_RE = re.compile("[\ud800-\udfff]")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def lone_surrogate_issue(value: object, where: Location = NOWHERE) -> Issue:
    """The issue naming the first string of ``value`` (in document order) with a lone surrogate.

    Located from its path: ``layers[i]`` is layer i + 1 (named when it has a name),
    ``features[j]`` (or ``[j]`` in a list of features) is feature j + 1, the rest is the detail.
    """
    found = _find_surrogate(value)
    if found is None:
        raise ValueError("no lone surrogate in value")  # the caller's encoder said otherwise
    path, text = found
    code = f"\\u{ord(SURROGATE_RE.search(text).group()):04x}"
    return Issue(
        m.LONE_SURROGATE, {"value": shown(text), "code": code}, _path_location(value, path, where)
    )


def _find_surrogate(value: object) -> tuple[tuple, str] | None:
    """(path, string) of the first key or string holding a surrogate; iterative."""
    stack: list[tuple[tuple, object]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if SURROGATE_RE.search(item):
                return path, item
        elif isinstance(item, dict):
            for key in item:
                if isinstance(key, str) and SURROGATE_RE.search(key):
                    return path, key
            stack.extend(((*path, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list | tuple):
            stack.extend(
                ((*path, index), child) for index, child in reversed(list(enumerate(item)))
            )
    return None


def _path_location(value: object, path: tuple, where: Location) -> Location:
    layer, layer_name, feature = where.layer, where.layer_name, where.feature
    rest = list(path)
    if len(rest) > 1 and rest[0] == "layers" and isinstance(rest[1], int):
        layer, layer_name = rest[1] + 1, None
        raw = value["layers"][rest[1]]
        name = raw.get("name") if isinstance(raw, dict) else None
        if isinstance(name, str) and name.strip() and not SURROGATE_RE.search(name):
            layer_name = name
        value, rest = raw, rest[2:]
    if len(rest) > 1 and rest[0] == "features" and isinstance(rest[1], int):
        feature, rest = rest[1] + 1, rest[2:]
    elif rest and isinstance(rest[0], int) and isinstance(value, list):
        feature, rest = rest[0] + 1, rest[1:]  # a bare list of features
    return Location(layer=layer, layer_name=layer_name, feature=feature, detail=_path_text(rest))


def _path_text(parts: list) -> str | None:
    """('properties', 'nom', 0) → 'properties.nom[0]'; odd keys quoted: 'properties["a b"]'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER_RE.fullmatch(part):
            text += f".{part}"
        else:
            text += f"[{shown(part)}]"
    return text.lstrip(".") or None


# --- sizes -------------------------------------------------------------------------------------


def _walk(value: object) -> tuple[int, str | None]:
    """The nesting depth of ``value`` and the first value JSON cannot hold (or None)."""
    max_depth, bad = 0, None
    stack: list[tuple[object, int]] = [(value, 0)]
    plain = _PLAIN_SCALAR_TYPES
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is dict or isinstance(item, dict):
            if bad is None:
                for key in item:
                    if type(key) is not str and not isinstance(key, str):
                        bad = shown(key)
                        break
            children = item.values()
        elif kind is list or isinstance(item, list | tuple):
            children = item
        else:
            if bad is None and not _is_json_scalar(item):
                bad = shown(item)
            continue
        depth += 1
        if depth > max_depth:
            max_depth = depth
        if set(map(type, children)) <= plain:
            continue  # strings, ints, booleans and nulls only, as most properties are
        for child in children:
            # Scalars are checked here rather than pushed: most of a map is numbers.
            child_type = type(child)
            if child_type in plain:
                continue
            if child_type is float and child - child == 0:  # finite: inf - inf is nan
                continue
            if child_type is list and len(child) > 2 and _flat_2d(child) is not None:
                # A whole line or ring of plain 2D positions, checked at C speed.
                if depth + 2 > max_depth:
                    max_depth = depth + 2
                continue
            if child_type is list and len(child) == 2:
                # A 2D position, the most common list of a map, is checked here too: two
                # finite numbers are one level deeper and hold nothing JSON cannot.
                first, second = child
                first_type, second_type = type(first), type(second)
                if (first_type is int or (first_type is float and first - first == 0)) and (
                    second_type is int or (second_type is float and second - second == 0)
                ):
                    if depth >= max_depth:
                        max_depth = depth + 1
                    continue
            stack.append((child, depth))
    return max_depth, bad


_PLAIN_SCALAR_TYPES = frozenset({str, int, bool, type(None)})
_CONTAINER_TYPES = (dict, list, tuple)
_NUMBER_TYPES = (int, float)
_NUMBER_TYPE_SET = frozenset(_NUMBER_TYPES)
_LIST_TYPE_ONLY = {list}
_PAIR_ONLY = {2}


def _flat_2d(value: list) -> list | None:
    """The numbers of a list of 2D positions (``[[x, y], ...]``, lists of finite ints and
    floats, no bool), flattened; None for anything else, which the caller checks one by one.

    Built-in calls do the per-position work: one line of a layer costs a few C loops instead
    of a Python branch per position.
    """
    if set(map(type, value)) != _LIST_TYPE_ONLY or set(map(len, value)) != _PAIR_ONLY:
        return None
    flat = list(chain.from_iterable(value))
    if not set(map(type, flat)) <= _NUMBER_TYPE_SET:
        return None
    try:
        total = sum(flat)
    except OverflowError:  # an int too large for a float
        return None
    # NaN and infinities (or finite numbers summing past the float range) leave a non-zero
    # difference (nan): the caller's slow path then finds and reports the bad one.
    return flat if total - total == 0 else None


def _is_json_scalar(value: object) -> bool:
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int)


def _check_counts(
    layers: list, limits: Limits, *, count_vertices: bool = True, where: Location | None = None
) -> None:
    """Reject too many layers, features, vertices or properties before any costly check.

    ``count_vertices=False``: the caller proved the inline features cannot hold too many
    vertices (see ``validate_document``), so they are not walked. ``where``: the layer of a
    bare list of features.
    """
    if len(layers) > limits.max_layers:
        _too_large(m.TOO_MANY_LAYERS, len(layers), limits.max_layers)
    features = vertices = 0
    for position, layer in enumerate(layers, start=1):
        if not isinstance(layer, dict):
            continue
        raw = layer.get("features")
        if isinstance(raw, list):
            features += len(raw)
            _check_properties(raw, _layer_location(layer, position, where), limits)
            if count_vertices:
                vertices += sum(_rough_vertex_count(feature) for feature in raw)
        data = layer.get("data")
        if isinstance(data, dict):
            features += _count_or_zero(data.get("feature_count"))
            vertices += _count_or_zero(data.get("vertex_count"))
    if features > limits.max_features:
        _too_large(m.TOO_MANY_FEATURES, features, limits.max_features)
    if vertices > limits.max_vertices:
        _too_large(m.TOO_MANY_VERTICES, vertices, limits.max_vertices)


def _check_properties(features: list, where: Location, limits: Limits) -> None:
    """Refuse a feature with more than ``max_properties`` properties before copying them."""
    limit = limits.max_properties
    for position, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict) and len(properties) > limit:
            at = Location(layer=where.layer, layer_name=where.layer_name, feature=position)
            issue = Issue(m.TOO_MANY_PROPERTIES, {"value": len(properties), "limit": limit}, at)
            raise MapDocumentError([issue])


def _layer_location(layer: dict, position: int, where: Location | None) -> Location:
    if where is not None:
        return where
    name = layer.get("name")
    return Location(
        layer=position, layer_name=name if isinstance(name, str) and name.strip() else None
    )


def _check_flattened_count(count: int, limits: Limits) -> None:
    # Geometry collections become several features, so count again after flattening.
    if count > limits.max_features:
        _too_large(m.TOO_MANY_FEATURES, count, limits.max_features)


def _too_large(template: str, value: int, limit: int) -> None:
    raise MapDocumentError([Issue(template, {"value": value, "limit": limit})])


def _count_or_zero(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _rough_vertex_count(feature: object) -> int:
    """Positions anywhere in a feature's geometry, tolerant of malformed input."""
    if not isinstance(feature, dict):
        return 0
    geometry = feature.get("geometry")
    if type(geometry) is dict and "geometries" not in geometry:
        # A point, the most common feature, without the walk below.
        coordinates = geometry.get("coordinates")
        if type(coordinates) is list and coordinates and type(coordinates[0]) in _NUMBER_TYPES:
            return 1
    count, stack = 0, [geometry]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.append(item.get("coordinates"))
            stack.append(item.get("geometries"))
        elif isinstance(item, list | tuple) and item:
            if _is_number(item[0]):
                count += 1
            elif type(item) is list and len(item) > 2 and _flat_2d(item) is not None:
                count += len(item)  # a line or ring of 2D positions, counted at once
            else:
                for child in item:
                    # A position among positions is counted without a trip through the stack.
                    if type(child) is list and child and type(child[0]) in _NUMBER_TYPES:
                        count += 1
                    else:
                        stack.append(child)
    return count


# --- document and options ------------------------------------------------------------------


def _check_version(version: object, issues: IssueCollector) -> None:
    if version != DOCUMENT_VERSION or isinstance(version, bool | float):
        issues.add(m.BAD_VERSION, value=shown(version), expected=DOCUMENT_VERSION)


def _options(options: object, issues: IssueCollector) -> dict:
    """The map options, checked in the order the schema declares them; the slideshow, which
    names a layer, is checked by ``validate_document`` once the layers are known."""
    where = Location()
    options = _object(options, "options", where, issues)
    for key in options:
        if key not in OPTION_KEYS:
            issues.add(m.UNKNOWN_OPTION, key=key)
    cleaned: dict = {}
    for item in schema.options_in("map"):
        if item.key == "slideshow" or (item.sparse and item.key not in options):
            continue
        value = _MAP_CHECKS.get(item.key, _map_option)(item, options, issues)
        if not (item.sparse and _is_default(item, value)):
            cleaned[item.key] = value
    return cleaned


def _map_option(item: Option, options: dict, issues: IssueCollector) -> object:
    where = Location(detail="options") if item.sparse else Location()
    value = options.get(item.key, item.default)
    if item.key == "style":
        return _style(value, "style", Location(detail="options.style"), issues)
    if item.key == "rules":
        return viz.rules(value, Location(detail="options"), issues)
    if item.key == "filters":
        return viz.filters(value, Location(detail="options"), issues)
    return check_value(item, value, where, issues)


def _is_default(item: Option, value: object) -> bool:
    """A sparse option holding its default (or nothing) is left out of the full form."""
    return value in (None, {}, []) or value == item.default


def _basemap(item: Option, options: dict, issues: IssueCollector) -> str:
    value = options.get(item.key, item.default)
    if isinstance(value, str) and BASEMAP_RE.fullmatch(value):
        return value
    issues.add(item.message, value=shown(value))
    return DEFAULT_BASEMAP


def _center(item: Option, options: dict, issues: IssueCollector) -> dict | None:
    value = options.get(item.key)
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"lat", "lng"}:
        issues.add(item.message)
        return None
    lat, lng = value["lat"], value["lng"]
    for field, number in (("lat", lat), ("lng", lng)):
        if not _is_finite_number(number):
            issues.add(m.NOT_NUMBER, field=field, value=shown(number))
            return None
    if not _in_ranges(lng, lat, Location(), issues):
        return None
    return {"lat": _round(lat), "lng": _round(lng)}


def _controls(item: Option, options: dict, issues: IssueCollector) -> dict:
    controls = dict(FULL_FORM_CONTROLS)
    raw = _object(options.get(item.key, {}), "controls", Location(), issues)
    for key, shown_control in raw.items():
        if key not in CONTROL_NAMES:
            issues.add(m.UNKNOWN_CONTROL, key=key, choices=", ".join(CONTROL_NAMES))
            continue
        item_ = schema.option("controls", key)
        value = check_value(item_, shown_control, Location(), issues)
        if item_.sparse and value == item_.default:
            controls.pop(key, None)  # a sparse control is written only when it differs
        elif value is not None:
            controls[key] = value
    return controls


def _licence(item: Option, options: dict, issues: IssueCollector) -> dict:
    where = Location()
    licence = _object(options.get(item.key, {}), "licence", where, issues)
    names = schema.keys("licence")
    for key in licence:
        if key not in names:
            issues.add(m.UNKNOWN_KEY, key=key, field="licence")
    return {
        part.key: check_value(part, licence.get(part.key, part.default), where, issues)
        for part in schema.options_in("licence")
    }


def _kept(item: Option, options: dict, issues: IssueCollector) -> dict:
    """uMap's options kept verbatim for the round trip."""
    return _copy(_object(options.get(item.key, {}), item.key, Location(), issues))


_MAP_CHECKS = {
    "basemap": _basemap,
    "basemap_choice": basemaps.basemap_choice,
    "overlays": basemaps.overlays,
    "limit_bounds": basemaps.limit_bounds,
    "center": _center,
    "controls": _controls,
    "licence": _licence,
    "umap": _kept,
}


# --- one value against its declaration -------------------------------------------------------


def check_value(
    item: Option,
    value: object,
    where: Location,
    issues: IssueCollector,
    field: str | None = None,
) -> object:
    """``value`` checked against the option's type, bounds or choices: the cleaned value, or
    the option's default after reporting the option's own message."""
    field = field or item.shown_name
    if value is None and item.nullable:
        return None
    kind = item.type
    if kind == "text":
        return _text_value(item, value, field, where, issues)
    if kind == "boolean":
        return _boolean(value, field, where, issues)
    if kind in ("integer", "number"):
        return _number_value(item, value, field, where, issues)
    if kind == "choice":
        if isinstance(value, str) and value in item.choices:
            return value
    elif kind == "colour":
        if is_css_colour(value):
            return value
    elif kind == "dash":
        if isinstance(value, str) and (value == "" or DASH_ARRAY_RE.fullmatch(value)):
            return value
    elif kind == "url":
        return _url_value(item, value, field, where, issues)
    elif kind == "key":
        allowed = item.extra.get("allowed") or (lambda _value: True)
        if isinstance(value, str) and re.fullmatch(item.pattern or ".+", value) and allowed(value):
            return value
    else:
        raise ValueError(f"no checker for {item.name} ({kind})")
    report(item, value, where, issues, field)
    return item.default


def report(
    item: Option,
    value: object,
    where: Location,
    issues: IssueCollector,
    field: str | None = None,
    **params: object,
) -> None:
    """Add the option's message about ``value``, with the parameters its template names."""
    template = item.message or (m.BAD_CHOICE if item.type == "choice" else m.NOT_TEXT)
    field = field or item.shown_name
    known = {
        "field": field,
        "key": field,
        "value": shown(value),
        "min": _plain_bound(item.min),
        "max": _plain_bound(item.max if item.type != "text" else item.max_length),
        "choices": ", ".join(str(choice) for choice in item.choices),
        "limit": item.max_length,
        **params,
    }
    issues.add(template, where, **{name: known[name] for name in _placeholders(template)})


_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")


def _placeholders(template: str) -> list[str]:
    return _PLACEHOLDER_RE.findall(template)


def _plain_bound(bound: float | None) -> object:
    if isinstance(bound, float) and bound.is_integer():
        return int(bound)
    return bound


def _text_value(
    item: Option, value: object, field: str, where: Location, issues: IssueCollector
) -> object:
    if isinstance(value, str) and (item.max_length is None or len(value) <= item.max_length):
        return value
    if item.type == "text" and item.message not in (None, m.NOT_TEXT, m.TEXT_TOO_LONG):
        report(item, value, where, issues, field)  # e.g. a pictogram's own message
    elif not isinstance(value, str):
        issues.add(m.NOT_TEXT, where, field=field, value=shown(value))
    else:
        issues.add(m.TEXT_TOO_LONG, where, field=field, value=len(value), limit=item.max_length)
    return value if isinstance(value, str) else item.default


def _number_value(
    item: Option, value: object, field: str, where: Location, issues: IssueCollector
) -> object:
    """Style numbers accept numeric text ("2", as uMap writes); whole numbers may be written
    ``5.0`` where the option says so; booleans are never numbers."""
    number = to_number(value) if item.scope == "style" else value
    if not _is_finite_number(number):
        number = None
    good = number is not None
    if good and item.min is not None:
        good = item.min <= number
    if good and item.max is not None:
        good = number <= item.max
    if good and item.type == "integer":
        integral = isinstance(number, int) or item.extra.get("integral_float", True)
        good = integral and float(number).is_integer()
    if not good:
        report(item, value, where, issues, field)
        return item.default
    return int(number) if item.type == "integer" else number


def _url_value(
    item: Option, value: object, field: str, where: Location, issues: IssueCollector
) -> str:
    url = _text_value(item, value, field, where, issues)
    if url and not url.lower().startswith(("http://", "https://")):
        # The renderer links this address: never let a javascript: URL through.
        report(item, url, where, issues, field)
        return ""
    return url


# --- layers --------------------------------------------------------------------------------


def _layers(layers: list, issues: IssueCollector, *, owned: bool = False) -> list[dict]:
    cleaned: list[dict] = []
    used: dict[str, int] = {}
    for position, layer in enumerate(layers, start=1):
        result = _layer(layer, position, issues, owned=owned)
        if result is None:
            continue
        if result["id"] in used:
            where = Location(layer=position, layer_name=result["name"] or None)
            issues.add(
                m.DUPLICATE_LAYER_ID, where, value=shown(result["id"]), other=used[result["id"]]
            )
        used.setdefault(result["id"], position)
        cleaned.append(result)
    return cleaned


def _layer(
    layer: object, position: int, issues: IssueCollector, *, owned: bool = False
) -> dict | None:
    if not isinstance(layer, dict):
        issues.add(m.LAYER_NOT_OBJECT, Location(layer=position), value=_brief(layer))
        return None
    raw_name = layer.get("name")
    named = isinstance(raw_name, str) and raw_name.strip()
    where = Location(layer=position, layer_name=raw_name if named else None)
    for key in layer:
        if key not in LAYER_KEYS:
            issues.add(m.UNKNOWN_LAYER_KEY, where, key=key)
    cleaned: dict = {}
    for item in schema.options_in("layer"):
        if item.key == "data" or (item.sparse and item.key not in layer):
            continue  # "features" stands for both
        if item.key in ("min_zoom", "max_zoom"):
            if item.key == "min_zoom":
                cleaned.update(viz.zoom_range(layer, where, issues))
            continue
        check = _LAYER_CHECKS.get(item.key)
        if item.key == "features":
            value = _layer_content(layer, where, issues, owned=owned)
        elif check is not None:
            value = check(item, layer, where, issues)
        else:
            value = check_value(item, layer.get(item.key, item.default), where, issues)
        if item.key == "features":
            cleaned.update(value)
        elif not (item.sparse and _is_default(item, value)):
            cleaned[item.key] = value
    return cleaned


def _layer_style(item: Option, layer: dict, where: Location, issues: IssueCollector) -> dict:
    return _style(layer.get(item.key, {}), item.key, where, issues)


def _layer_kept(item: Option, layer: dict, where: Location, issues: IssueCollector) -> dict:
    return _copy(_object(layer.get(item.key, {}), item.key, where, issues))


_LAYER_CHECKS = {
    "id": lambda item, layer, where, issues: _layer_id(layer.get("id"), where, issues),
    "name": lambda item, layer, where, issues: _layer_name(layer.get("name"), where, issues),
    "style": _layer_style,
    "umap": _layer_kept,
    "representation": lambda item, layer, where, issues: viz.representation(
        layer.get("representation"), where, issues
    ),
    "filters": lambda item, layer, where, issues: viz.filters(
        layer.get("filters", []), where, issues
    ),
    "popup_layout": lambda item, layer, where, issues: viz.popup_layout(
        layer.get("popup_layout", "default"), where, issues
    ),
    "rules": lambda item, layer, where, issues: viz.rules(layer.get("rules"), where, issues),
    "remote_data": remote.remote_data,
}


def _layer_id(value: object, where: Location, issues: IssueCollector) -> str:
    if value is None:
        return new_layer_id()
    if isinstance(value, str) and LAYER_ID_RE.fullmatch(value):
        return value
    issues.add(m.BAD_LAYER_ID, where, value=shown(value))
    return ""


def _layer_name(value: object, where: Location, issues: IssueCollector) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        issues.add(m.LAYER_NAME_MISSING, where)
        return ""
    return check_value(schema.option("layer", "name"), value, where, issues)


def _layer_content(
    layer: dict, where: Location, issues: IssueCollector, *, owned: bool = False
) -> dict:
    """``{"features": [...]}`` or ``{"data": {...}}``; a layer with neither is empty (``owned``:
    see ``validate_document``)."""
    if "features" in layer and "data" in layer:
        issues.add(m.FEATURES_AND_DATA, where)
        return {"features": []}
    if "data" in layer:
        return {"data": _data_reference(layer["data"], where, issues)}
    raw = layer.get("features", [])
    if owned and type(raw) is list:
        return {"features": _features(raw, where, issues, owned=True)}
    raw = _list(raw, "features", where, issues)
    return {"features": _features(raw, where, issues)}


def _data_reference(value: object, where: Location, issues: IssueCollector) -> dict:
    data = _object(value, "data", where, issues)
    for key in data:
        if key not in DATA_KEYS:
            issues.add(m.UNKNOWN_KEY, where, key=key, field="data")
    cleaned: dict[str, object] = {}
    for key in DATA_KEYS:
        if key not in data:
            issues.add(m.MISSING_KEY, where, field="data", key=key)
        elif key == "digest":
            if not (isinstance(data[key], str) and DIGEST_RE.fullmatch(data[key])):
                issues.add(m.BAD_DIGEST, where, value=shown(data[key]))
            cleaned[key] = data[key]
        else:
            if (
                not (isinstance(data[key], int) and not isinstance(data[key], bool))
                or data[key] < 0
            ):
                issues.add(m.BAD_COUNT, where, field="data." + key, value=shown(data[key]))
            cleaned[key] = data[key]
    return cleaned


# --- features and geometries ---------------------------------------------------------------


def _features(
    raw: list, layer: Location, issues: IssueCollector, *, owned: bool = False
) -> list[dict]:
    """The cleaned features of ``raw``; ``owned``: ``raw`` is emptied as they are cleaned (each
    raw feature released once its copy exists) and their properties are cleaned in place."""
    cleaned: list[dict] = []
    for position, feature in enumerate(raw, start=1):
        if owned:
            raw[position - 1] = None
        where = Location(layer=layer.layer, layer_name=layer.layer_name, feature=position)
        cleaned.extend(_feature(feature, where, issues, owned=owned))
    return cleaned


def _feature(
    feature: object, where: Location, issues: IssueCollector, *, owned: bool = False
) -> list[dict]:
    """The cleaned feature, or several when its geometry is a collection (flattened)."""
    if not isinstance(feature, dict):
        issues.add(m.FEATURE_NOT_OBJECT, where, value=_brief(feature))
        return []
    if feature.get("type") != "Feature":
        issues.add(m.NOT_A_FEATURE, where, value=shown(feature.get("type")))
        return []
    properties = _properties(feature.get("properties"), where, issues, owned=owned)
    feature_id = feature.get("id")
    if feature_id is not None:  # most features have none: no call
        feature_id = _feature_id(feature_id, where, issues)
    geometry = feature.get("geometry")
    if geometry is None:
        issues.add(m.NO_GEOMETRY, where)
        return []
    kind = geometry.get("type") if type(geometry) is dict else None
    if type(kind) is str and kind in SIMPLE_GEOMETRIES:
        # ``_geometries`` for the common case, without its generator.
        coordinates = _coordinates(kind, geometry.get("coordinates"), where, issues)
        geometries = [None if coordinates is None else {"type": kind, "coordinates": coordinates}]
    else:
        geometries = list(_geometries(geometry, where, issues))
    if properties is None or None in geometries:
        return []
    if len(geometries) == 1:
        # ``properties`` is this feature's alone: a deep copy, or the owned original.
        cleaned = {"type": "Feature", "geometry": geometries[0], "properties": properties}
        # An id must stay unique, so only a feature that stayed whole keeps it.
        if feature_id is not None:
            cleaned["id"] = feature_id
        return [cleaned]
    return [
        {"type": "Feature", "geometry": geometry, "properties": _copy(properties)}
        for geometry in geometries
    ]


def _properties(
    value: object, where: Location, issues: IssueCollector, *, owned: bool = False
) -> dict | None:
    if value is None:
        return {}
    if type(value) is dict and not value:
        return {}  # a bare point of a GPX or KML file: nothing to clean
    if not isinstance(value, dict):
        issues.add(m.PROPERTIES_NOT_OBJECT, where, value=_brief(value))
        return None
    # The cleaned feature takes it as it is: a new, deep copy, or the owned original itself
    # (nothing else refers to it: see ``validate_document``).
    cleaned = value if owned and type(value) is dict else _copy(value)
    for key in ("name", "description"):
        text = cleaned.get(key)
        if text is None:
            cleaned.pop(key, None)
        elif _is_number(text):
            cleaned[key] = str(text)  # spreadsheets often give numeric names ("2011")
        elif not isinstance(text, str):
            issues.add(m.NOT_TEXT, where, field="properties." + key, value=shown(text))
    if isinstance(cleaned.get("description"), str):
        cleaned["description"] = clean_description(cleaned["description"])
    if "_media" in cleaned:
        cleaned["_media"] = viz.media(cleaned["_media"], where, issues)
    if "_style" in cleaned:
        cleaned["_style"] = _style(cleaned["_style"], "properties._style", where, issues)
        if not cleaned["_style"]:
            del cleaned["_style"]  # an empty override means nothing (the editor drops it too)
    if "_umap_options" in cleaned:
        _object(cleaned["_umap_options"], "properties._umap_options", where, issues)
    return cleaned


def _feature_id(value: object, where: Location, issues: IssueCollector) -> str | int | None:
    if value is None or isinstance(value, str) or _is_integer(value):
        return value
    issues.add(m.BAD_FEATURE_ID, where, value=shown(value))
    return None


def _geometries(geometry: object, where: Location, issues: IssueCollector) -> Iterator[dict | None]:
    """Simple geometries, a collection's members one by one; None marks an invalid one."""
    if not isinstance(geometry, dict):
        issues.add(m.GEOMETRY_NOT_OBJECT, where, value=_brief(geometry))
        yield None
        return
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        yield from _collection_members(geometry.get("geometries"), where, issues)
    elif kind in SIMPLE_GEOMETRIES:
        coordinates = _coordinates(kind, geometry.get("coordinates"), where, issues)
        yield None if coordinates is None else {"type": kind, "coordinates": coordinates}
    else:
        issues.add(m.UNKNOWN_GEOMETRY, where, value=shown(kind))
        yield None


def _collection_members(members: object, where: Location, issues: IssueCollector) -> Iterator:
    if not isinstance(members, list | tuple):
        issues.add(m.NOT_LIST, where, field="geometries", value=_brief(members))
        yield None
    elif not members:
        issues.add(m.EMPTY_COLLECTION, where)
        yield None
    else:
        for member in members:  # nesting is bounded by the depth check
            yield from _geometries(member, where, issues)


def _coordinates(kind: str, value: object, where: Location, issues: IssueCollector) -> list | None:
    """Checked, rounded coordinates of a simple geometry, or None after reporting issues."""
    checker = _Coordinates(where, issues)
    if kind == "Point":
        return checker.position(value, None)
    if kind == "LineString":
        return checker.line(value, ())
    if kind == "Polygon":
        return checker.polygon(value, ())
    if kind == "MultiPoint":
        return checker.positions(value, ())
    part = checker.line if kind == "MultiLineString" else checker.polygon
    return checker.parts(value, (), part)


class _Coordinates:
    """Checks nested coordinate lists, naming the path of each bad position.

    Paths are tuples of indices, turned into "coordinates[0][3]" only for a message.
    """

    def __init__(self, where: Location, issues: IssueCollector) -> None:
        self.where, self.issues = where, issues

    def at(self, path: tuple[int, ...] | None) -> Location:
        w = self.where
        detail = None if path is None else "coordinates" + "".join(f"[{i}]" for i in path)
        return Location(layer=w.layer, layer_name=w.layer_name, feature=w.feature, detail=detail)

    def parts(self, value: object, path: tuple[int, ...], part) -> list | None:
        if not isinstance(value, list | tuple):
            self.issues.add(m.NOT_LIST, self.at(path), field="coordinates", value=_brief(value))
            return None
        if not value:
            self.issues.add(m.EMPTY_GEOMETRY, self.at(path))
            return None
        cleaned = [part(item, (*path, index)) for index, item in enumerate(value)]
        return None if None in cleaned else cleaned

    def positions(self, value: object, path: tuple[int, ...]) -> list | None:
        """``parts(value, path, self.position)``, in one loop for the common, valid case.

        Every vertex of an import passes here. A list of plain 2D or 3D positions, all in range,
        is checked and rounded inline, with no call and no path per position; anything else
        (a tuple, a bad position, an empty list) is done again by ``parts``, which reports
        issues in the same order as always.
        """
        if type(value) is list and value:
            flat = _flat_2d(value)
            if flat is not None:
                lngs, lats = flat[0::2], flat[1::2]
                if min(lngs) >= -180 and max(lngs) <= 180 and min(lats) >= -90 and max(lats) <= 90:
                    # _round, inlined, over the whole line at once.
                    scale, floor = _ROUNDING_SCALE, _floor
                    return [
                        [floor(lng * scale + 0.5) / scale, floor(lat * scale + 0.5) / scale]
                        for lng, lat in value
                    ]
        if type(value) is list:
            cleaned = []
            append = cleaned.append
            scale, floor, numbers = _ROUNDING_SCALE, _floor, _NUMBER_TYPES
            for item in value:
                # The same tests as ``position``'s fast path (NaN and infinities fail the ranges).
                if type(item) is not list:
                    break
                size = len(item)
                if size == 2:
                    lng, lat = item
                elif size == 3:
                    lng, lat = item[0], item[1]
                else:
                    break
                if not (
                    type(lng) in numbers
                    and type(lat) in numbers
                    and -180 <= lng <= 180
                    and -90 <= lat <= 90
                ):
                    break
                if size == 2:
                    append([floor(lng * scale + 0.5) / scale, floor(lat * scale + 0.5) / scale])
                elif _is_finite_number(item[2]):
                    append([floor(n * scale + 0.5) / scale for n in item])
                else:
                    break
            else:
                if cleaned:
                    return cleaned
        return self.parts(value, path, self.position)

    def line(self, value: object, path: tuple[int, ...]) -> list | None:
        positions = self.positions(value, path)
        if positions is not None and len(positions) < 2:
            self.issues.add(m.LINE_TOO_SHORT, self.at(path), value=len(positions))
            return None
        return positions

    def polygon(self, value: object, path: tuple[int, ...]) -> list | None:
        return self.parts(value, path, self.ring)

    def ring(self, value: object, path: tuple[int, ...]) -> list | None:
        positions = self.positions(value, path)
        if positions is None:
            return None
        if len(positions) < 4:
            self.issues.add(m.RING_TOO_SHORT, self.at(path), value=len(positions))
            return None
        if positions[0] != positions[-1]:
            self.issues.add(m.RING_NOT_CLOSED, self.at(path))
            return None
        return positions

    def position(self, value: object, path: tuple[int, ...] | None) -> list | None:
        # Fast path for the common, valid case (NaN and infinities fail the range tests).
        if type(value) is list and 2 <= len(value) <= 3:
            lng, lat = value[0], value[1]
            if (
                type(lng) in _NUMBER_TYPES
                and type(lat) in _NUMBER_TYPES
                and -180 <= lng <= 180
                and -90 <= lat <= 90
                and (len(value) == 2 or _is_finite_number(value[2]))
            ):
                # _round, inlined: this line runs once per vertex of every import.
                return [_floor(n * _ROUNDING_SCALE + 0.5) / _ROUNDING_SCALE for n in value]
        return self.checked_position(value, path)

    def checked_position(self, value: object, path: tuple[int, ...] | None) -> list | None:
        where = self.at(path)
        if not isinstance(value, list | tuple) or len(value) not in (2, 3):
            self.issues.add(m.BAD_POSITION, where, value=shown(value))
            return None
        for number in value:
            if not _is_number(number):
                self.issues.add(m.COORDINATE_NOT_NUMBER, where, value=shown(number))
                return None
            if not _is_finite_number(number):
                self.issues.add(m.COORDINATE_NOT_FINITE, where, value=shown(number))
                return None
        if not _in_ranges(value[0], value[1], where, self.issues):
            return None
        return [_round(number) for number in value]  # after the range checks, as documented


def _in_ranges(lng: float, lat: float, where: Location, issues: IssueCollector) -> bool:
    valid = True
    if not -180 <= lng <= 180:
        issues.add(m.LONGITUDE_RANGE, where, value=_plain(lng))
        valid = False
    if not -90 <= lat <= 90:
        issues.add(m.LATITUDE_RANGE, where, value=_plain(lat))
        valid = False
    return valid


# --- styles --------------------------------------------------------------------------------


def _style(value: object, field: str, where: Location, issues: IssueCollector) -> dict:
    cleaned: dict[str, object] = {}
    for key, item in _object(value, field, where, issues).items():
        if key not in ALL_STYLE_KEYS:
            issues.add(m.UNKNOWN_STYLE_KEY, where, key=key)
            continue
        result = _style_value(key, item, where, issues)
        if result is not None:
            cleaned[key] = result
    return cleaned


def _style_value(key: str, value: object, where: Location, issues: IssueCollector) -> object:
    """The cleaned value of one style key, or None after reporting an issue."""
    before = len(issues.issues)
    cleaned = check_value(schema.option("style", key), value, where, issues)
    return None if len(issues.issues) > before else cleaned


def is_css_colour(value: object) -> bool:
    """#rgb, #rgba, #rrggbb, #rrggbbaa, or a CSS named colour (any case)."""
    if not isinstance(value, str):
        return False
    return bool(HEX_COLOUR_RE.fullmatch(value)) or value.lower() in CSS_NAMED_COLOURS


def to_number(value: object) -> int | float | None:
    """A finite number, from a number or a numeric string ("0.5", as uMap writes); else None."""
    if isinstance(value, str) and NUMERIC_STRING_RE.fullmatch(value):
        text = value.strip()
        value = int(text) if text.lstrip("+-").isdigit() else float(text)
    return value if _is_finite_number(value) else None


# --- small helpers -------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_finite_number(value: object) -> bool:
    try:
        return _is_number(value) and math.isfinite(value)
    except OverflowError:  # an integer too large for a float (JSON allows 1000 digits)
        return False


_ROUNDING_SCALE = 10.0**COORDINATE_DECIMALS
_floor = math.floor


def _round(number: float) -> float:
    """``number`` to COORDINATE_DECIMALS decimals, four times faster than ``round``.

    The integer count of millionths is exact, and IEEE division gives the double nearest to it
    divided by 10⁶: the same double ``round`` returns (they differ only on exact ties), and
    rounding again changes nothing.
    """
    return math.floor(number * _ROUNDING_SCALE + 0.5) / _ROUNDING_SCALE


def _plain(number: float) -> str:
    """A number as people write it: 95, not 95.0."""
    return str(int(number)) if float(number).is_integer() else str(number)


def _brief(value: object) -> str:
    return shown(value, limit=40)


def _text(
    value: object,
    field: str,
    where: Location,
    issues: IssueCollector,
    limit_prefix: str = "",
) -> str:
    if not isinstance(value, str):
        issues.add(m.NOT_TEXT, where, field=field, value=shown(value))
        return ""
    limit = TEXT_LIMITS[limit_prefix + field]
    if len(value) > limit:
        issues.add(m.TEXT_TOO_LONG, where, field=field, value=len(value), limit=limit)
    return value


def _boolean(value: object, field: str, where: Location, issues: IssueCollector) -> bool:
    if isinstance(value, bool):
        return value
    issues.add(m.NOT_BOOLEAN, where, field=field, value=shown(value))
    return False


def _object(value: object, field: str, where: Location, issues: IssueCollector) -> dict:
    if isinstance(value, dict):
        return value
    issues.add(m.NOT_OBJECT, where, field=field, value=_brief(value))
    return {}


def _list(value: object, field: str, where: Location, issues: IssueCollector) -> list:
    if isinstance(value, list | tuple):
        return list(value)
    issues.add(m.NOT_LIST, where, field=field, value=_brief(value))
    return []


def _copy(value: object) -> object:
    """A deep copy of JSON data (its depth is already bounded by ``check_size``)."""
    if isinstance(value, dict):
        # Strings and numbers, most of any properties, are taken without a call.
        scalar = _SCALAR_TYPES
        return {key: item if type(item) in scalar else _copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(item) for item in value]
    return value


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
