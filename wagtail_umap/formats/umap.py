"""uMap's ``.umap`` backup format, read into and written from a map document.

What we map is listed in docs/map-document.md. Every uMap option we do not map is kept verbatim
(in the map's or the layer's ``umap`` dict, or a feature's ``_umap_options``) so that a map
exported back to uMap loses nothing; each kept option is reported once as an import note.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlsplit

from wagtail_umap.core import messages as m
from wagtail_umap.core import validation_viz as viz
from wagtail_umap.core.document import DEFAULT_CONTROLS, DOCUMENT_VERSION, PICTOGRAM_MAX_CHARS
from wagtail_umap.core.errors import Issue, IssueCollector, Location, MapDocumentError, shown
from wagtail_umap.core.validation import (
    DEFAULT_LIMITS,
    LAYER_ID_RE,
    Limits,
    to_number,
    validate_document,
    validate_style,
)
from wagtail_umap.formats import FormatError, ImportResult, layer_name_from, parse_json

STYLE_FROM_UMAP = {
    "color": "color",
    "fillColor": "fill_color",
    "weight": "weight",
    "opacity": "opacity",
    "fillOpacity": "fill_opacity",
    "fill": "fill",
    "dashArray": "dash_array",
    "iconClass": "marker_shape",
    "markerSize": "marker_size",  # ours: uMap has no marker size, keeps the option and ignores it
}
UMAP_FROM_STYLE = {key: umap_key for umap_key, key in STYLE_FROM_UMAP.items()}
# uMap's iconUrl holds a picture's address or a text symbol: the text is our pictogram.
UMAP_FROM_STYLE["pictogram"] = "iconUrl"
# uMap has no square marker and two round ones: "Ball" reads as a circle, "square" writes as
# uMap's default pin.
SHAPE_FROM_ICON = {"Default": "pin", "Circle": "circle", "Drop": "drop", "Ball": "circle"}
ICON_FROM_SHAPE = {"pin": "Default", "circle": "Circle", "drop": "Drop", "square": "Default"}
CONTROLS_FROM_UMAP = {
    "zoomControl": "zoom",
    "scaleControl": "scale",
    "fullscreenControl": "fullscreen",
    "datalayersControl": "layers",
    "locateControl": "locate",
    "searchControl": "search",
    # Ours, with no uMap equivalent: written under names uMap ignores and keeps.
    "homeControl": "home",
    "permalinkControl": "permalink",
}
UMAP_FROM_CONTROL = {name: umap_key for umap_key, name in CONTROLS_FROM_UMAP.items()}
# Bookkeeping of a uMap server: kept, but an editor has nothing to learn from a note about it.
SILENT_OPTIONS = frozenset({"umap_id", "id", "permissions", "editMode", "rank"})
LAYER_OPTION_KEYS = ("properties", "_umap_options", "_storage")  # newest first
FEATURE_OPTION_KEYS = ("_umap_options", "_storage_options")
# Layer option names of uMap before 1.0 (Leaflet.Storage), read as their current names.
LEGACY_LAYER_OPTIONS = {"laydescription": "description"}
# uMap options holding the address of a marker's picture; uMap writes its own pictograms as
# server-relative paths ("/uploads/pictogram/x.svg"), resolved on import against the file's
# "uri" so the kept value still means something elsewhere (we never fetch it).
ICON_URL_OPTIONS = ("iconUrl",)


class Notes:
    """Import notes, one per (kind, place, option name), in the order they were found."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self._seen: set[tuple] = set()

    def add(self, template: str, where: Location, **params: object) -> None:
        key = (template, where.layer, params.get("name"))
        if key not in self._seen:
            self._seen.add(key)
            self.issues.append(Issue(template, params, where))

    def kept(self, template: str, where: Location, name: str, value: object) -> None:
        """Note an option kept verbatim, unless it is empty or mere bookkeeping."""
        if name not in SILENT_OPTIONS and value not in (None, "", {}, []):
            self.add(template, where, name=name)


