"""The maps of one page, read together, and kept across requests.

A page may hold several maps (MapBlocks in its StreamFields, a MapPage's own map). The first of
them to render reads, for all of them at once: their published versions in the active language,
who may see them (``models.access``), whether the page is restricted, and (when one of them is
drawn, not found in the cache) the data of their layers that travel in the page. The others find
it ready, so a page costs the same queries whatever the number of its maps
(``benchmarks/page_cost.py``, docs/large-data.md).

The facts that hold for every visitor (which version is live, which pages show it and the
restrictions that guard them, whether this page is restricted) are kept in Django's cache under
the generation of ``viewer.caching``, which every publish, move, restriction, translation or
reference index change renews: a warm page reads none of them from the database. What a visitor
may do with them (``access.decide``: passed a restriction, a member of a group, staff) is decided
at each request and kept nowhere else than on that request.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.blocks import ListBlock, StreamBlock, StreamValue, StructBlock
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Locale
from wagtail.snippets.blocks import SnippetChooserBlock

from wagtail_umap import safe_cache
from wagtail_umap.blocks import RESTRICTED_PAGES
from wagtail_umap.conf import get_setting
from wagtail_umap.models import store
from wagtail_umap.models.access import MapVisibility, remember_decisions, visibilities
from wagtail_umap.models.layer_data import LayerData

REQUEST_ATTRIBUTE = "_wagtail_umap_page_maps"


@dataclass
class PageMaps:
    """What the first map of a page read for every map of the page."""

    live: dict[int, object] = field(default_factory=dict)  # chosen map's pk → live version
    # By digest; read for every map of the page when the first one is drawn (None: not yet).
    layer_data: dict[str, LayerData] | None = None

    def load_layer_data(self) -> dict[str, LayerData]:
        if self.layer_data is None:
            live_maps = [m for m in self.live.values() if m is not None]
            digests = set().union(set(), *(store.layer_digests(m.document) for m in live_maps))
            self.layer_data = store.load_viewer_data_of(digests, _inline_max()) if digests else {}
        return self.layer_data


@dataclass
class PageFacts:
    """What holds for every visitor of a page: kept across requests (``FACTS_PREFIX``)."""

    live: dict[int, object]  # chosen map's pk → its live version (a Map) or None
    visibilities: dict[int, MapVisibility]  # live version's pk → where it is shown, guarded how
    restricted: bool  # a view restriction guards the page or an ancestor


FACTS_PREFIX = "wagtail_umap:page-maps:1:"


def live_on_page(map_, request: HttpRequest | None, page) -> object | None:
    """The version of ``map_`` the page shows (``Map.get_live_localized``), read with the
    page's other maps the first time one of them is asked for."""
    if request is None or page is None or not page.pk:
        return map_.get_live_localized()
    prepared = request.__dict__.setdefault(REQUEST_ATTRIBUTE, {})
    if page.pk not in prepared:
        prepared[page.pk] = _prepare(request, page, maps_on_page(page))
    page_maps = prepared[page.pk]
    if map_.pk not in page_maps.live:  # a map the page's fields do not hold (a block's default)
        return map_.get_live_localized()
    return page_maps.live[map_.pk]


def viewer_layer_data(map_, inline_max: int | None) -> dict[str, LayerData]:
    """``store.load_viewer_data`` for a map read by :func:`live_on_page`: its layers were read
    with those of the page's other maps."""
    page_maps: PageMaps | None = getattr(map_, "_page_maps", None)
    digests = store.layer_digests(map_.document)
    loaded = page_maps.load_layer_data() if page_maps is not None else {}
    if not digests <= loaded.keys():
        return store.load_viewer_data(map_.document, inline_max)
    rows = {digest: loaded[digest] for digest in digests}
    if inline_max is None and any(row.size > _inline_max() for row in rows.values()):
        # Every layer inline (a page for some visitors only): its large layers' GeoJSON too.
        return store.load_viewer_data(map_.document, None)
    return rows


