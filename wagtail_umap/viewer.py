"""What the public viewer shows, and the JSON configuration its script reads.

The lead's code builds a :class:`ViewerMap` from a published Map (or a preview); the
``{% umap_viewer %}`` template tag renders it as HTML that is complete without JavaScript (title,
summary, skip link, the list of features) and puts :func:`viewer_config` in a ``json_script``
element for ``static/wagtail_umap/js/viewer.js``.

The configuration carries data, never HTML built from data: names, descriptions and free
properties travel as plain strings and the script writes them with ``textContent``. The one
exception is the basemap attribution, trusted HTML written by the site's developers in settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext, ngettext

from wagtail_umap import viewer_viz
from wagtail_umap.conf import REFERRER_POLICY, get_geocoder, get_setting
from wagtail_umap.core.document import CONTROL_NAMES, DEFAULT_CONTROLS, MARKER_SHAPES

# Metropolitan France, when neither the map, its data nor LEAFLET_CONFIG say where to look.
FALLBACK_CENTER = (46.6, 2.4)
FALLBACK_ZOOM = 5


# The type each style key's value must have (the keys are the map document's STYLE_KEYS). The
# document is validated when saved; this second check keeps the viewer safe whatever it is given.
STYLE_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "color": (str,),
    "fill_color": (str,),
    "weight": (int, float),
    "opacity": (int, float),
    "fill_opacity": (int, float),
    "fill": (bool,),
    "dash_array": (str,),
    "marker_shape": (str,),
    "pictogram": (str,),
    "marker_size": (int,),
}


@dataclass(frozen=True)
class Download:
    """A link to the map's or a layer's data in one export format."""

    label: str  # the format's name: "GeoJSON", "CSV"…
    url: str


@dataclass
class ViewerLayer:
    id: str
    name: str
    description: str
    shown_on_load: bool
    style: dict
    popup_template: str
    features: list[dict]
    data_url: str | None = None
    downloads: list[Download] = field(default_factory=list)
    # A layer loaded from its data URL has no features here: its size, geometry types and box
    # come from the store, and its list from the first page of its feature index.
    feature_count: int | None = None
    vertex_count: int | None = None
    geometry_types: list[str] | None = None
    bbox: list[float] | None = None  # [west, south, east, north]
    feature_page: Any = None  # views.feature_list.FeaturePage
    digest: str | None = None  # its stored data's digest: keys its cached classes (viewer_viz)
    # Data visualisation (viewer_viz.py): the layer's representation, min_zoom, max_zoom,
    # filters and popup_layout as the map document has them.
    viz: dict = field(default_factory=dict)


@dataclass
class ViewerMap:
    dom_id: str
    title: str
    summary: str
    basemap: dict
    center: dict | None
    zoom: int | None
    controls: dict
    credits: str
    layers: list[ViewerLayer]
    height: int | None = None
    caption: str = ""
    heading_level: int = 2
    notice: str = ""
    downloads: list[Download] = field(default_factory=list)
    licence: dict = field(default_factory=dict)  # {"name", "url"} of the data's licence
    slideshow: dict = field(default_factory=dict)  # options.slideshow of the map document


@dataclass
class FeatureItem:
    """One entry of the server-rendered feature list."""

    key: str  # "{layer_id}:{index}", the value of data-umap-feature
    dom_id: str  # id of the <li>, target of the popup's "Show in the list" link
    number: int  # 1-based position in its layer
    name: str  # the feature's name, or "Unnamed feature no. N"
    has_name: bool
    description: str
    locatable: bool  # has a geometry, so "Show on the map" can work
    note: str = ""  # its class and value when the layer encodes data ("taux : 6,7 %…")
    description_html: str = ""  # the description's cleaned HTML, when it is HTML


@dataclass
class LayerSection:
    """One layer of the server-rendered feature list."""

    layer: ViewerLayer
    dom_id: str
    items: list[FeatureItem] = field(default_factory=list)
    page: Any = None  # one page of a large layer (views.feature_list.FeaturePage)


def clean_style(style: dict | None) -> dict[str, Any]:
    """Keep the known style keys whose values have the right type (and finite numbers)."""
    cleaned: dict[str, Any] = {}
    for key, value in (style or {}).items():
        types = STYLE_VALUE_TYPES.get(key)
        if types is None or not isinstance(value, types):
            continue
        if bool not in types and isinstance(value, bool):
            continue  # True is an int in Python: not a valid weight
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if key == "marker_shape" and value not in MARKER_SHAPES:
            continue
        cleaned[key] = value
    return cleaned


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def unnamed_label(number: int) -> str:
    return gettext("Unnamed feature no. %(number)s") % {"number": number}


def feature_name(feature: dict, number: int) -> tuple[str, bool]:
    """The feature's name and whether it has one (else the numbered fallback)."""
    name = _text((feature.get("properties") or {}).get("name")).strip()
    return (name, True) if name else (unnamed_label(number), False)


