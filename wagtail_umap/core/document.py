"""The map document (version 1): its constants, defaults and small helpers.

Every option is declared once in ``core.schema``; the constants and defaults here are read
from it. docs/map-document.md is generated from it; ``validation.validate_document`` enforces it.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator

from wagtail_umap.core import schema

# Constants of the first release, now read from the schema (their names stay importable).
DOCUMENT_VERSION = schema.DOCUMENT_VERSION
DEFAULT_BASEMAP = schema.DEFAULT_BASEMAP

# The drawing keys of the first release; the label keys added since are sparse
# (``schema.keys("style")`` lists them all).
STYLE_KEYS = schema.keys("style", sparse=False)
MARKER_SHAPES = schema.option("style", "marker_shape").choices
PICTOGRAM_MAX_CHARS = schema.option("style", "pictogram").max_length
_marker_size = schema.option("style", "marker_size")
MARKER_SIZE_RANGE = (int(_marker_size.min), int(_marker_size.max))  # the marker's height (px)
CONTROL_NAMES = schema.keys("controls")
DEFAULT_CONTROLS = {item.key: item.default for item in schema.options_in("controls")}
# The controls a document's full form holds (a sparse one, added later, only when set).
FULL_FORM_CONTROLS = {
    item.key: item.default for item in schema.options_in("controls") if not item.sparse
}

# The 148 named colours of CSS Color Module Level 4 with their hex values (the KML writer
# needs the values), lower case: names match case-insensitively.
CSS_COLOUR_HEX = dict(
    pair.split(":")
    for pair in """
    aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff
    beige:f5f5dc bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff
    blueviolet:8a2be2 brown:a52a2a burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00
    chocolate:d2691e coral:ff7f50 cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c
    cyan:00ffff darkblue:00008b darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9
    darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b darkmagenta:8b008b
    darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000
    darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f
    darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493
    deepskyblue:00bfff dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222
    floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc
    ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 gray:808080 green:008000
    greenyellow:adff2f grey:808080 honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c
    indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5
    lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080
    lightcyan:e0ffff lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90
    lightgrey:d3d3d3 lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa
    lightskyblue:87cefa lightslategray:778899 lightslategrey:778899
    lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32 linen:faf0e6
    magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd
    mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee
    mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585
    midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5
    navajowhite:ffdead navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23
    orange:ffa500 orangered:ff4500 orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98
    paleturquoise:afeeee palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9
    peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 purple:800080
    rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513
    salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee sienna:a0522d
    silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 slategrey:708090
    snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080
    thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3
    white:ffffff whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32
    """.split()  # noqa: SIM905 - a word list is easier to check against the spec
)
CSS_NAMED_COLOURS = frozenset(CSS_COLOUR_HEX)

# Caps on text fields, in characters (see docs/map-document.md).
TEXT_LIMITS = {
    "title": schema.option("document", "title").max_length,
    "summary": schema.option("document", "summary").max_length,
    "credits": schema.option("map", "credits").max_length,
    "licence.name": schema.option("licence", "name").max_length,
    "licence.url": schema.option("licence", "url").max_length,
    "layer.name": schema.option("layer", "name").max_length,
    "layer.description": schema.option("layer", "description").max_length,
    "layer.popup_template": schema.option("layer", "popup_template").max_length,
}


def empty_document() -> dict:
    """A new, valid, full-form map document with no layers."""
    return {
        "version": DOCUMENT_VERSION,
        "title": "",
        "summary": "",
        "options": default_options(),
        "layers": [],
    }


def default_options() -> dict:
    """The map options in full form, each at its default (sparse options left out)."""
    return {key: _default("map", key) for key in schema.keys("map", sparse=False)}


def merge_imported_options(current: dict, imported: dict) -> dict:
    """The map settings after a file is imported into a map: each setting of the file that the
    map leaves at its default is taken (objects of settings, such as the controls or the
    licence, key by key; the view, centre and zoom, together); what the map set is kept.

    The one rule of ``umap_import`` and of the editor's import (its endpoint answers the
    settings merged here): a file imported into a new map gives the same map either way."""
    merged = copy.deepcopy(current)
    for key, value in imported.items():
        if key == "zoom":
            continue  # taken with the centre
        default = _known_default(key)
        here = merged.get(key, default)
        if isinstance(value, dict) and isinstance(here, dict) and isinstance(default, dict):
            for sub, sub_value in value.items():
                if here.get(sub, default.get(sub)) == default.get(sub):
                    here[sub] = copy.deepcopy(sub_value)
            merged[key] = here
        elif here == default:
            merged[key] = copy.deepcopy(value)
            if key == "center" and "zoom" in imported:
                merged["zoom"] = imported["zoom"]
    return merged


def _known_default(key: str) -> object:
    try:
        return _default("map", key)
    except KeyError:  # a key the schema does not declare: kept only when the map has none
        return None


def default_slideshow() -> dict:
    """A map told as steps, one feature each (off unless the editor turns it on)."""
    return dict(schema.SLIDESHOW_DEFAULT)


def _default(scope: str, key: str) -> object:
    """A fresh default value of an option (objects of a scope get their own defaults)."""
    item = schema.option(scope, key)
    if item.type == "object" and item.of in ("controls", "licence", "slideshow"):
        return {sub.key: sub.default for sub in schema.options_in(item.of) if not sub.sparse}
    if item.type == "object" and item.of == "style":
        return {}
    if item.type == "object" and item.of == "representation":
        return {"type": "plain"}
    if item.type == "list":
        return []
    if item.type == "json":
        return {}
    return copy.deepcopy(item.default)


def new_layer_id() -> str:
    return uuid.uuid4().hex[:12]


def new_layer(name: str, features: list | None = None, **options: object) -> dict:
    """A full-form layer; ``options`` override the defaults (description, style, …)."""
    given = {"id": new_layer_id(), "name": name, "features": list(features or [])}
    layer = {
        key: given[key] if key in given else _default("layer", key)
        for key in schema.keys("layer", sparse=False)
        if key != "data"  # a layer holds its features inline, or a reference to stored data
    }
    layer.update(options)
    return layer


def iter_layer_features(layer: dict) -> Iterator[dict]:
    """The layer's inline features (a layer holding a stored-data reference yields none)."""
    yield from layer.get("features") or []
