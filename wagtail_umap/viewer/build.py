"""From a Map (or one place of a LocationBlock) to the :class:`ViewerMap` the viewer draws.

The models know nothing of the viewer: pages, blocks and previews hand a Map to the
``{% umap_map %}`` template tag, the embed view calls :func:`viewer_map_for` itself.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from wagtail_umap.conf import get_default_basemap, get_setting
from wagtail_umap.core.document import new_layer
from wagtail_umap.core.validation_viz import VIZ_LAYER_KEYS
from wagtail_umap.formats import EXPORT_FORMATS
from wagtail_umap.models import Map, page_maps
from wagtail_umap.models.basemaps import get_basemap
from wagtail_umap.models.layer_data import LayerData
from wagtail_umap.viewer.feature_list import describe_large_layer, describe_previewed_layer
from wagtail_umap.viewer.map import Download, ViewerLayer, ViewerMap
from wagtail_umap.viewer.umap_markup import UMAP_LAYER_KEYS


def viewer_map_for(
    map_: Map,
    *,
    dom_id: str | None = None,
    inline_data: bool = False,
    height: int | None = None,
    caption: str = "",
    heading_level: int = 2,
    title_hidden: bool = False,
    notice: str = "",
) -> ViewerMap:
    """What the viewer needs to draw this version of the map.

    Large layers load from their data URL, publicly cacheable. ``inline_data`` puts every
    layer in the page instead: for a preview (a draft's data has no public URL) and for a
    private page (its data stays out of public caches).
    """
    options = map_.options
    inline_max = None if inline_data else get_setting("INLINE_LAYER_MAX_BYTES")
    # A constant number of queries; large layers are neither read nor parsed here.
    stored_data = page_maps.viewer_layer_data(map_, inline_max)
    layers = []
    for layer in map_.layers:
        reference = layer.get("data")
        data = stored_data.get(reference["digest"]) if reference else None
        large = data is not None and inline_max is not None and data.size > inline_max
        viewer_layer = ViewerLayer(
            id=layer["id"],
            name=layer["name"],
            description=layer.get("description", ""),
            shown_on_load=layer.get("shown_on_load", True),
            style=layer.get("style", {}),
            popup_template=layer.get("popup_template", ""),
            features=data.features() if data and not large else [],
            data_url=layer_data_url(map_, data) if large else None,
            downloads=[] if inline_data else map_downloads(map_, layer["id"]),
            viz={key: layer.get(key) for key in (*VIZ_LAYER_KEYS, *UMAP_LAYER_KEYS)},
            language=layer.get("language", ""),
            group=layer.get("group"),
        )
        if large:
            describe_large_layer(viewer_layer, data, map_.pk)
        elif inline_data and data and data.feature_count > get_setting("PREVIEW_LIST_MAX"):
            describe_previewed_layer(viewer_layer, data)
        layers.append(viewer_layer)
    attach_tiles(map_, layers)
    return ViewerMap(
        dom_id=dom_id or f"umap-{map_.pk or 'new'}",
        title=map_.title,
        summary=map_.summary,
        basemap=get_basemap(options.get("basemap")),
        center=options.get("center"),
        zoom=options.get("zoom"),
        controls=options.get("controls", {}),
        credits=options.get("credits", ""),
        layers=layers,
        height=height,
        caption=caption,
        heading_level=heading_level,
        title_hidden=title_hidden,
        notice=notice,
        downloads=[] if inline_data else map_downloads(map_),
        licence=options.get("licence") or {},
        slideshow=options.get("slideshow") or {},
        filters=options.get("filters") or [],
        umap_options={key: options.get(key) for key in ("style", "rules", "default_view")},
        print_url="" if inline_data else map_print_url(map_),
        basemap_options={
            key: options.get(key) for key in ("basemap_choice", "overlays", "limit_bounds")
        },
        groups=map_.document.get("groups") or [],
    )


def map_downloads(map_: Map, layer_id: str | None = None) -> list[Download]:
    """Links to the live map's data, whole or one layer, in every export format."""
    if not (map_.pk and map_.live):
        return []
    if layer_id is None:
        route, kwargs = "wagtail_umap:download_map", {"map_id": map_.pk}
    else:
        route, kwargs = "wagtail_umap:download_layer", {"map_id": map_.pk, "layer_id": layer_id}
    return [
        Download(export.label, reverse(route, kwargs={**kwargs, "format_name": name}))
        for name, export in EXPORT_FORMATS.items()
    ]


def map_print_url(map_: Map) -> str:
    """The print view of a live map ("" for a draft, or a site without wagtail_umap.urls)."""
    if not (map_.pk and map_.live):
        return ""
    try:
        return reverse("wagtail_umap:print", kwargs={"map_id": map_.pk})
    except NoReverseMatch:
        return ""


def attach_tiles(map_: Map, layers: list[ViewerLayer]) -> None:
    """The vector tiles of the large layers that have them ready (one query when any layer
    loads from its data URL, none otherwise)."""
    large = {layer.digest: layer for layer in layers if layer.data_url and layer.digest}
    if not large:
        return
    from wagtail_umap.models.vector_tiles import ready_tiles
    from wagtail_umap.viewer.tiles import feature_url, tiles_url

    for digest, archive in ready_tiles(set(large)).items():
        layer = large[digest]
        layer.tiles = {
            **archive.config(),
            "url": tiles_url(map_.pk, digest),
            "featureUrl": feature_url(map_.pk, layer.id),
            "count": layer.feature_count,
        }


def layer_data_url(map_: Map, layer_data: LayerData) -> str:
    return reverse(
        "wagtail_umap:layer_data", kwargs={"map_id": map_.pk, "digest": layer_data.digest}
    )


# One place (LocationBlock): no layers to switch, nothing to search, no view worth a link.
LOCATION_CONTROLS = {
    "zoom": True,
    "scale": True,
    "fullscreen": True,
    "layers": False,
    "locate": False,
    "home": True,
    "search": False,
    "permalink": False,
}


def location_viewer_map(
    name: str, feature: dict, *, summary: str, zoom: int, dom_id: str
) -> ViewerMap:
    """One validated point feature (``blocks.point_feature``) as a map of its own."""
    # The layer's id from the map's: the same place renders the same HTML (and cache key) on
    # every visit, where a random id made each render a new one.
    layer = new_layer(name, [feature], id=f"{dom_id}-place")
    lng, lat = feature["geometry"]["coordinates"][:2]
    return ViewerMap(
        dom_id=dom_id,
        title=name,
        summary=summary,
        basemap=get_default_basemap(),
        center={"lat": lat, "lng": lng},
        zoom=zoom,
        controls=LOCATION_CONTROLS,
        credits="",
        layers=[
            ViewerLayer(
                id=layer["id"],
                name=layer["name"],
                description="",
                shown_on_load=True,
                style={},
                popup_template="",
                features=[feature],
            )
        ],
        heading_level=3,
    )
