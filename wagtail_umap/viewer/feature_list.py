"""The feature list of a large layer, a page at a time, searchable.

A layer that loads from its data URL may hold 100,000 features: the page that shows the map
lists the first page of them (see ``viewer.build.viewer_map_for``), and this view serves the others.
It reads the layer's feature index (one JSON line a feature, written when the data was saved)
line by line and builds the items of one page only. Without JavaScript its links and search
form open it as a page of its own; the viewer script asks for the bare fragment (``partial=1``)
and puts it in place of the list.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from wagtail_umap.conf import get_setting
from wagtail_umap.core.validation_viz import VIZ_LAYER_KEYS
from wagtail_umap.csp import csp_img_sources
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.models.layer_data import index_lines, parse_index_line
from wagtail_umap.viewer.map import (
    FeatureItem,
    ViewerLayer,
    apply_list_content,
    data_language,
    layer_representation,
    list_content,
    needs_list_content,
    plain_text,
    popup_layout,
    unnamed_label,
)
from wagtail_umap.viewer.media import description_html
from wagtail_umap.viewer.theme import current_theme
from wagtail_umap.viewer.umap_markup import (
    UMAP_LAYER_KEYS,
    image_hosts_allowed,
    markup_heading_level,
)
from wagtail_umap.viewer.viz import representation_config, representation_of

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
# What the popups of a large layer say is cached in chunks of this many features (each well
# under a memcached item's 1 MB), all computed at once from one reading of the layer's data.
CONTENT_CHUNK = 500
CONTENT_CACHE_PREFIX = "wagtail_umap:list-content:2"  # 2: names by label_key, markup HTML
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
    # In the names of its search and pager landmarks: two lists on one page need two names.
    layer_name: str = ""

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
    content: Callable[[list[int]], dict[int, dict]] | None = None,
    lang: str = "",
    layer_name: str = "",
) -> FeaturePage:
    """Page ``page`` (clamped to the pages there are) of the features of ``index`` matching
    ``query``. Only that page's items are built; ``content`` gives them what their popups say
    (``large_list_content``) when the index's names and descriptions are not all of it."""
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
            content=content,
            lang=lang,
            layer_name=layer_name,
        )
    items = [
        _item(parse_index_line(position, line), layer_id, section_dom_id, lang)
        for position, line in chosen
    ]
    if content is not None and items:
        found = content([position for position, _ in chosen])
        for (position, _), item in zip(chosen, items, strict=True):
            apply_list_content(item, found.get(position, {}))
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
        layer_name=layer_name,
    )


def _item(entry, layer_id: str, section_dom_id: str, lang: str = "") -> FeatureItem:
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
        lang=lang,
    )


def _content_key(digest: str, popup_template: str, viz: dict | None, chunk: int) -> str:
    settings = json.dumps(
        [
            popup_template,
            (viz or {}).get("popup_layout"),
            (viz or {}).get("label_key"),
            representation_of(viz),
            csp_img_sources(),  # which image hosts a rendered popup may show
        ],
        sort_keys=True,
        default=str,
    )
    fingerprint = hashlib.sha256(settings.encode()).hexdigest()[:24]
    return f"{CONTENT_CACHE_PREFIX}:{digest}:{get_language() or ''}:{fingerprint}:{chunk}"


def _cache_get_many(keys: list[str]) -> dict:
    from django.core.cache import cache

    try:
        return cache.get_many(keys)
    except Exception:  # a cache that fails must not fail the page
        logger.warning("wagtail_umap: the list content cache could not be read", exc_info=True)
        return {}


def _cache_set_many(values: dict) -> None:
    from django.core.cache import cache

    try:
        cache.set_many(values, timeout=None)
    except Exception:
        logger.warning("wagtail_umap: the list content cache could not be written", exc_info=True)


