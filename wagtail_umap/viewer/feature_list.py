"""The feature list of a large layer, a page at a time, searchable.

A layer that loads from its data URL may hold 100,000 features: the page that shows the map
lists the first page of them (see ``viewer.build.viewer_map_for``), and this view serves the others.
It reads the layer's feature index (one JSON line a feature, written when the data was saved)
line by line and builds the items of one page only. Without JavaScript its links and search
form open it as a page of its own; the viewer script asks for the bare fragment (``partial=1``)
and puts it in place of the list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from wagtail_umap.conf import get_setting
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.models.layer_data import index_lines, parse_index_line
from wagtail_umap.viewer.map import FeatureItem, ViewerLayer, unnamed_label
from wagtail_umap.viewer.media import description_html
from wagtail_umap.viewer.theme import current_theme

MAX_QUERY_LENGTH = 100
DOM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,119}$")


def fold(text: str) -> str:
    """Lower case without accents: "École" and "ecole" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class FeaturePage:
    """One page of a layer's feature list, and where the others are."""

    layer_id: str
    section_dom_id: str
    number: int  # 1-based
    page_count: int
    match_count: int  # features matching the query (all of them without a query)
    total: int  # features in the layer
    query: str
    list_url: str  # the view below, without parameters; "" when pages cannot be fetched
    items: list[FeatureItem] = field(default_factory=list)

    @property
    def first_number(self) -> int:
        return self.items[0].number if self.items else 0

    @property
    def last_number(self) -> int:
        return self.items[-1].number if self.items else 0

    def numbers(self) -> dict[str, str]:
        """The page's numbers written for its language ("20 000" in French)."""
        values = {
            "first": self.first_number,
            "last": self.last_number,
            "total": self.total,
            "matches": self.match_count,
            "number": self.number,
            "pages": self.page_count,
        }
        return {key: number_format(value, force_grouping=True) for key, value in values.items()}

    @property
    def paginated(self) -> bool:
        return self.page_count > 1 or bool(self.query)

    def page_url(self, number: int) -> str:
        params = {"page": number, "dom": self.section_dom_id}
        if self.query:
            params["q"] = self.query
        return f"{self.list_url}?{urlencode(params)}"

    @property
    def previous_url(self) -> str:
        return self.page_url(self.number - 1) if self.number > 1 and self.list_url else ""

    @property
    def next_url(self) -> str:
        return (
            self.page_url(self.number + 1)
            if self.number < self.page_count and self.list_url
            else ""
        )


def _matches(index: bytes, query: str):
    """(position, JSON line) of the features whose name or description contains ``query``."""
    wanted = fold(query)
    # A cheap test on the raw JSON line first, unless the query has what JSON escapes.
    prefilter = not any(char in query for char in '"\\') and query.isprintable()
    for position, line in index_lines(index):
        if prefilter and wanted not in fold(line.decode("utf-8")):
            continue
        entry = parse_index_line(position, line)
        if wanted in fold(entry.name) or wanted in fold(entry.description):
            yield position, line


def feature_page(
    index: bytes,
    *,
    layer_id: str,
    section_dom_id: str,
    total: int,
    page: int = 1,
    query: str = "",
    list_url: str = "",
) -> FeaturePage:
    """Page ``page`` (clamped to the pages there are) of the features of ``index`` matching
    ``query``. Only that page's items are built."""
    size = get_setting("FEATURE_LIST_PAGE_SIZE")
    query = query.strip()[:MAX_QUERY_LENGTH]
    lines = _matches(index, query) if query else index_lines(index)
    start = (max(page, 1) - 1) * size
    chosen, count = [], 0
    for position, line in lines:
        if start <= count < start + size:
            chosen.append((position, line))
        count += 1
        if not query and count >= start + size:
            count = total  # without a query every line matches: no need to read on
            break
    page_count = max(math.ceil(count / size), 1)
    if start >= count and count:  # past the end: show the last page
        return feature_page(
            index,
            layer_id=layer_id,
            section_dom_id=section_dom_id,
            total=total,
            page=page_count,
            query=query,
            list_url=list_url,
        )
    items = [
        _item(parse_index_line(position, line), layer_id, section_dom_id)
        for position, line in chosen
    ]
    return FeaturePage(
        layer_id=layer_id,
        section_dom_id=section_dom_id,
        number=min(max(page, 1), page_count),
        page_count=page_count,
        match_count=count,
        total=total,
        query=query,
        list_url=list_url,
        items=items,
    )