def layer_sections(viewer_map: ViewerMap) -> list[LayerSection]:
    """The feature list the template renders: one section per layer, one item per feature."""
    sections = []
    for position, layer in enumerate(viewer_map.layers):
        section = LayerSection(layer=layer, dom_id=f"{viewer_map.dom_id}-layer-{position}")
        if layer.feature_page is not None:
            section.page = layer.feature_page(section.dom_id)
            sections.append(section)
            continue
        representation = layer_representation(layer)
        for index, feature in enumerate(layer.features):
            name, has_name = feature_name(feature, index + 1)
            properties = feature.get("properties") or {}
            section.items.append(
                FeatureItem(
                    key=f"{layer.id}:{index}",
                    dom_id=f"{section.dom_id}-feature-{index}",
                    number=index + 1,
                    name=name,
                    has_name=has_name,
                    description=_text(properties.get("description")),
                    locatable=bool(feature.get("geometry")),
                    note=viewer_viz.feature_note(representation, feature),
                    description_html=viewer_viz.description_html(properties.get("description")),
                )
            )
        sections.append(section)
    return sections


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    """Every (lng, lat) in nested GeoJSON coordinates, skipping anything malformed."""
    if isinstance(coordinates, list | tuple):
        if len(coordinates) >= 2 and all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
        ):
            lng, lat = coordinates[0], coordinates[1]
            if math.isfinite(lng) and math.isfinite(lat):
                yield float(lng), float(lat)
            return
        for item in coordinates:
            yield from _positions(item)


def _geometry_positions(geometry: dict | None) -> Iterator[tuple[float, float]]:
    if not isinstance(geometry, dict):
        return
    if geometry.get("type") == "GeometryCollection":
        for child in geometry.get("geometries") or []:
            yield from _geometry_positions(child)
    else:
        yield from _positions(geometry.get("coordinates"))


def data_bounds(layers: Iterable[ViewerLayer]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the layers' features, or None when they have none."""
    south = west = math.inf
    north = east = -math.inf
    for layer in layers:
        if not layer.features and layer.bbox:
            box_west, box_south, box_east, box_north = layer.bbox
            south, north = min(south, box_south), max(north, box_north)
            west, east = min(west, box_west), max(east, box_east)
            continue
        for feature in layer.features:
            for lng, lat in _geometry_positions(feature.get("geometry")):
                south, north = min(south, lat), max(north, lat)
                west, east = min(west, lng), max(east, lng)
    if south == math.inf:
        return None
    return [[south, west], [north, east]]


def default_view() -> tuple[list[float], int]:
    """django-leaflet's DEFAULT_CENTER / DEFAULT_ZOOM, else metropolitan France."""
    from leaflet import app_settings

    center = app_settings.get("DEFAULT_CENTER") or FALLBACK_CENTER
    zoom = app_settings.get("DEFAULT_ZOOM")
    return [float(center[0]), float(center[1])], int(zoom if zoom is not None else FALLBACK_ZOOM)


def view_config(viewer_map: ViewerMap) -> dict[str, Any]:
    """Where the map opens: the map's own view, else its data's bounds, else the default."""
    default_center, default_zoom = default_view()
    view: dict[str, Any] = {
        "center": None,
        "zoom": None,
        "bounds": None,
        "defaultCenter": default_center,
        "defaultZoom": default_zoom,
    }
    center = viewer_map.center
    if center and center.get("lat") is not None and center.get("lng") is not None:
        view["center"] = [float(center["lat"]), float(center["lng"])]
        view["zoom"] = int(viewer_map.zoom) if viewer_map.zoom is not None else default_zoom
        return view
    shown = [layer for layer in viewer_map.layers if layer.shown_on_load]
    view["bounds"] = data_bounds(shown) or data_bounds(viewer_map.layers)
    return view


def basemap_config(basemap: dict) -> dict[str, Any]:
    return {
        "id": _text(basemap.get("id")),
        "label": _text(basemap.get("label")),
        "url": _text(basemap.get("url")),
        # Trusted HTML from the site's settings (like LEAFLET_CONFIG), not from editors.
        "attribution": _text(basemap.get("attribution")),
        "minZoom": basemap.get("min_zoom", 0),
        "maxZoom": basemap.get("max_zoom", 19),
        "subdomains": _text(basemap.get("subdomains")),
        "referrerPolicy": _text(basemap.get("referrer_policy")) or REFERRER_POLICY,
        # Draw the tiles in greys (the "Plan IGN v2, grey" preset).
        "grayscale": bool(basemap.get("grayscale")),
    }


POINT_TYPES = frozenset({"Point", "MultiPoint"})


def layer_size(layer: ViewerLayer) -> tuple[int, int, set[str]]:
    """Features, vertices and geometry types of a layer, from the store or its features."""
    if layer.feature_count is not None:
        return layer.feature_count, layer.vertex_count or 0, set(layer.geometry_types or [])
    kinds, vertices = set(), 0
    for feature in layer.features:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict):
            kinds.add(geometry.get("type"))
            vertices += sum(1 for _ in _geometry_positions(geometry))
    return len(layer.features), vertices, kinds


