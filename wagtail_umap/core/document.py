"""The map document (version 1): its constants, defaults and small helpers.

The schema is described in docs/map-document.md; ``validation.validate_document`` enforces it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

DOCUMENT_VERSION = 1
DEFAULT_BASEMAP = "plan_ign"

STYLE_KEYS = (
    "color",
    "fill_color",
    "weight",
    "opacity",
    "fill_opacity",
    "fill",
    "dash_array",
    "marker_shape",
)
MARKER_SHAPES = ("pin", "circle", "square", "drop")
CONTROL_NAMES = ("zoom", "scale", "fullscreen", "layers", "locate", "home", "search", "permalink")
DEFAULT_CONTROLS = {
    "zoom": True,
    "scale": True,
    "fullscreen": True,
    "layers": True,
    "locate": False,  # asks for the citizen's position: only where the map is about "near me"
    "home": True,
    "search": False,  # sends what the citizen types to the geocoder: the site chooses
    "permalink": True,
}

# The 148 named colours of CSS Color Module Level 4, lower case (names match case-insensitively).
CSS_NAMED_COLOURS = frozenset(
    """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen
    """.split()  # noqa: SIM905 - a word list is easier to check against the spec
)

# Caps on text fields, in characters (see docs/map-document.md).
TEXT_LIMITS = {
    "title": 255,
    "summary": 2000,
    "credits": 2000,
    "licence.name": 200,
    "licence.url": 2000,
    "layer.name": 200,
    "layer.description": 10_000,
    "layer.popup_template": 10_000,
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
    return {
        "basemap": DEFAULT_BASEMAP,
        "center": None,  # None: fit the view to the data
        "zoom": None,
        "controls": dict(DEFAULT_CONTROLS),
        "credits": "",
        "licence": {"name": "", "url": ""},
        "umap": {},
    }


def new_layer_id() -> str:
    return uuid.uuid4().hex[:12]


def new_layer(name: str, features: list | None = None, **options: object) -> dict:
    """A full-form layer; ``options`` override the defaults (description, style, …)."""
    layer = {
        "id": new_layer_id(),
        "name": name,
        "description": "",
        "shown_on_load": True,
        "style": {},
        "popup_template": "",
        "features": list(features or []),
        "umap": {},
    }
    layer.update(options)
    return layer


def iter_layer_features(layer: dict) -> Iterator[dict]:
    """The layer's inline features (a layer holding a stored-data reference yields none)."""
    yield from layer.get("features") or []
