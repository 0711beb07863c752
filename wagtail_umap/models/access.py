"""Who may see a map through its own URLs: the rule of docs/sharing.md, in one place.

A live map is **public** when it, or one of its translations, is *shared publicly* (an editor
ticked it and published), or when a live page of a Wagtail site, with no view restriction on it
or on its ancestors, shows it or one of its translations. A public map answers everyone on
every URL (embed, oEmbed, downloads, data URLs, feature list, API), cacheable by anyone.

Any other live map is **private**. Its URLs answer, with ``Cache-Control: private``, only:

- those who may see one of the live pages that show it: they passed every view restriction of
  that page and of its ancestors, as Wagtail checks them when it serves the page (the page's
  password in their session, logged in, a member of one of the groups);
- users with a permission on maps (they see the map in the admin anyway).

Everyone else gets a 404, as for a map that does not exist. A map shown on no live page and not
shared is private: nobody outside the admin sees it.

The pages that show a map come from Wagtail's reference index (``MapBlock`` in a StreamField,
the ``map`` of a ``MapPage``): restrictions and live states are read at each request, the
references are what Wagtail indexed. A reference the index lacks (never built, or not updated
yet) makes the map *less* visible, never more: the page that shows it inlines its layers and
offers no public URL (``blocks.map_on_page_context``), and ``manage.py rebuild_references_index``
sets it right.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf
from django.utils.cache import patch_vary_headers

from wagtail_umap import safe_cache

# Cache-Control of what only some visitors may see: no shared cache keeps it, the browser asks
# again each time (a 304 when nothing changed), so a session that ends loses access at once.
PRIVATE_CACHE_CONTROL = "private, no-cache"
# Any of these permissions on maps lets a user see every live map (the admin shows it to them).
STAFF_ACTIONS = ["add", "change", "delete", "publish", "view", "lock", "unlock"]
REQUEST_CACHE = "_wagtail_umap_access"


def page_model():
    """Wagtail's page model (swappable from Wagtail 8)."""
    try:
        import swapper

        return swapper.load_model("wagtailcore", "Page")
    except (ImportError, LookupError, ValueError):  # Wagtail 7: no swappable page
        from wagtail.models import Page

        return Page


@dataclass(frozen=True)
class PageUse:
    """A live page of a site that shows the map, and the view restrictions that guard it."""

    page_id: int
    restrictions: tuple = ()  # PageViewRestriction rows on the page or an ancestor

    @property
    def public(self) -> bool:
        return not self.restrictions

    def passed_by(self, request: HttpRequest) -> bool:
        """Whether Wagtail would serve the page to this request: every restriction accepts it."""
        return all(_accepts(restriction, request) for restriction in self.restrictions)


def _accepts(restriction, request: HttpRequest) -> bool:
    if not hasattr(request, "session") or not hasattr(request, "user"):
        return False  # no session, no user: nothing was passed
    return restriction.accept_request(request)


@dataclass(frozen=True)
class MapVisibility:
    """What the site does with a map and its translations: shared or not, and where shown."""

    shared: bool
    uses: tuple[PageUse, ...] = ()

    @property
    def public(self) -> bool:
        return self.shared or any(use.public for use in self.uses)

    @property
    def restricted_uses(self) -> tuple[PageUse, ...]:
        return tuple(use for use in self.uses if not use.public)

    def passed_by(self, request: HttpRequest) -> bool:
        return any(use.passed_by(request) for use in self.restricted_uses)


@dataclass(frozen=True)
class MapAccess:
    """The answer for one request: may it see the map, and may anyone cache the answer."""

    allowed: bool
    public: bool

    def patch(self, response: HttpResponse) -> HttpResponse:
        """A response for this request only when the map is private: no shared cache keeps
        it, nothing is ``immutable``."""
        if not self.public:
            make_private(response)
        return response


PUBLIC = MapAccess(allowed=True, public=True)
DENIED = MapAccess(allowed=False, public=False)


def make_private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    if "Expires" in response:
        del response["Expires"]
    patch_vary_headers(response, ["Cookie"])
    return response