def render_hint(layer: ViewerLayer) -> str:
    """How the viewer draws the layer, measured from its size (docs/large-data.md):
    "markers" (one accessible marker per point, SVG paths), "cluster" (points grouped by a
    worker-built index), "canvas" (vectors on one canvas) or "tiles" (lines and polygons cut
    into tiles in a worker)."""
    features, vertices, kinds = layer_size(layer)
    if kinds == {"Point"} and features >= get_setting("CLUSTER_MIN_POINTS"):
        return "cluster"
    if kinds - POINT_TYPES and vertices >= get_setting("TILE_MIN_VERTICES"):
        return "tiles"  # lines or polygons with many vertices
    if features >= get_setting("CANVAS_MIN_FEATURES"):
        return "canvas"
    return "markers"


def layer_representation(layer: ViewerLayer) -> dict[str, Any]:
    """The layer's representation with its classes computed (once per layer and request)."""
    if "_representation" not in layer.__dict__:
        if "_viz" in layer.__dict__:  # a data-URL layer's, from the cache (viewer_viz)
            layer.__dict__["_representation"] = layer.__dict__["_viz"]["representation"]
        else:
            representation = viewer_viz.representation_of(layer.viz)
            layer.__dict__["_representation"] = viewer_viz.representation_config(
                representation, layer.features
            )
    return layer.__dict__["_representation"]


def layer_viz_config(layer: ViewerLayer) -> dict[str, Any]:
    """Representation, zoom range, filters and popup layout (docs/data-visualisation.md)."""
    viz = layer.viz or {}
    cached = layer.__dict__.get("_viz")
    return {
        "representation": layer_representation(layer),
        "minZoom": viz.get("min_zoom"),
        "maxZoom": viz.get("max_zoom"),
        "filters": cached["filters"]
        if cached
        else viewer_viz.filters_config(viz.get("filters") or [], layer.features),
        "popupLayout": viz.get("popup_layout") or "default",
    }


def layer_config(layer: ViewerLayer) -> dict[str, Any]:
    inline = not layer.data_url
    return {
        **layer_viz_config(layer),
        "render": render_hint(layer),
        "id": _text(layer.id),
        "name": _text(layer.name),
        "shownOnLoad": bool(layer.shown_on_load),
        "style": clean_style(layer.style),
        "popupTemplate": _text(layer.popup_template),
        "dataUrl": layer.data_url or None,
        # Features travel inline only when there is no data URL; otherwise the script fetches
        # them. Either way the feature at position i is the list's "{id}:{i}".
        "data": {"type": "FeatureCollection", "features": list(layer.features)} if inline else None,
    }


def controls_config(controls: dict | None) -> dict[str, bool]:
    """Every control on or off; a key the map does not have takes its default."""
    controls = controls if isinstance(controls, dict) else {}
    return {name: bool(controls.get(name, DEFAULT_CONTROLS[name])) for name in CONTROL_NAMES}


def geocoder_config() -> dict[str, str] | None:
    """The address search's geocoder (the citizen's browser calls it when they search), or None
    when the site offers none. ``format`` says how to ask and read it: "ban" (the Géoplateforme's
    GeoJSON) or "nominatim" (its jsonv2 list)."""
    geocoder = get_geocoder()
    if not geocoder or not geocoder.get("url"):
        return None
    key = _text(geocoder.get("id"))
    return {
        "id": key,
        "url": _text(geocoder["url"]),
        "attribution": _text(geocoder.get("attribution")),
        "format": _text(geocoder.get("format")) or ("nominatim" if key == "nominatim" else "ban"),
    }