# --- reading -------------------------------------------------------------------------------


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A ``.umap`` backup; its unnamed layers are named after the file."""
    return read(data, limits=limits, default_layer_name=layer_name_from(filename))


def read(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, default_layer_name: str = "Layer"
) -> ImportResult:
    """Read a ``.umap`` file into a validated map document and import notes."""
    value = parse_json(data, limits)
    return from_value(
        value, limits=limits, default_layer_name=default_layer_name, size_checked=True
    )


def from_value(
    value: object,
    *,
    limits: Limits = DEFAULT_LIMITS,
    default_layer_name: str = "Layer",
    size_checked: bool = False,
) -> ImportResult:
    """Like ``read``, from already parsed JSON (``size_checked`` when ``parse_json`` parsed it)."""
    if not isinstance(value, dict) or value.get("type") != "umap":
        found = value.get("type") if isinstance(value, dict) else value
        raise FormatError([Issue(m.NOT_UMAP, {"value": shown(found, 40)})])
    notes = Notes()
    properties = value.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    layers = value.get("layers")
    base = _base_url(value.get("uri"))
    if base:
        properties = resolve_icon_urls(properties, base)
        layers = _resolve_layers(layers, base)
    document = {
        "version": DOCUMENT_VERSION,
        "title": properties.get("name", ""),
        "summary": properties.get("description", ""),
        "options": map_options_from_umap(properties, value.get("geometry"), notes),
        "layers": layers_from_umap(layers, notes, default_layer_name),
    }
    cleaned = validate_document(document, limits, size_checked=size_checked)
    return ImportResult(cleaned, notes.issues)


def _base_url(uri: object) -> str | None:
    """The file's ``uri`` when it is an absolute http(s) address, else None."""
    if isinstance(uri, str) and urlsplit(uri).scheme in ("http", "https") and urlsplit(uri).netloc:
        return uri
    return None


def resolve_icon_urls(options: dict, base: str) -> dict:
    """A copy of uMap options with server-relative icon addresses made absolute."""
    resolved = dict(options)
    for key in ICON_URL_OPTIONS:
        url = resolved.get(key)
        if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
            resolved[key] = urljoin(base, url)
    return resolved


def _resolve_layers(layers: object, base: str) -> object:
    """Layers (as read, before mapping) with their own and their features' icons resolved."""
    if not isinstance(layers, list):
        return layers
    return [_resolve_layer(layer, base) if isinstance(layer, dict) else layer for layer in layers]


def _resolve_layer(collection: dict, base: str) -> dict:
    collection = dict(collection)
    for key in LAYER_OPTION_KEYS:
        if isinstance(collection.get(key), dict):
            collection[key] = resolve_icon_urls(collection[key], base)
    features = collection.get("features")
    if isinstance(features, list):
        collection["features"] = [_resolve_feature(feature, base) for feature in features]
    return collection


def _resolve_feature(feature: object, base: str) -> object:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        return feature
    properties = dict(properties)
    for key in FEATURE_OPTION_KEYS:
        if isinstance(properties.get(key), dict):
            properties[key] = resolve_icon_urls(properties[key], base)
    return {**feature, "properties": properties}


def map_options_from_umap(properties: dict, geometry: object, notes: Notes) -> dict:
    where = Location()
    kept: dict = {}
    controls = dict(DEFAULT_CONTROLS)
    options: dict = {"center": _center(geometry), "controls": controls, "umap": kept}
    for key, value in properties.items():
        if key in ("name", "description"):
            continue  # the document's title and summary
        if key in CONTROLS_FROM_UMAP and isinstance(value, bool):
            controls[CONTROLS_FROM_UMAP[key]] = value
        elif key == "zoom" and _zoom(value) is not None:
            options["zoom"] = _zoom(value)
        elif key == "licence" and _is_licence(value):
            options["licence"] = {"name": value.get("name", ""), "url": value.get("url", "")}
        elif key == "tilelayer":
            kept[key] = value
            name = value.get("name") if isinstance(value, dict) else value
            notes.add(m.NOTE_BASEMAP, where, name=key, value=shown(name, 60))
        elif key not in ("longCredit", "shortCredit"):
            kept[key] = value
            notes.kept(m.NOTE_MAP_OPTION, where, key, value)
    _credits(properties, options, notes)
    return options


