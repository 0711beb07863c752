"""The basemap switcher, the overlays and the limits of a map, for the viewer's configuration
(``js/viewer/basemaps.js``, docs/basemaps-and-cache.md).

A map offers its own basemap plus those of ``options.basemap_choice`` that the site still
has, and the overlays of ``options.overlays`` that the site offers; a key the site no longer has
(a custom basemap an administrator removed) is left out silently.
"""

from __future__ import annotations

from typing import Any

from wagtail_umap.conf import get_overlays
from wagtail_umap.models.basemaps import get_basemaps
from wagtail_umap.viewer.map import ViewerMap


def switcher_config(viewer_map: ViewerMap) -> dict[str, Any]:
    """``basemaps`` (the map's own first; more than one: the viewer shows a switcher),
    ``overlays`` and ``limitBounds`` ([[south, west], [north, east]] or None)."""
    from wagtail_umap.viewer.config import basemap_config

    options = viewer_map.basemap_options or {}
    own = viewer_map.basemap or {}
    choice = [key for key in options.get("basemap_choice") or [] if key != own.get("id")]
    site_basemaps = get_basemaps() if choice else {}
    basemaps = [basemap_config(own)] + [
        basemap_config({"id": key, **site_basemaps[key]}) for key in choice if key in site_basemaps
    ]
    site_overlays = get_overlays() if options.get("overlays") else {}
    overlays = [
        {
            **basemap_config({"id": item["id"], **site_overlays[item["id"]]}),
            "opacity": item.get("opacity", 1),
            "shown": item.get("shown", True),
        }
        for item in options.get("overlays") or []
        if item.get("id") in site_overlays
    ]
    bounds = options.get("limit_bounds")
    return {
        "basemaps": basemaps,
        "overlays": overlays,
        "limitBounds": [[bounds["south"], bounds["west"]], [bounds["north"], bounds["east"]]]
        if bounds
        else None,
    }
