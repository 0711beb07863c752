"""The JSON configuration ``static/wagtail_umap/js/viewer.js`` reads, built from a ViewerMap.

It carries data, never HTML built from data: names, descriptions and free properties travel as
plain strings and the script writes them with ``textContent``. The one exception is the basemap
attribution, trusted HTML written by the site's developers in settings.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from wagtail_umap.conf import REFERRER_POLICY, get_geocoder, get_setting
from wagtail_umap.core.document import CONTROL_NAMES, DEFAULT_CONTROLS
from wagtail_umap.viewer.basemaps import switcher_config
from wagtail_umap.viewer.feature_list import prepare_large_layers
from wagtail_umap.viewer.groups import groups_config, in_tree_order
from wagtail_umap.viewer.legends import data_language, legends
from wagtail_umap.viewer.map import (
    FALLBACK_CENTER,
    FALLBACK_ZOOM,
    ViewerLayer,
    ViewerMap,
    clean_style,
    data_bounds,
    geometry_positions,
    layer_media,
    layer_representation,
    layer_sections,
    plain_text,
)
from wagtail_umap.viewer.pictograms import icon_view_url, pictogram_names, sprite_url
from wagtail_umap.viewer.rule_legends import rule_legends
from wagtail_umap.viewer.strings import ui_strings, viz_strings
from wagtail_umap.viewer.theme import current_theme
from wagtail_umap.viewer.umap_markup import (
    full_style,
    markup_heading_level,
    umap_layer_config,
    umap_map_config,
)
from wagtail_umap.viewer.viz import filters_config, map_filters_config, prepare_data_url_layers


def default_view() -> tuple[list[float], int]:
    """django-leaflet's DEFAULT_CENTER / DEFAULT_ZOOM, else metropolitan France."""
    from leaflet import app_settings

    center = app_settings.get("DEFAULT_CENTER") or FALLBACK_CENTER
    zoom = app_settings.get("DEFAULT_ZOOM")
    return [float(center[0]), float(center[1])], int(zoom if zoom is not None else FALLBACK_ZOOM)


def view_mode(viewer_map: ViewerMap) -> str:
    return (viewer_map.umap_options or {}).get("default_view") or "center"


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
    mode = view_mode(viewer_map)
    view["mode"] = mode if mode in ("center", "data", "latest", "locate") else "center"
    latest = latest_position(viewer_map.layers) if mode == "latest" else None
    if latest:
        view["center"] = latest
        view["zoom"] = int(viewer_map.zoom) if viewer_map.zoom is not None else LATEST_ZOOM
        return view
    center = viewer_map.center
    if mode == "data" and (
        data_bounds([layer for layer in viewer_map.layers if layer.shown_on_load])
        or data_bounds(viewer_map.layers)
    ):
        center = None  # "data": the data's bounds, whatever centre was saved
    if center and center.get("lat") is not None and center.get("lng") is not None:
        view["center"] = [float(center["lat"]), float(center["lng"])]
        view["zoom"] = int(viewer_map.zoom) if viewer_map.zoom is not None else default_zoom
        return view
    shown = [layer for layer in viewer_map.layers if layer.shown_on_load]
    view["bounds"] = data_bounds(shown) or data_bounds(viewer_map.layers)
    return view


LATEST_ZOOM = 15


def latest_position(layers: list[ViewerLayer]) -> list[float] | None:
    """uMap's "latest": the last feature of the last shown layer that has one ([lat, lng] of
    its first position)."""
    for layer in reversed([layer for layer in layers if layer.shown_on_load]):
        for feature in reversed(layer.features):
            for lng, lat in geometry_positions((feature or {}).get("geometry")):
                return [lat, lng]
    return None


def basemap_config(basemap: dict) -> dict[str, Any]:
    return {
        "id": plain_text(basemap.get("id")),
        "label": plain_text(basemap.get("label")),
        "url": plain_text(basemap.get("url")),
        # Trusted HTML from the site's settings (like LEAFLET_CONFIG), not from editors.
        "attribution": plain_text(basemap.get("attribution")),
        "minZoom": basemap.get("min_zoom", 0),
        "maxZoom": basemap.get("max_zoom", 19),
        "subdomains": plain_text(basemap.get("subdomains")),
        "referrerPolicy": plain_text(basemap.get("referrer_policy")) or REFERRER_POLICY,
        # Draw the tiles in greys (the "Plan IGN v2, grey" preset).
        "grayscale": bool(basemap.get("grayscale")),
        # Tiles fetched in CORS mode, so that a PNG export may draw them (print.js).
        "crossOrigin": bool(basemap.get("cors")),
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
            vertices += sum(1 for _ in geometry_positions(geometry))
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
        else filters_config(viz.get("filters") or [], layer.features),
        "popupLayout": viz.get("popup_layout") or "default",
    }


TILED = ("cluster", "tiles")