def _credits(properties: dict, options: dict, notes: Notes) -> None:
    """The long credit (uMap's caption text) becomes ours; a different short one is kept."""
    long, short = properties.get("longCredit"), properties.get("shortCredit")
    credits = long if isinstance(long, str) and long else short
    if isinstance(credits, str):
        options["credits"] = credits
    if credits == long and short not in (None, "", long):
        options["umap"]["shortCredit"] = short
        notes.kept(m.NOTE_MAP_OPTION, Location(), "shortCredit", short)


def _center(geometry: object) -> dict | None:
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if isinstance(coordinates, list) and len(coordinates) >= 2:
            return {"lat": coordinates[1], "lng": coordinates[0]}  # validation checks ranges
    return None


def _zoom(value: object) -> int | None:
    number = to_number(value)  # uMap has written zooms as strings too
    return int(number) if number is not None and float(number).is_integer() else None


def _is_licence(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(key, ""), str) for key in ("name", "url")
    )


def layers_from_umap(layers: object, notes: Notes, default_name: str) -> object:
    """Our layers from uMap's FeatureCollections (anything else is left for validation)."""
    if not isinstance(layers, list):
        return [] if layers is None else layers
    result, used_ids = [], set()
    for position, collection in enumerate(layers, start=1):
        if not isinstance(collection, dict):
            result.append(collection)
            continue
        layer = layer_from_umap(collection, position, notes, f"{default_name} {position}")
        if "id" in layer and layer["id"] in used_ids:
            layer["umap"]["id"] = layer.pop("id")  # keep the first; regenerate the others
        used_ids.add(layer.get("id"))
        result.append(layer)
    return result


def layer_from_umap(collection: dict, position: int, notes: Notes, default_name: str) -> dict:
    """One of our layers from a uMap FeatureCollection with its options."""
    options = _layer_options(collection)
    name = options.get("name")
    name = name if isinstance(name, str) and name.strip() else default_name
    where = Location(layer=position, layer_name=name)
    layer: dict = {"name": name, "style": {}, "umap": {}}
    representation = representation_from_umap(options)
    if representation is not None:
        layer["representation"] = representation
    for key, value in options.items():
        if representation is not None and key in REPRESENTATION_OPTIONS:
            layer["umap"][key] = value  # shown now, and kept for a faithful export
            continue
        if key != "name" and not _map_layer_option(layer, key, value, where, notes):
            layer["umap"][key] = value
            notes.kept(m.NOTE_LAYER_OPTION, where, key, value)
    features = collection.get("features", [])
    if isinstance(features, list):
        features = [feature_from_umap(feature, where, notes) for feature in features]
    layer["features"] = features
    return layer


def _layer_options(collection: dict) -> dict:
    for key in LAYER_OPTION_KEYS:
        if isinstance(collection.get(key), dict):
            return _modern_names(collection[key])
    return {}


def _modern_names(options: dict) -> dict:
    """Legacy option names renamed, unless the current name is also set (it wins)."""
    if not any(key in options for key in LEGACY_LAYER_OPTIONS):
        return options
    renamed: dict = {}
    for key, value in options.items():
        modern = LEGACY_LAYER_OPTIONS.get(key)
        if modern is None:
            renamed[key] = value
        elif modern not in options:
            renamed[modern] = value
        else:
            renamed[key] = value  # both given: keep the legacy one verbatim
    return renamed