def large_list_content(
    digest: str, popup_template: str, viz: dict | None, memo: dict | None = None
) -> Callable[[list[int]], dict[int, dict]] | None:
    """For a large layer whose popups say more than a name and a description (a template, the
    table layout, a class): a function giving, for feature positions, what their popups say.

    It reads ``memo`` (chunks computed in this request, ``prepare_large_layers``), then
    Django's cache; on a miss it parses the layer's data once and caches the content of every
    feature (a digest's content never changes). The cache is an optimisation: when it fails,
    the content is computed all the same."""
    if not needs_list_content(popup_template, viz):
        return None
    memo = {} if memo is None else memo

    def content(positions: list[int]) -> dict[int, dict]:
        keys = {
            chunk: _content_key(digest, popup_template, viz, chunk)
            for chunk in {position // CONTENT_CHUNK for position in positions}
        }
        found = {key: memo[key] for key in keys.values() if key in memo}
        if len(found) < len(keys):
            found.update(_cache_get_many([key for key in keys.values() if key not in found]))
        if any(key not in found for key in keys.values()):
            data = LayerData.objects.filter(digest=digest).values_list("geojson", flat=True)
            features = json.loads(bytes(data.first() or b'{"features": []}'))["features"]
            found = _compute_content(digest, popup_template, viz, features)
            memo.update(found)
        result = {}
        for position in positions:
            chunk = found.get(keys[position // CONTENT_CHUNK]) or []
            offset = position % CONTENT_CHUNK
            if offset < len(chunk):
                result[position] = chunk[offset]
        return result

    return content


def _compute_content(
    digest: str, popup_template: str, viz: dict | None, features: list[dict]
) -> dict[str, list]:
    """Every feature's list content, in cached chunks (written to the cache too)."""
    representation = representation_config(representation_of(viz), features)
    markup = popup_markup()
    contents = [
        list_content(popup_template, viz, representation, f, markup=markup) for f in features
    ]
    chunks = {
        _content_key(digest, popup_template, viz, chunk): contents[
            chunk * CONTENT_CHUNK : (chunk + 1) * CONTENT_CHUNK
        ]
        for chunk in range(math.ceil(len(contents) / CONTENT_CHUNK))
    }
    _cache_set_many(chunks)
    return chunks


def prepare_large_layers(layers: list[ViewerLayer]) -> None:
    """Before a map is drawn: the classes and filter choices (``viz.prepare_data_url_layers``)
    and the first list page's content of its large layers, from the cache, or from one reading
    of the layers' data for both (a large layer is parsed once, not once for each)."""
    from wagtail_umap.viewer.viz import computed_viz, needs_values, viz_cache_key

    wanted: dict[str, tuple[ViewerLayer, str]] = {}  # cache key -> (layer, "viz"|"content")
    for layer in layers:
        digest = getattr(layer, "digest", None)
        if not layer.data_url or not digest:
            continue
        if needs_values(layer.viz) and "_viz" not in layer.__dict__:
            wanted[viz_cache_key(digest, layer.viz)] = (layer, "viz")
        if needs_list_content(layer.popup_template, layer.viz):
            wanted[_content_key(digest, layer.popup_template, layer.viz, 0)] = (layer, "content")
    if not wanted:
        return
    found = _cache_get_many(list(wanted))
    missing = [key for key in wanted if key not in found]
    if missing:
        digests = {wanted[key][0].digest for key in missing}
        rows = LayerData.objects.filter(digest__in=digests).values_list("digest", "geojson")
        parsed = {digest: json.loads(bytes(data))["features"] for digest, data in rows}
        computed = {}
        for key in missing:
            layer, kind = wanted[key]
            features = parsed.get(layer.digest)
            if features is None:
                continue
            if kind == "viz":
                computed[key] = computed_viz(layer.viz, features)
            else:
                chunks = _compute_content(layer.digest, layer.popup_template, layer.viz, features)
                layer.__dict__.setdefault("_list_content", {}).update(chunks)
        _cache_set_many(computed)
        found.update(computed)
    for key, (layer, kind) in wanted.items():
        if key not in found:
            continue
        if kind == "viz":
            layer.__dict__["_viz"] = found[key]
        else:
            layer.__dict__.setdefault("_list_content", {})[key] = found[key]


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
    viz = {key: layer.get(key) for key in (*VIZ_LAYER_KEYS, *UMAP_LAYER_KEYS)}
    page = feature_page(
        bytes(index),
        layer_id=layer_id,
        section_dom_id=dom_id,
        total=layer["data"]["feature_count"],
        page=_page_number(request.GET.get("page")),
        query=request.GET.get("q", ""),
        list_url=feature_list_url(map_id, layer_id),
        content=large_list_content(digest, layer.get("popup_template", ""), viz),
        lang=data_language(layer.get("language")),
        layer_name=plain_text(layer.get("name") or ""),
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
    content = large_list_content(
        data.digest,
        viewer_layer.popup_template,
        viewer_layer.viz,
        memo=viewer_layer.__dict__.setdefault("_list_content", {}),
    )

    def first_page(section_dom_id: str) -> FeaturePage:
        return feature_page(
            index,
            layer_id=viewer_layer.id,
            section_dom_id=section_dom_id,
            total=data.feature_count,
            list_url=list_url,
            content=content,
            lang=data_language(viewer_layer.language),
            layer_name=plain_text(viewer_layer.name or ""),
        )

    viewer_layer.feature_page = first_page
    if viewer_layer.popup_template and popup_layout(viewer_layer.viz) != "table":
        viewer_layer.popup_url = feature_popup_url(map_id, viewer_layer.id)


def popup_markup() -> tuple[int, Callable[[str], bool] | None]:
    """How a large layer's popups render uMap markup: the heading level of ``#`` under a map
    titled at the default level, and the image hosts the site's CSP allows."""
    return markup_heading_level(None), image_hosts_allowed()


def feature_popup_url(map_id: int, layer_id: str) -> str:
    """The popup URL of a layer's features, with ``{index}`` for the feature's position."""
    url = reverse(
        "wagtail_umap:feature_popup", kwargs={"map_id": map_id, "layer_id": layer_id, "index": 0}
    )
    return url.removesuffix("0.json") + "{index}.json"


@require_safe
@map_access_required  # private maps: 404, or a private answer (docs/sharing.md)
def feature_popup(request: HttpRequest, map_id: int, layer_id: str, index: str) -> JsonResponse:
    """The popup of one feature of a live map's large layer: its template with uMap's markup
    rendered on the server by ``core.markup`` (the allowlist, the CSP's image hosts), as the
    inline layers' popups are; the script copies it node by node (js/viewer/markup.js).
    Computed with the layer's list content (cached per digest, a chunk at a time)."""
    map_ = Map.objects.live().filter(pk=map_id).only("title", "document").first()
    layer = next((item for item in map_.layers if item["id"] == layer_id), None) if map_ else None
    if layer is None or "data" not in layer or int(index) >= layer["data"]["feature_count"]:
        raise Http404
    viz = {key: layer.get(key) for key in (*VIZ_LAYER_KEYS, *UMAP_LAYER_KEYS)}
    content = large_list_content(layer["data"]["digest"], layer.get("popup_template", ""), viz)
    found = content([int(index)]).get(int(index), {}) if content else {}
    response = JsonResponse({"html": found.get("html", "")})
    response["Cache-Control"] = "public, max-age=300"
    return response


def describe_previewed_layer(viewer_layer: ViewerLayer, data: LayerData) -> None:
    """A preview puts every feature in the page (a draft's data has no public URL), but lists
    only the first page of a long layer: the whole list would freeze the editor's browser."""
    index = LayerData.objects.filter(pk=data.pk).values_list("feature_index", flat=True).first()

    def content(positions: list[int]) -> dict[int, dict]:
        # The preview has the features in hand: what their popups say needs no cache.
        if not needs_list_content(viewer_layer.popup_template, viewer_layer.viz):
            return {}
        representation = layer_representation(viewer_layer)
        features = viewer_layer.features
        markup = popup_markup()
        return {
            position: list_content(
                viewer_layer.popup_template,
                viewer_layer.viz,
                representation,
                features[position],
                markup=markup,
            )
            for position in positions
            if position < len(features)
        }

    def first_page(section_dom_id: str) -> FeaturePage:
        return feature_page(
            bytes(index or b""),
            layer_id=viewer_layer.id,
            section_dom_id=section_dom_id,
            total=data.feature_count,
            content=content,
            lang=data_language(viewer_layer.language),
            layer_name=plain_text(viewer_layer.name or ""),
        )

    viewer_layer.feature_page = first_page
