"""The print view of a published map: one sheet of paper (A4 or A3, portrait or landscape) with
the title, the map at the chosen view, its legend, scale, credits and licence, and optionally
the feature list, printed (or saved as PDF) through the browser's own print.

The sheet has the paper's size on screen as on paper (``css/print.css`` sizes it in
millimetres and names its ``@page``), so the map shows the same area in both and Leaflet has
nothing to redraw when the browser prints. The query chooses the sheet (``paper=a4|a3``,
``orientation=portrait|landscape``, ``list=1``) and, as the embed view, the view and the layers
(``lat``, ``lng``, ``zoom``, ``layers``): the viewer's "Print" link passes its current view.
The page also exports the map as a PNG image (``js/viewer/image-export.js``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe

from wagtail_umap.core.document import CONTROL_NAMES
from wagtail_umap.core.validation_groups import ancestors
from wagtail_umap.models import Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.sharing.embed import EMBED_MAX_AGE, apply_embed_options
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import POINT_TYPES, layer_size
from wagtail_umap.viewer.groups import Grouping, in_tree_order
from wagtail_umap.viewer.map import ViewerMap
from wagtail_umap.viewer.theme import current_theme

COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}")
DEFAULT_COLOUR = "#1f5fa8"
MARKERS = ("pin", "circle", "square", "drop")
PAPERS = {"a4": "A4", "a3": "A3"}
ORIENTATIONS = {"portrait": gettext_lazy("Portrait"), "landscape": gettext_lazy("Landscape")}
# On paper, the map is for looking at: zoom, "home" and the layer switcher stay for the
# screen (hidden in print), the scale goes on paper; nothing that asks for a position or a
# search, no full screen.
PRINT_CONTROLS = ("zoom", "scale", "home", "layers")
VIEW_PARAMETERS = ("lat", "lng", "zoom", "layers")


@dataclass(frozen=True)
class Sheet:
    """The paper the map is printed on."""

    paper: str = "a4"
    orientation: str = "portrait"
    with_list: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> Sheet:
        """The sheet the query asks for; an unknown value takes the default (A4 portrait)."""
        paper = query.get("paper", "")
        orientation = query.get("orientation", "")
        return cls(
            paper=paper if paper in PAPERS else cls.paper,
            orientation=orientation if orientation in ORIENTATIONS else cls.orientation,
            with_list=query.get("list") == "1",
        )

    @property
    def css_class(self) -> str:
        """The class that gives the sheet its size and its named ``@page`` (css/print.css)."""
        return f"umap-print--{self.paper}-{self.orientation}"


@dataclass
class KeyEntry:
    """One shown layer in the sheet's key: its name and how its features are drawn."""

    layer_id: str
    name: str
    colour: str
    shape: str  # "pin", "circle", "square", "drop" (points), "line" or "area"
    shown: bool  # hidden layers stay in the key, hidden, for the layer switcher (print.js)
    group: str | None = None  # the layer's group: the key nests it under its groups' headings
    grouping: Grouping | None = None  # set by in_tree_order on a map with groups


# The sheet's title is the page's h1 and the key's own title an h2: the top groups are h3.
KEY_GROUP_LEVEL = 3


def layer_key(viewer_map: ViewerMap) -> list[KeyEntry]:
    """The key of the layers printed, with their colour and symbol, so that the paper says in
    words what each colour means (the data legends follow, for layers that encode data).
    On a map with groups, the entries come in the tree's order under their groups' headings,
    as in the viewer's legend and list (viewer/groups.py)."""
    entries = []
    for layer in viewer_map.layers:
        style = layer.style or {}
        _features, _vertices, kinds = layer_size(layer)
        if kinds and kinds <= POINT_TYPES:
            shape = style.get("marker_shape") if style.get("marker_shape") in MARKERS else "pin"
        elif kinds and all("LineString" in kind for kind in kinds):
            shape = "line"
        else:
            shape = "area" if kinds else "pin"
        colour = style.get("fill_color") if shape != "line" else None
        entries.append(
            KeyEntry(
                layer.id,
                layer.name,
                safe_colour(colour or style.get("color")) or DEFAULT_COLOUR,
                shape,
                layer.shown_on_load,
                layer.group,
            )
        )
    return in_tree_order(entries, lambda entry: entry.group, viewer_map.groups, KEY_GROUP_LEVEL)


def key_groups_shown(viewer_map: ViewerMap, entries: list[KeyEntry]) -> set[str]:
    """The groups holding at least one layer shown: the others' headings start hidden (the
    layer switcher shows them again, print.js)."""
    return {
        group["id"]
        for entry in entries
        if entry.shown
        for group in ancestors(viewer_map.groups or [], entry.group)
    }


def safe_colour(value: object) -> str:
    """A colour fit for an SVG attribute, or "" (editors' values were validated; be strict)."""
    return value if isinstance(value, str) and COLOUR.fullmatch(value.strip()) else ""


def print_strings() -> dict[str, str]:
    """What the print page's script says (js/viewer/print.js, image-export.js)."""
    return {
        "exporting": gettext("Preparing the image…"),
        "exported": gettext("The image is ready: %(name)s."),
        "exportError": gettext("The image could not be made. Print the page instead."),
        "basemapRefused": gettext(
            "The basemap “%(name)s” does not allow its tiles in an image: the image shows the "
            "map's data without the basemap. Print the page to keep the basemap."
        ),
        "notReady": gettext("The map is still loading. Try again in a moment."),
    }


@require_safe
@map_access_required  # a private map: 404, or a private answer (docs/sharing.md)
def print_map(request: HttpRequest, map_id: int) -> HttpResponse:
    map_ = get_object_or_404(Map.objects.live(), pk=map_id)
    viewer_map = apply_embed_options(
        viewer_map_for(map_, dom_id=f"umap-print-{map_.pk}", heading_level=1), request.GET
    )
    viewer_map.controls = {name: name in PRINT_CONTROLS for name in CONTROL_NAMES}
    viewer_map.print_url = ""  # no link to the page itself
    sheet = Sheet.from_query(request.GET)
    key_entries = layer_key(viewer_map)
    response = TemplateResponse(
        request,
        "wagtail_umap/print.html",
        {
            "map": map_,
            "viewer_map": viewer_map,
            "sheet": sheet,
            "papers": PAPERS,
            "orientations": ORIENTATIONS,
            # The view travels on when the reader changes the paper (print.js keeps it current).
            "view": {key: request.GET[key] for key in VIEW_PARAMETERS if request.GET.get(key)},
            "layer_key": key_entries,
            "key_groups_shown": key_groups_shown(viewer_map, key_entries),
            "licence": map_.options.get("licence") or {},
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
            "image_name": f"{slugify(map_.title) or f'map-{map_.pk}'}.png",
            "strings": print_strings(),
            "theme": current_theme(),
        },
    )
    patch_cache_control(response, public=True, max_age=EMBED_MAX_AGE)
    return response