def _map_layer_option(layer: dict, key: str, value: object, where: Location, notes: Notes) -> bool:
    """Put one uMap layer option into ``layer``; False when we do not map it."""
    if key == "description" and isinstance(value, str):
        layer["description"] = value
    elif key == "displayOnLoad" and isinstance(value, bool):
        layer["shown_on_load"] = value
    elif key == "popupContentTemplate" and isinstance(value, str):
        layer["popup_template"] = value
    elif key == "id" and isinstance(value, str | int) and LAYER_ID_RE.fullmatch(str(value)):
        layer["id"] = str(value)
    elif key in STYLE_FROM_UMAP:
        return _map_style_option(layer["style"], layer["umap"], key, value, where, notes)
    elif key == "iconUrl" and (pictogram := pictogram_from_icon_url(value)):
        layer["style"]["pictogram"] = pictogram
        layer["umap"][key] = value  # kept too, so an unchanged export gives uMap its own value
    else:
        return False
    return True


def pictogram_from_icon_url(value: object) -> str | None:
    """The text of a uMap iconUrl that is a symbol (an emoji, letters), not a picture's address."""
    if not isinstance(value, str) or not value.strip():
        return None
    looks_like_address = any(mark in value for mark in "/:.")
    if looks_like_address or len(value) > PICTOGRAM_MAX_CHARS:
        return None
    return value


def _map_style_option(
    style: dict, kept: dict, key: str, value: object, where: Location, notes: Notes
) -> bool:
    """Map one uMap style option; a value we cannot show is kept with a note (still True)."""
    if value in (None, ""):
        return True  # uMap writes unset options as empty: nothing to keep
    candidate = SHAPE_FROM_ICON.get(value, value) if key == "iconClass" else value
    try:
        cleaned = validate_style({STYLE_FROM_UMAP[key]: candidate}, where)
    except MapDocumentError:
        kept[key] = value
        notes.add(m.NOTE_UNUSABLE_VALUE, where, name=key, value=shown(value, 40))
        return True
    style.update(cleaned)
    if key == "iconClass" and value == "Ball":
        kept[key] = value  # we show it as a circle; uMap gets its ball back on export
    return True


def feature_from_umap(feature: object, where: Location, notes: Notes) -> object:
    """A feature with uMap's per-feature options split into ``_style`` and ``_umap_options``."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return feature
    properties = dict(feature["properties"])
    options: dict = {}
    for key in FEATURE_OPTION_KEYS:
        if isinstance(properties.get(key), dict):
            options = {**properties.pop(key), **options}
    if not options:
        return feature
    style: dict = {}
    kept: dict = {}
    for key, value in options.items():
        if key in STYLE_FROM_UMAP:
            _map_style_option(style, kept, key, value, where, notes)
        elif key == "iconUrl" and (pictogram := pictogram_from_icon_url(value)):
            style["pictogram"] = pictogram
            kept[key] = value  # as for a layer: an unchanged export gives uMap its own value
        else:
            kept[key] = value
            notes.kept(m.NOTE_FEATURE_OPTION, where, key, value)
    if style:
        own = properties.get("_style")
        properties["_style"] = {**own, **style} if isinstance(own, dict) else style
    if kept:
        properties["_umap_options"] = kept
    return {**feature, "properties": properties}


# --- writing -------------------------------------------------------------------------------


def write(document: dict) -> bytes:
    """A ``.umap`` file of a full (inline features) document, which uMap can import."""
    options = document["options"]
    result: dict = {"type": "umap"}
    center = options.get("center")
    if center is not None:
        result["geometry"] = {"type": "Point", "coordinates": [center["lng"], center["lat"]]}
    result["properties"] = _map_properties(document)
    result["layers"] = [_layer_collection(layer) for layer in document["layers"]]
    return json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


def _map_properties(document: dict) -> dict:
    options = document["options"]
    properties = dict(options.get("umap", {}))
    properties["name"] = document.get("title", "")
    properties["description"] = document.get("summary", "")
    if options.get("zoom") is not None:
        properties["zoom"] = options["zoom"]
    for name, shown_control in options.get("controls", {}).items():
        properties[UMAP_FROM_CONTROL[name]] = shown_control
    if options.get("credits"):
        properties["longCredit"] = options["credits"]
    if options.get("licence", {}).get("name") or options.get("licence", {}).get("url"):
        properties["licence"] = dict(options["licence"])
    return properties


def layer_options(layer: dict) -> dict:
    """A layer's uMap options: the kept ones, then ours mapped back (ours win)."""
    properties = dict(layer.get("umap", {}))
    properties.update(_umap_style(layer.get("style", {}), properties))
    if layer.get("id"):
        properties["id"] = layer["id"]
    properties.update(
        {
            "name": layer["name"],
            "description": layer.get("description", ""),
            "displayOnLoad": layer.get("shown_on_load", True),
        }
    )
    if layer.get("popup_template"):
        properties["popupContentTemplate"] = layer["popup_template"]
    properties.update(representation_to_umap(layer.get("representation"), properties))
    return properties


