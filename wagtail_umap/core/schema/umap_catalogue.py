"""uMap's options that no option of ours reads, with what we do with them and why.

Together with the uMap links of ``options.py`` this covers every option of uMap's own option
schema (uMap 3.x), so that docs/formats.md can say, for each one, what becomes of it. Every
option listed here is kept verbatim on import (in the ``umap`` dict of the map, of the layer or
of the feature) and written back on export: a uMap map goes back to uMap as it came.
"""

from __future__ import annotations

from wagtail_umap.core.schema.model import KEPT, NOT_SUPPORTED

# uMap key: (where uMap sets it, what we do, why). "where": map, layer, feature (or several).
UMAP_ONLY: dict[str, tuple[str, str, str]] = {
    "browsable": ("layer", KEPT, "every layer is listed in our feature list"),
    "captionBar": ("map", KEPT, "the page shows the map's title and summary above the map"),
    "captionControl": ("map", KEPT, "the page shows the map's title and summary above the map"),
    "captionMenus": ("map", KEPT, "no caption menus here"),
    "center": ("map", KEPT, "uMap keeps the centre in the backup's `geometry`, which we read"),
    "displayPopupFooter": ("map", KEPT, "our popups have no footer"),
    "easing": ("map", KEPT, "the viewer animates moves unless the citizen asks for less motion"),
    "edit_status": ("map", KEPT, "uMap's permissions: Wagtail's permissions apply here"),
    "editors": ("map", KEPT, "uMap's permissions: Wagtail's permissions apply here"),
    "embedControl": ("map", KEPT, "the share screen gives the embed code"),
    "group": ("layer", KEPT, "layers are not nested here"),
    "iconOpacity": ("map, layer, feature", KEPT, "markers are drawn opaque, for contrast"),
    "inCaption": ("layer", KEPT, "every layer has its legend"),
    "interactive": ("map, layer, feature", KEPT, "every feature can be reached by keyboard"),
    "is_template": ("map", KEPT, "uMap's template maps"),
    "layerSwitcher": ("map", KEPT, "the layers control lists the layers"),
    "mask": ("layer, feature", KEPT, "not implemented yet"),
    "measureControl": ("map", KEPT, "not implemented yet"),
    "miniMapControl": ("map", KEPT, "not implemented yet (also `miniMap`, its older name)"),
    "moreControl": ("map", KEPT, "the viewer shows every control it offers"),
    "onLoadPanel": ("map", KEPT, "the feature list is on the page, below the map"),
    "outlink": ("map, layer, feature", KEPT, "not implemented yet"),
    "outlinkTarget": ("map, layer, feature", KEPT, "not implemented yet"),
    "owner": ("map", KEPT, "uMap's account: Wagtail's users apply here"),
    "parentId": ("layer", KEPT, "layers are not nested here"),
    "permanentCredit": ("map", KEPT, "the credits show below the map"),
    "permanentCreditBackground": ("map", KEPT, "the credits show below the map"),
    "permissions": ("map, layer", KEPT, "uMap's permissions: Wagtail's permissions apply here"),
    "rank": ("layer", KEPT, "the order of the layers in the file is their order"),
    "referenceVersion": ("layer", KEPT, "uMap's own versioning: Wagtail keeps revisions"),
    "route": ("feature", KEPT, "not implemented"),
    "scrollWheelZoom": ("map", KEPT, "the viewer zooms with the wheel only once the map has focus"),
    "share_status": ("map", KEPT, "Wagtail's publishing and privacy apply here"),
    "slugKey": ("map", KEPT, "features are addressed by their position"),
    "smoothFactor": ("map, layer, feature", KEPT, "Leaflet's default simplification applies"),
    "sortKey": ("map, layer", KEPT, "the list keeps the order of the features"),
    "stroke": ("map, layer, feature", KEPT, "not implemented yet: every shape has its outline"),
    "syncEnabled": ("map", KEPT, "uMap's real-time collaboration: Wagtail locks the map"),
    "tags": ("map", KEPT, "not implemented"),
    "team": ("map", KEPT, "uMap's teams: Wagtail's groups apply here"),
    "textPath": ("feature", KEPT, "not implemented yet"),
    "textPathColor": ("feature", KEPT, "not implemented yet"),
    "textPathOffset": ("feature", KEPT, "not implemented yet"),
    "textPathPosition": ("feature", KEPT, "not implemented yet"),
    "textPathRepeat": ("feature", KEPT, "not implemented yet"),
    "textPathRotate": ("feature", KEPT, "not implemented yet"),
    "textPathSize": ("feature", KEPT, "not implemented yet"),
    "tilelayer": (
        "map",
        NOT_SUPPORTED,
        "uMap's basemap is a tile server of its own: the map shows the site's basemap "
        "(privacy, CSP); the import says so in a note",
    ),
    "tilelayersControl": ("map", KEPT, "the site chooses the basemaps"),
    "ttl": ("layer", KEPT, "uMap's older place of `remoteData.ttl` (see `remoteData`)"),
    "zoomTo": ("map, layer, feature", KEPT, "not implemented yet"),
}