def layer_config(layer: ViewerLayer, heading_level: int = 4) -> dict[str, Any]:
    inline = not layer.data_url
    return {
        **layer_viz_config(layer),
        **umap_layer_config(layer, heading_level, clean_style),
        "render": render_hint(layer),
        "id": plain_text(layer.id),
        "name": plain_text(layer.name),
        "shownOnLoad": bool(layer.shown_on_load),
        "style": full_style(layer.style, clean_style),
        "popupTemplate": plain_text(layer.popup_template),
        # The lang of its data where the script shows it ("" when it is the page's).
        "language": data_language(layer.language),
        "dataUrl": layer.data_url or None,
        # Its vector tiles once built (viewer/tiles.py): the viewer reads them a few at a time
        # instead of the whole layer from dataUrl.
        "tiles": layer.tiles if layer.tiles and render_hint(layer) in TILED else None,
        **({"group": layer.group} if layer.group else {}),
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
    key = plain_text(geocoder.get("id"))
    return {
        "id": key,
        "url": plain_text(geocoder["url"]),
        "attribution": plain_text(geocoder.get("attribution")),
        "format": plain_text(geocoder.get("format"))
        or ("nominatim" if key == "nominatim" else "ban"),
    }


def worker_assets() -> dict[str, str]:
    """Static URLs the large-layer tiling worker loads (hashed under a manifest storage)."""
    from django.templatetags.static import static

    return {
        "tilesWorker": static("wagtail_umap/js/viewer/tiles-worker.js"),
        "geojsonVt": static("wagtail_umap/vendor/geojson-vt/geojson-vt.js"),
        # A layer's precomputed vector tiles (tiles-worker.js reads them).
        "pmtiles": static("wagtail_umap/vendor/pmtiles/pmtiles.js"),
        "vectorTile": static("wagtail_umap/vendor/vector-tile/vector-tile.js"),
    }


def slideshow_config(slideshow: dict | None) -> dict | None:
    """The slideshow's settings for the script, or None when the map has none."""
    if not slideshow or not slideshow.get("enabled"):
        return None
    return {
        "layer": slideshow.get("layer"),
        "sortField": slideshow.get("sort_field") or "",
        "autoplay": bool(slideshow.get("autoplay")),
        "delay": float(slideshow.get("delay") or 5),
    }


def asset_urls() -> dict[str, str]:
    """Scripts the viewer loads only when a layer needs them (a worker, the heat map)."""
    from django.templatetags.static import static
    from django.urls import NoReverseMatch, reverse

    try:
        video = reverse("wagtail_umap:video_player")
    except NoReverseMatch:  # a site that did not include wagtail_umap.urls
        video = ""
    return {
        "clusterWorker": static("wagtail_umap/js/viewer/cluster-worker.js"),
        "supercluster": static("wagtail_umap/vendor/supercluster/supercluster.min.js"),
        "videoPlayer": video,
    }


def viewer_config(viewer_map: ViewerMap) -> dict[str, Any]:
    """The JSON the script reads (through json_script): data and translated strings, no HTML
    except the basemap attribution."""
    heading_level = min(max(int(viewer_map.heading_level or 2), 1), 6)
    # Classes, filter choices and list content of the layers loaded from their data URL:
    # cached per digest, each layer parsed at most once on a miss.
    prepare_large_layers(viewer_map.layers)
    prepare_data_url_layers(viewer_map.layers)
    return {
        "domId": viewer_map.dom_id,
        "title": plain_text(viewer_map.title),
        "language": get_language() or "fr",
        "basemap": basemap_config(viewer_map.basemap or {}),
        # The basemaps a visitor may switch to, overlays, limits (viewer/basemaps.py).
        **switcher_config(viewer_map),
        **groups_config(viewer_map.groups),  # the layer switcher nests them (issue 17)
        "view": view_config(viewer_map),
        "controls": {
            **controls_config(viewer_map.controls),
            # "locate": the position is asked only when the citizen presses the button.
            **({"locate": True} if view_mode(viewer_map) == "locate" else {}),
        },
        "geocoder": geocoder_config(),
        "height": int(viewer_map.height) if viewer_map.height else None,
        "popupHeadingLevel": min(heading_level + 1, 6),
        "layers": [
            layer_config(layer, markup_heading_level(viewer_map.heading_level))
            for layer in viewer_map.layers
        ],
        "umap": umap_map_config(viewer_map.umap_options, clean_style),
        "strings": {**ui_strings(), "viz": viz_strings()},
        "slideshow": slideshow_config(viewer_map.slideshow),
        # The map's filters: their choices are counted by filters.js over the loaded layers.
        "filters": map_filters_config(viewer_map.filters),
        "media": layer_media(viewer_map),
        "assets": {
            **asset_urls(),
            **worker_assets(),
            "pictograms": sprite_url(),
            "icon": icon_view_url(),
        },
        # The text alternatives of the library's pictograms its markers draw.
        "pictogramNames": pictogram_names(viewer_map),
        # The theme's classes for the elements the script builds (None: the default theme).
        "theme": current_theme().config(),
        # The print view of a live map (sharing/printing.py); None for previews and places.
        "printUrl": viewer_map.print_url or None,
    }


def template_context(viewer_map: ViewerMap, include_assets: bool = True) -> dict[str, Any]:
    """What templates/wagtail_umap/viewer.html needs."""
    heading_level = min(max(int(viewer_map.heading_level or 2), 1), 6)
    groups_of = {layer.id: layer.group for layer in viewer_map.layers}
    return {
        "viewer_map": viewer_map,
        "dom_id": viewer_map.dom_id,
        "config": viewer_config(viewer_map),
        "config_id": f"{viewer_map.dom_id}-config",
        "heading_level": heading_level,
        "layer_heading_level": min(heading_level + 1, 6),
        "sections": in_tree_order(
            layer_sections(viewer_map),
            lambda section: section.layer.group,
            viewer_map.groups,
            min(heading_level + 1, 6),
        ),
        "legends": in_tree_order(
            legends(viewer_map.layers, layer_representation),
            lambda legend: groups_of.get(legend.layer_id),
            viewer_map.groups,
            min(heading_level + 2, 6),
        )
        + rule_legends(viewer_map),
        "include_assets": include_assets,
        "theme": current_theme(),
    }