def _plural(forms: Callable[[int], str]) -> dict[str, str]:
    """Both forms with a %(count)s placeholder; the script picks one with Intl.PluralRules.

    ``forms`` calls ngettext with literal strings, so that makemessages extracts them.
    """
    return {"one": forms(1), "other": forms(2)}


def ui_strings() -> dict[str, Any]:
    """Every text the script shows or speaks, translated on the server."""
    return {
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "close": gettext("Close"),
        "closePopup": gettext("Close this information window"),
        "layers": gettext("Layers"),
        "showOnMap": gettext("Show on the map"),
        "showInList": gettext("Show in the list"),
        "loading": gettext("Loading the map…"),
        "layerError": gettext("The layer “%(name)s” could not be loaded."),
        "layerLoading": gettext("Loading the layer “%(name)s”…"),
        "listLoading": gettext("Loading the list…"),
        "listError": gettext("The list could not be loaded. Try again."),
        "mapError": gettext("The interactive map could not be displayed."),
        "unnamed": gettext("Unnamed feature no. %(number)s"),
        "featuresShown": _plural(
            lambda n: ngettext("%(count)s feature shown", "%(count)s features shown", n)
        ),
        "markerCount": _plural(lambda n: ngettext("%(count)s place", "%(count)s places", n)),
        # Controls
        "fullscreen": gettext("Full screen"),
        "exitFullscreen": gettext("Exit full screen"),
        "home": gettext("Back to the initial view"),
        "locate": gettext("Show my position"),
        "yourPosition": gettext("Your position"),
        "locating": gettext("Looking for your position…"),
        "located": gettext("Your position is shown on the map (accurate to about %(meters)s m)."),
        "locateDenied": gettext("You did not allow the map to know your position."),
        "locateUnavailable": gettext("Your position could not be found."),
        "search": gettext("Search"),
        "searchLabel": gettext("Search for an address"),
        "searchResults": gettext("Addresses found"),
        "searching": gettext("Searching…"),
        "searchEmpty": gettext("No address found."),
        "searchError": gettext("The address search is not available at the moment."),
        "searchSource": gettext("Addresses: %(source)s"),
        "searchMoved": gettext("The map shows “%(label)s”."),
        "searchCount": _plural(
            lambda n: ngettext("%(count)s address found", "%(count)s addresses found", n)
        ),
    }


def worker_assets() -> dict[str, str]:
    """Static URLs the large-layer tiling worker loads (hashed under a manifest storage)."""
    from django.templatetags.static import static

    return {
        "tilesWorker": static("wagtail_umap/js/viewer/tiles-worker.js"),
        "geojsonVt": static("wagtail_umap/vendor/geojson-vt/geojson-vt.js"),
    }


def viewer_config(viewer_map: ViewerMap) -> dict[str, Any]:
    """The JSON the script reads (through json_script): data and translated strings, no HTML
    except the basemap attribution."""
    heading_level = min(max(int(viewer_map.heading_level or 2), 1), 6)
    # Classes and filter choices of the layers loaded from their data URL: cached per digest.
    viewer_viz.prepare_data_url_layers(viewer_map.layers)
    return {
        "domId": viewer_map.dom_id,
        "title": _text(viewer_map.title),
        "language": get_language() or "fr",
        "basemap": basemap_config(viewer_map.basemap or {}),
        "view": view_config(viewer_map),
        "controls": controls_config(viewer_map.controls),
        "geocoder": geocoder_config(),
        "height": int(viewer_map.height) if viewer_map.height else None,
        "popupHeadingLevel": min(heading_level + 1, 6),
        "layers": [layer_config(layer) for layer in viewer_map.layers],
        "strings": {**ui_strings(), "viz": viewer_viz.viz_strings()},
        "slideshow": viewer_viz.slideshow_config(viewer_map.slideshow),
        "media": viewer_viz.resolve_media(viewer_map.layers),
        "assets": {**viewer_viz.asset_urls(), **worker_assets()},
    }


def template_context(viewer_map: ViewerMap, include_assets: bool = True) -> dict[str, Any]:
    """What templates/wagtail_umap/viewer.html needs."""
    heading_level = min(max(int(viewer_map.heading_level or 2), 1), 6)
    return {
        "viewer_map": viewer_map,
        "dom_id": viewer_map.dom_id,
        "config": viewer_config(viewer_map),
        "config_id": f"{viewer_map.dom_id}-config",
        "heading_level": heading_level,
        "layer_heading_level": min(heading_level + 1, 6),
        "sections": layer_sections(viewer_map),
        "legends": viewer_viz.legends(viewer_map.layers, layer_representation),
        "include_assets": include_assets,
    }