def is_map_staff(user) -> bool:
    """Whether a user has a permission on maps: the admin shows them every map."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    from wagtail.permission_policies import ModelPermissionPolicy

    from wagtail_umap.models.map import Map

    return ModelPermissionPolicy(Map).user_has_any_permission(user, STAFF_ACTIONS)


# Where maps are shown


def visibilities(maps: Iterable, *, all_uses: bool = False) -> dict[int, MapVisibility]:
    """The visibility of each map (by pk), its translations counted, in a constant number of
    queries whatever the number of maps. The pages of a shared map are looked up only with
    ``all_uses`` (it is public wherever it is shown)."""
    from wagtail_umap.models.map import Map

    maps = list(maps)
    if not maps:
        return {}
    keys = {map_.translation_key for map_ in maps}
    members = list(
        Map.objects.filter(translation_key__in=keys).values_list(
            "pk", "translation_key", "live", "shared_publicly"
        )
    )
    key_of = {pk: key for pk, key, _live, _shared in members}
    shared_keys = {key for _pk, key, live, shared in members if live and shared}
    uses: dict = defaultdict(dict)
    looked_up = [pk for pk in key_of if all_uses or key_of[pk] not in shared_keys]
    for map_id, use in _page_uses(looked_up):
        uses[key_of[map_id]][use.page_id] = use
    return {
        map_.pk: MapVisibility(
            shared=map_.translation_key in shared_keys,
            uses=tuple(uses[map_.translation_key].values()),
        )
        for map_ in maps
    }


def visibility_of(map_, *, all_uses: bool = False) -> MapVisibility:
    return visibilities([map_], all_uses=all_uses)[map_.pk]


def site_root_paths() -> list[str]:
    """The root paths of the Wagtail sites. Wagtail keeps them in Django's cache: when the cache
    fails, they are read from the database (the cache is an optimisation, never a 500)."""
    from wagtail.models import Site

    try:
        return [root.root_path for root in Site.get_site_root_paths()]
    except Exception as error:  # any cache backend's failure
        safe_cache.errors.error("get (Wagtail's site root paths)", error)
        return list(Site.objects.values_list("root_page__url_path", flat=True))


def _page_uses(map_ids: list[int]) -> list[tuple[int, PageUse]]:
    """(map id, use) for each live page of a site that references one of ``map_ids``."""
    from wagtail.models import PageViewRestriction, ReferenceIndex

    from wagtail_umap.models.map import Map

    if not map_ids:
        return []
    Page = page_model()
    references = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Map),
            to_object_id__in=[str(pk) for pk in map_ids],
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        .values_list("object_id", "to_object_id")
        .distinct()
    )
    maps_of_page = defaultdict(set)
    for page_id, map_id in references:
        maps_of_page[int(page_id)].add(int(map_id))
    if not maps_of_page:
        return []
    roots = site_root_paths()
    rows = Page.objects.filter(pk__in=maps_of_page, live=True).values_list(
        "pk", "path", "url_path", "has_unpublished_changes"
    )
    # A page outside every site has no public URL: it shows the map to nobody.
    rows = [row for row in rows if any(row[2].startswith(root) for root in roots)]
    # A page with a draft: some Wagtail versions index the draft's references; the map counts
    # only if the published page shows it.
    pending = [pk for pk, _path, _url_path, changed in rows if changed]
    if pending:
        shown = _maps_shown_by_live_pages(pending)
        for pk in pending:
            maps_of_page[pk] &= shown.get(pk, set())
    pages = [(pk, path) for pk, path, _url_path, _changed in rows if maps_of_page[pk]]
    # A page's restrictions are those of the page and its ancestors; an alias (of a page, or
    # among the ancestors) uses the restrictions of its source page, as Wagtail does.
    steplen = Page.steplen
    chains = {
        pk: [path[:end] for end in range(steplen, len(path) + 1, steplen)] for pk, path in pages
    }
    chain_pages = {
        path: (pk, alias_of_id)
        for path, pk, alias_of_id in Page.objects.filter(
            path__in={path for chain in chains.values() for path in chain}
        ).values_list("path", "pk", "alias_of_id")
    }
    targets = {path: _resolve_alias(pk, alias) for path, (pk, alias) in chain_pages.items()}
    restrictions = defaultdict(list)
    checked = {target for chain in chains.values() for target in map(targets.get, chain)}
    for restriction in (
        PageViewRestriction.objects.filter(page_id__in=checked)
        .exclude(restriction_type=PageViewRestriction.NONE)
        # Deciding needs the restriction's type, id and groups, never its password, which
        # stays out of what models/page_maps.py keeps in the cache.
        .defer("password")
        .prefetch_related("groups")
    ):
        restrictions[restriction.page_id].append(restriction)
    result = []
    for pk, _path in pages:
        guards = tuple(r for path in chains[pk] for r in restrictions[targets.get(path)])
        use = PageUse(page_id=pk, restrictions=guards)
        result.extend((map_id, use) for map_id in maps_of_page[pk])
    return result


def _maps_shown_by_live_pages(page_ids: list[int]) -> dict[int, set[int]]:
    """The maps each live page's published content references (its row, not its draft)."""
    from wagtail.models import ReferenceIndex

    from wagtail_umap.models.map import Map

    map_type = ContentType.objects.get_for_model(Map).pk
    shown = {}
    for page in page_model().objects.filter(pk__in=page_ids).specific():
        try:
            references = list(ReferenceIndex._extract_references_from_object(page))
        except Exception:  # an unreadable page shows nothing: fail closed
            references = []
        shown[page.pk] = {
            int(to_id) for type_id, to_id, *_path in references if type_id == map_type
        }
    return shown


