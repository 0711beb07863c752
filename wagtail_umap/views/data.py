"""The public data URL of a layer: content-addressed, so immutable and cacheable forever."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from wagtail_umap.models import LayerData, Map
from wagtail_umap.store import layer_digests
from wagtail_umap.views.caching import etag_response

ONE_YEAR = 365 * 24 * 3600


@require_safe
def layer_data(request: HttpRequest, map_id: int, digest: str) -> HttpResponse:
    """Serve one layer of a live map; data only a draft or an old revision uses is not public."""
    map_ = Map.objects.live().filter(pk=map_id).only("document").first()
    if map_ is None or digest not in layer_digests(map_.document):
        raise Http404

    def build() -> HttpResponse:
        stored = LayerData.objects.only("geojson").get(digest=digest)
        response = HttpResponse(bytes(stored.geojson), content_type="application/geo+json")
        response["Content-Disposition"] = f'inline; filename="{digest[:12]}.geojson"'
        return response

    return etag_response(request, digest, build, max_age=ONE_YEAR, immutable=True)