# --- representations (uMap's layer "type" and its options) ----------------------------------

UMAP_TYPES = {
    "Cluster": "cluster",
    "Heat": "heat",
    "Choropleth": "choropleth",
    "Categorized": "categorized",
    "Circles": "circles",
}
REPRESENTATION_OPTIONS = ("type", "cluster", "heat", "choropleth", "categorized", "circles")
UMAP_MODES = {
    "quantiles": "quantiles",
    "equidistant": "equal",
    "jenks": "jenks",
    "manual": "manual",
}
UMAP_SCHEMES = {
    "Blues": "blues",
    "Greens": "greens",
    "Oranges": "oranges",
    "Purples": "purples",
    "Viridis": "viridis",
    "RdBu": "red_blue",
    "BrBG": "brown_teal",
    "PRGn": "purple_green",
}


def representation_from_umap(options: dict) -> dict | None:
    """Our ``representation`` from uMap's layer ``type`` and its options (None for a plain
    layer or a type we do not draw). Values we cannot read fall back to our defaults."""
    kind = UMAP_TYPES.get(options.get("type"))
    if kind is None:
        return None
    settings = options.get(kind)
    settings = settings if isinstance(settings, dict) else {}
    field = settings.get("property")
    field = field if isinstance(field, str) else ""
    if kind == "cluster":
        radius = _whole(settings.get("radius"), 10, 200)
        return {"type": "cluster", **({"radius": radius} if radius else {})}
    if kind == "heat":
        heat = {
            "type": "heat",
            "field": _text_or_empty(options.get("heat", {}), "intensityProperty"),
        }
        radius = _whole(settings.get("radius"), 5, 100)
        return {**heat, **({"radius": radius} if radius else {})}
    if kind == "circles":
        radius = settings.get("radius") if isinstance(settings.get("radius"), dict) else {}
        circles = {"type": "circles", "field": field}
        low, high = _whole(radius.get("min"), 1, 100), _whole(radius.get("max"), 2, 200)
        if low and high and low <= high:
            circles.update(min_radius=low, max_radius=high)
        return circles
    if kind == "categorized":
        return {"type": "categorized", "field": field}
    return _choropleth_from_umap(settings, field)


def _choropleth_from_umap(settings: dict, field: str) -> dict:
    classes = _whole(settings.get("classes"), 3, 9) or 5
    choropleth = {
        "type": "choropleth",
        "field": field,
        "method": UMAP_MODES.get(settings.get("mode"), "quantiles"),
        "classes": classes,
        "scheme": UMAP_SCHEMES.get(settings.get("brewer"), "blues"),
    }
    if choropleth["method"] == "manual":
        breaks = _numbers(settings.get("breaks"))
        if len(breaks) == classes + 1:  # uMap writes the outer bounds too
            breaks = breaks[1:-1]
        if len(breaks) == classes - 1 and breaks == sorted(set(breaks)):
            choropleth["breaks"] = breaks
        else:
            choropleth["method"] = "quantiles"
    return choropleth