def _resolve_alias(page_id: int, alias_of_id: int | None) -> int:
    """The page whose restrictions apply: the source of an alias (of an alias…), else itself."""
    Page = page_model()
    seen = {page_id}
    while alias_of_id is not None and alias_of_id not in seen:
        seen.add(alias_of_id)
        page_id, alias_of_id = (
            alias_of_id,
            (Page.objects.filter(pk=alias_of_id).values_list("alias_of_id", flat=True).first()),
        )
    return page_id


# The decision for a request


def access_for(request: HttpRequest | None, map_) -> MapAccess:
    """May this request see ``map_`` (a live map) on its URLs, and may anyone cache it?"""
    if map_ is None or not map_.pk or not map_.live:
        return DENIED
    cache = getattr(request, REQUEST_CACHE, None) if request is not None else None
    if cache is not None and map_.pk in cache:
        return cache[map_.pk]
    if map_.__dict__.get("shared_publicly"):  # loaded and true: public, nothing to look up
        return PUBLIC
    access = decide(request, visibility_of(map_))
    if request is not None:
        if cache is None:
            cache = {}
            setattr(request, REQUEST_CACHE, cache)
        cache[map_.pk] = access
    return access


def remember_accesses(request: HttpRequest, maps: Iterable) -> None:
    """Decide for ``request`` about several live maps at once (a page's, ``page_maps``), in a
    constant number of queries, and keep the answers for :func:`access_for`."""
    cache = request.__dict__.setdefault(REQUEST_CACHE, {})
    pending = [map_ for map_ in maps if map_.pk not in cache]
    remember_decisions(request, visibilities(pending))


def remember_decisions(request: HttpRequest, visibility_of_map: dict[int, MapVisibility]) -> None:
    """Decide for ``request`` from visibilities already read (``page_maps`` keeps them across
    requests: they hold no visitor's answer, only the restrictions the visitor must pass)."""
    cache = request.__dict__.setdefault(REQUEST_CACHE, {})
    for pk, visibility in visibility_of_map.items():
        cache.setdefault(pk, decide(request, visibility))


def decide(request: HttpRequest | None, visibility: MapVisibility) -> MapAccess:
    if visibility.public:
        return PUBLIC
    if request is None:
        return DENIED
    allowed = is_map_staff(getattr(request, "user", None)) or visibility.passed_by(request)
    return MapAccess(allowed=allowed, public=False)


def visible_map_ids(request: HttpRequest | None, maps: Iterable) -> tuple[set[int], bool]:
    """The pks of ``maps`` (live maps) this request may see, and whether all of them are public
    (then the answer may be cached by anyone)."""
    maps = list(maps)
    staff = request is not None and is_map_staff(getattr(request, "user", None))
    visible, all_public = set(), True
    for pk, visibility in visibilities(maps).items():
        if visibility.public:
            visible.add(pk)
        elif request is not None and (staff or visibility.passed_by(request)):
            visible.add(pk)
            all_public = False
    return visible, all_public


# Views


def not_found(request: HttpRequest) -> HttpResponse:
    """The 404 of a map this request may not see: the site's own 404 page (its ``handler404``),
    the same as for a map that does not exist, kept by no shared cache (someone else may see
    the map at this URL)."""
    handler = get_resolver(get_urlconf()).resolve_error_handler(404)
    response = handler(request, exception=Http404())
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return make_private(response)


def map_access_required(view: Callable) -> Callable:
    """For a view of one live map named by its ``map_id`` argument: a 404 to a request that may
    not see the map; the view's answer marked private when the map is not public."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, map_id, **kwargs) -> HttpResponse:
        from wagtail_umap.models.map import Map

        map_ = (
            Map.objects.live()
            .filter(pk=map_id)
            .only("pk", "live", "translation_key", "locale", "shared_publicly")
            .first()
        )
        if map_ is None:
            return not_found(request)  # the same answer as a map this request may not see
        access = access_for(request, map_)
        if not access.allowed:
            return not_found(request)
        return access.patch(view(request, *args, map_id=map_id, **kwargs))

    return wrapped