def _item(entry, layer_id: str, section_dom_id: str) -> FeatureItem:
    number = entry.index + 1
    return FeatureItem(
        key=f"{layer_id}:{entry.index}",
        dom_id=f"{section_dom_id}-feature-{entry.index}",
        number=number,
        name=entry.name or unnamed_label(number),
        has_name=bool(entry.name),
        description=entry.description,
        locatable=entry.locatable,
        description_html=description_html(entry.description),
    )


def feature_list_url(map_id: int, layer_id: str) -> str:
    return reverse("wagtail_umap:feature_list", kwargs={"map_id": map_id, "layer_id": layer_id})


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


@require_safe
@map_access_required  # private maps: 404, or a private answer (docs/sharing.md)
def feature_list(request: HttpRequest, map_id: int, layer_id: str) -> HttpResponse:
    """One page of a live map's layer list: a fragment for the viewer, else a whole page."""
    map_ = Map.objects.live().filter(pk=map_id).only("title", "document").first()
    layer = next((item for item in map_.layers if item["id"] == layer_id), None) if map_ else None
    if layer is None or "data" not in layer:
        raise Http404
    digest = layer["data"]["digest"]
    index = LayerData.objects.filter(digest=digest).values_list("feature_index", flat=True).first()
    if index is None:
        raise Http404
    dom_id = request.GET.get("dom", "")
    if not DOM_ID.match(dom_id):
        dom_id = f"umap-{map_id}-layer-{layer_id}"
    page = feature_page(
        bytes(index),
        layer_id=layer_id,
        section_dom_id=dom_id,
        total=layer["data"]["feature_count"],
        page=_page_number(request.GET.get("page")),
        query=request.GET.get("q", ""),
        list_url=feature_list_url(map_id, layer_id),
    )
    context = {"page": page, "map": map_, "layer_name": layer["name"], "theme": current_theme()}
    if request.GET.get("partial"):
        response = render(request, "wagtail_umap/viewer/feature_list.html", context)
    else:
        context["base_template"] = get_setting("BASE_TEMPLATE")
        response = render(request, "wagtail_umap/viewer/feature_list_page.html", context)
    response["Cache-Control"] = "public, max-age=300"
    return response


def describe_large_layer(viewer_layer: ViewerLayer, data: LayerData, map_id: int) -> None:
    """Fill in what the viewer knows of a layer it does not read: its size, geometry types and
    box from the store, and the first page of its list (built once its section is named)."""
    viewer_layer.digest = data.digest
    viewer_layer.feature_count = data.feature_count
    viewer_layer.vertex_count = data.vertex_count
    viewer_layer.geometry_types = list(data.geometry_types or [])
    viewer_layer.bbox = data.bbox
    index = bytes(data.feature_index)
    list_url = feature_list_url(map_id, viewer_layer.id)

    def first_page(section_dom_id: str) -> FeaturePage:
        return feature_page(
            index,
            layer_id=viewer_layer.id,
            section_dom_id=section_dom_id,
            total=data.feature_count,
            list_url=list_url,
        )

    viewer_layer.feature_page = first_page


def describe_previewed_layer(viewer_layer: ViewerLayer, data: LayerData) -> None:
    """A preview puts every feature in the page (a draft's data has no public URL), but lists
    only the first page of a long layer: the whole list would freeze the editor's browser."""
    index = LayerData.objects.filter(pk=data.pk).values_list("feature_index", flat=True).first()

    def first_page(section_dom_id: str) -> FeaturePage:
        return feature_page(
            bytes(index or b""),
            layer_id=viewer_layer.id,
            section_dom_id=section_dom_id,
            total=data.feature_count,
        )

    viewer_layer.feature_page = first_page