def maps_on_page(page) -> list:
    """The maps a page's content chooses: its MapBlocks (at any depth), and its ``map``."""
    from wagtail_umap.models.map import Map

    found = []
    own = getattr(page, "map", None)
    if isinstance(own, Map):
        found.append(own)
    for model_field in page._meta.concrete_fields:
        if isinstance(model_field, StreamField):
            _collect(getattr(page, model_field.name), model_field.stream_block, Map, found)
    return found


def _collect(value, block, model, found: list) -> None:
    if value is None:
        return
    if isinstance(block, SnippetChooserBlock):
        if isinstance(value, model):
            found.append(value)
    elif isinstance(block, StreamBlock) and isinstance(value, StreamValue):
        for child in value:
            _collect(child.value, child.block, model, found)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            _collect(value.get(name), child_block, model, found)
    elif isinstance(block, ListBlock):
        for item in value:
            _collect(item, block.child_block, model, found)


def _prepare(request: HttpRequest, page, maps: list) -> PageMaps:
    facts = _page_facts(request, page, maps)
    request.__dict__.setdefault(RESTRICTED_PAGES, {})[page.pk] = facts.restricted
    remember_decisions(request, facts.visibilities)  # this visitor's answers, this request only
    page_maps = PageMaps(live=facts.live)
    for live_map in facts.live.values():
        if live_map is not None:
            live_map._page_maps = page_maps
    return page_maps


def _page_facts(request: HttpRequest, page, maps: list) -> PageFacts:
    """The page's facts from the cache, else read (in a constant number of queries) and kept
    there. A preview's page is a draft: read each time."""
    if getattr(request, "is_preview", False):
        return _read_facts(page, maps)
    chosen = ",".join(str(pk) for pk in sorted({m.pk for m in maps}))
    key = f"{FACTS_PREFIX}{safe_cache.generation()}:{page.pk}:{get_language()}:{chosen}"
    timeout = safe_cache.generation_timeout(get_setting("VIEWER_CACHE_TIMEOUT"))
    facts = safe_cache.get_generational(key, timeout)
    if not isinstance(facts, PageFacts):
        facts = _read_facts(page, maps)
        safe_cache.set_generational(key, facts, timeout)
    return facts


def _read_facts(page, maps: list) -> PageFacts:
    live = _live_versions(maps)
    live_maps = list({m.pk: m for m in live.values() if m is not None}.values())
    return PageFacts(
        live=live,
        visibilities=visibilities(live_maps),
        restricted=page.get_view_restrictions().exists(),
    )


def _live_versions(maps: list) -> dict[int, object]:
    """``get_live_localized`` of each map, in one query for all of them (and the locales)."""
    from wagtail_umap.models.map import Map

    active = _locale(Locale.get_active)
    default = active if _same_language(get_language(), settings.LANGUAGE_CODE) else None
    default = default or _locale(Locale.get_default)
    locale_ids = {locale.pk for locale in (active, default) if locale is not None}
    keys = {map_.translation_key for map_ in maps}
    translations = {
        (translation.translation_key, translation.locale_id): translation
        for translation in Map.objects.filter(translation_key__in=keys, locale_id__in=locale_ids)
    }

    def in_locale(map_, locale):
        if locale is None:
            return None
        if locale.pk == map_.locale_id:
            return map_
        return translations.get((map_.translation_key, locale.pk))

    live = {}
    for map_ in maps:
        candidates = (in_locale(map_, active) or map_, map_, in_locale(map_, default))
        live[map_.pk] = next((c for c in candidates if c is not None and c.live), None)
    return live


def _locale(lookup) -> Locale | None:
    with contextlib.suppress(Locale.DoesNotExist, LookupError):
        return lookup()
    return None


def _same_language(one: str | None, other: str) -> bool:
    """Whether two language codes name the same content language (then the same Locale)."""
    try:
        return get_supported_content_language_variant(
            one or other
        ) == get_supported_content_language_variant(other)
    except LookupError:
        return False


def _inline_max() -> int:
    return get_setting("INLINE_LAYER_MAX_BYTES")
