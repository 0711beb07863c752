"""The embed view of a published map: a bare page meant for an iframe on any site.

Framing is allowed on this view only: it is exempt from ``X-Frame-Options`` and its CSP
``frame-ancestors`` comes from ``WAGTAIL_UMAP["EMBED_FRAME_ANCESTORS"]``; the rest of the site
keeps refusing to be framed. Query parameters choose the initial view (``lat``, ``lng``,
``zoom``), the layers shown (``layers=id1,id2``), the controls (``controls=zoom,fullscreen``) and
whether the feature list shows (``list=0`` hides it visually; it stays for screen readers and
shows again when the keyboard enters it).
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from wagtail_umap.conf import get_setting
from wagtail_umap.core.document import CONTROL_NAMES
from wagtail_umap.models import Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.map import ViewerMap
from wagtail_umap.viewer.theme import current_theme

CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
# Published maps change only when republished: caches revalidate after a while.
EMBED_MAX_AGE = 300
MAX_ZOOM = 22


def _number(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number) or not low <= number <= high:
        return None
    return number


def _names(value: str | None) -> list[str]:
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def apply_embed_options(viewer_map: ViewerMap, query: QueryDict) -> ViewerMap:
    """Adjust the viewer's initial view, visible layers and controls to the query parameters.

    Unknown or malformed values are ignored: the map's own settings stay.
    """
    lat = _number(query.get("lat"), -90, 90)
    lng = _number(query.get("lng"), -180, 180)
    zoom = _number(query.get("zoom"), 0, MAX_ZOOM)
    if lat is not None and lng is not None:
        viewer_map.center = {"lat": lat, "lng": lng}
        if zoom is None and viewer_map.zoom is None:
            zoom = 12
    if zoom is not None and viewer_map.center:
        viewer_map.zoom = int(zoom)
    if "layers" in query:
        wanted = set(_names(query.get("layers")))
        known = {layer.id for layer in viewer_map.layers}
        if wanted & known:
            for layer in viewer_map.layers:
                layer.shown_on_load = layer.id in wanted
    if "controls" in query:
        wanted = set(_names(query.get("controls")))
        viewer_map.controls = {name: name in wanted for name in CONTROL_NAMES}
    return viewer_map


def embed_url(map_: Map, request: HttpRequest | None = None, **params) -> str:
    """The embed URL of a map, absolute when a request is given, with its query parameters."""
    url = reverse("wagtail_umap:embed", kwargs={"map_id": map_.pk})
    query = {key: value for key, value in params.items() if value not in (None, "")}
    if query:
        url += "?" + urlencode(query)
    return request.build_absolute_uri(url) if request is not None else url


def frame_ancestors() -> list[str]:
    return list(get_setting("EMBED_FRAME_ANCESTORS"))


def allow_framing(response: HttpResponse, *, public: bool = True) -> HttpResponse:
    """Let the sites of ``EMBED_FRAME_ANCESTORS`` frame this response, and only them; only this
    site when the map is private (``public=False``): its visitors may see it, other sites not.

    With django-csp's middleware the rest of the site's policy stays as configured (the same
    attribute its ``csp_replace`` decorator sets, read at request time so that settings can
    change); without it, the response carries a policy of its own with ``frame-ancestors``.
    """
    ancestors = frame_ancestors() if public else ["'self'"]
    response.xframe_options_exempt = True
    if CSP_MIDDLEWARE in settings.MIDDLEWARE:
        from csp.decorators import csp_replace

        return csp_replace({"frame-ancestors": ancestors})(lambda: response)()
    if "Content-Security-Policy" not in response:
        response["Content-Security-Policy"] = "frame-ancestors " + " ".join(ancestors)
    return response


@xframe_options_exempt
@require_safe
@map_access_required  # a private map: 404, or a private answer (docs/sharing.md)
def embed(request: HttpRequest, map_id: int) -> HttpResponse:
    map_ = get_object_or_404(Map.objects.live(), pk=map_id)
    viewer_map = apply_embed_options(
        viewer_map_for(map_, dom_id=f"umap-embed-{map_.pk}", heading_level=1), request.GET
    )
    compact = request.GET.get("list") == "0"
    oembed_url = request.build_absolute_uri(
        reverse("wagtail_umap:oembed") + "?" + urlencode({"url": embed_url(map_, request)})
    )
    response = TemplateResponse(
        request,
        "wagtail_umap/embed.html",
        {
            "map": map_,
            "viewer_map": viewer_map,
            "compact": compact,
            "oembed_url": oembed_url,
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
            "theme": current_theme(),
        },
    )
    patch_cache_control(response, public=True, max_age=EMBED_MAX_AGE)
    return allow_framing(response, public=map_.access_for(request).public)