def representation_to_umap(representation: dict | None, kept: dict) -> dict:
    """uMap's ``type`` and options for our representation, over the options kept on import."""
    kind = (representation or {}).get("type", "plain")
    if _full(representation_from_umap(kept)) == _full(representation):
        return {}  # unchanged since the import: uMap's own options go back as they came
    if kind == "plain":
        return {"type": "Default"} if kept.get("type") in UMAP_TYPES else {}
    umap_type = next(name for name, ours in UMAP_TYPES.items() if ours == kind)
    previous = kept.get(kind) if isinstance(kept.get(kind), dict) else {}
    settings = dict(previous)
    if kind == "cluster":
        settings["radius"] = representation.get("radius", 60)
    elif kind == "heat":
        settings["radius"] = representation.get("radius", 25)
        heat = dict(kept.get("heat") or {}) if isinstance(kept.get("heat"), dict) else {}
        if representation.get("field"):
            heat["intensityProperty"] = representation["field"]
        settings.update(heat)
    elif kind == "circles":
        settings["property"] = representation.get("field", "")
        settings["radius"] = {
            "min": representation.get("min_radius", 4),
            "max": representation.get("max_radius", 40),
        }
    elif kind == "categorized":
        settings["property"] = representation.get("field", "")
    else:
        modes = {ours: name for name, ours in UMAP_MODES.items()}
        schemes = {ours: name for name, ours in UMAP_SCHEMES.items()}
        settings["property"] = representation.get("field", "")
        settings["mode"] = modes.get(representation.get("method"), "quantiles")
        settings["classes"] = representation.get("classes", 5)
        settings["brewer"] = schemes.get(representation.get("scheme"), "Blues")
        if representation.get("breaks"):
            settings["breaks"] = ",".join(str(b) for b in representation["breaks"])
    return {"type": umap_type, kind: settings}


def _full(representation: dict | None) -> dict:
    """A representation with its defaults filled, to compare two of them."""
    issues = IssueCollector()
    try:
        return viz.representation(representation, Location(), issues)
    except MapDocumentError:
        return {}


def _whole(value: object, low: int, high: int) -> int | None:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    return number if number is not None and low <= number <= high else None


def _text_or_empty(options: object, key: str) -> str:
    value = options.get(key) if isinstance(options, dict) else None
    return value if isinstance(value, str) else ""


def _numbers(value: object) -> list[float]:
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    numbers = []
    for item in items:
        try:
            number = float(item)
        except (TypeError, ValueError):
            return []
        numbers.append(int(number) if number.is_integer() else number)
    return numbers


def _layer_collection(layer: dict) -> dict:
    properties = layer_options(layer)
    features = [_umap_feature(feature) for feature in layer.get("features", [])]
    # "properties" is where uMap 3.7+ reads layer options, "_umap_options" where older ones do.
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": properties,
        "_umap_options": properties,
    }


def _umap_style(style: dict, kept: dict | None = None) -> dict:
    umap_style = {UMAP_FROM_STYLE[key]: value for key, value in style.items()}
    if "iconClass" in umap_style:
        icon = ICON_FROM_SHAPE[umap_style["iconClass"]]
        if kept and kept.get("iconClass") == "Ball" and icon == "Circle":
            icon = "Ball"  # read from uMap's "Ball", still a circle here
        umap_style["iconClass"] = icon
    return umap_style


def _umap_feature(feature: dict) -> dict:
    properties = dict(feature.get("properties", {}))
    kept = properties.pop("_umap_options", {})
    options = {**kept, **_umap_style(properties.pop("_style", {}), kept)}
    if options:
        properties["_umap_options"] = options
    return {**feature, "properties": properties}
