"""oEmbed (https://oembed.com/) for published maps: another CMS pastes a map's URL and gets
the iframe.

The URL may be a map's embed URL (``/…/<id>/embed/``, with its query parameters) or the URL of a
published, public page that shows one map (a ``MapPage`` or any page with a ``map`` field of
a live map). Drafts, unknown URLs, private pages and maps this request may not see
(``models.access``) give 404; only JSON is offered (501 for xml).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from wagtail_umap.blocks import MapBlock
from wagtail_umap.models import Map
from wagtail_umap.models.access import not_found
from wagtail_umap.sharing.embed import EMBED_MAX_AGE, embed, embed_url

DEFAULT_WIDTH = 800
DEFAULT_HEIGHT = 600
MIN_SIZE = 200
# What the embed's query parameters may carry over from a pasted embed URL.
EMBED_PARAMS = ("lat", "lng", "zoom", "layers", "controls", "list")


def _size(value: str | None, default: int) -> int:
    try:
        size = int(value) if value else None
    except ValueError:
        size = None
    return default if size is None else max(MIN_SIZE, min(size, default))


def _site_for(host: str, request: HttpRequest) -> Site | None:
    """The Wagtail site a URL's host (``name`` or ``name:port``) belongs to."""
    hostname, _, port = host.partition(":")
    if host == request.get_host():
        site = Site.find_for_request(request)
        if site is not None:
            return site
    sites = Site.objects.filter(hostname=hostname).select_related("root_page")
    if port:
        sites = sites.filter(port=int(port)) if port.isdigit() else sites.none()
    return sites.first()


def _map_of_page(path: str, site: Site, request: HttpRequest) -> tuple[Map, Page] | None:
    """The live map shown by the live, public page at ``path`` of ``site``."""
    components = [component for component in path.split("/") if component]
    try:
        page = site.root_page.localized.specific.route(request, components).page
    except Http404:
        return None
    page = page.specific
    if not page.live or page.get_view_restrictions().exists():
        return None
    map_ = first_map_of(page)
    map_ = map_.get_live_localized() if map_ is not None else None
    return (map_, page) if map_ is not None else None


def first_map_of(page: Page) -> Map | None:
    """The map a page shows: a MapPage's own map, else the first MapBlock of its StreamFields."""
    if isinstance(getattr(page, "map", None), Map):
        return page.map
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for block in getattr(page, field.name):
                if isinstance(block.block, MapBlock) and block.value.get("map") is not None:
                    return block.value["map"]
    return None


def resolve_map_url(url: str, request: HttpRequest) -> tuple[Map, dict, Page | None]:
    """The live map a public URL shows, the embed parameters it carries, and its page if any."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Http404
    site = _site_for(parts.netloc, request)
    if site is None and parts.netloc != request.get_host():
        raise Http404
    path = parts.path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.func is embed:
        map_ = Map.objects.live().filter(pk=match.kwargs["map_id"]).first()
        if map_ is None:
            raise Http404
        query = parse_qs(parts.query)
        params = {key: query[key][-1] for key in EMBED_PARAMS if key in query}
        return map_, params, None
    if site is not None:
        found = _map_of_page(path, site, request)
        if found is not None:
            return found[0], {}, found[1]
    raise Http404


def iframe_html(src: str, title: str, width: int, height: int) -> str:
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
        src,
        title,
        width,
        height,
    )


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    query: QueryDict = request.GET
    if query.get("format", "json") != "json":
        return HttpResponse(status=501, content_type="text/plain; charset=utf-8")
    url = query.get("url", "")
    if not url:
        return HttpResponse("url is required", status=400, content_type="text/plain")
    try:
        map_, params, _page = resolve_map_url(url, request)
    except Http404:
        map_ = None
    access = map_.access_for(request) if map_ is not None else None
    if access is None or not access.allowed:
        return not_found(request)  # one answer, whether the map exists or not
    width = _size(query.get("maxwidth"), DEFAULT_WIDTH)
    height = _size(query.get("maxheight"), DEFAULT_HEIGHT)
    src = embed_url(map_, request, **params)
    provider = getattr(settings, "WAGTAIL_SITE_NAME", "") or request.get_host()
    data = {
        "version": "1.0",
        "type": "rich",
        "title": map_.title,
        "provider_name": provider,
        "provider_url": request.build_absolute_uri("/"),
        "html": iframe_html(src, map_.title, width, height),
        "width": width,
        "height": height,
        "cache_age": EMBED_MAX_AGE,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=EMBED_MAX_AGE)
    return access.patch(response)
