"""Open-data downloads of a published map, whole or one layer, in every export format."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from wagtail_umap.core.content import canonical_json, content_digest
from wagtail_umap.formats import EXPORT_FORMATS, write_map_file
from wagtail_umap.models import Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.viewer.caching import etag_response

# Published maps change only when republished: browsers and caches revalidate after a while.
DOWNLOAD_MAX_AGE = 300


@require_safe
@map_access_required
def download_map(request: HttpRequest, map_id: int, format_name: str) -> HttpResponse:
    map_ = get_object_or_404(Map.objects.live(), pk=map_id)
    return download_response(request, map_, None, format_name)


@require_safe
@map_access_required
def download_layer(
    request: HttpRequest, map_id: int, layer_id: str, format_name: str
) -> HttpResponse:
    map_ = get_object_or_404(Map.objects.live(), pk=map_id)
    if not any(layer["id"] == layer_id for layer in map_.layers):
        raise Http404
    return download_response(request, map_, layer_id, format_name)


def download_response(
    request: HttpRequest, map_: Map, layer_id: str | None, format_name: str
) -> HttpResponse:
    export = EXPORT_FORMATS.get(format_name)
    if export is None:
        raise Http404
    # The live document names its layer data by digest: its hash changes with any content.
    fingerprint = canonical_json([map_.title, map_.document, layer_id, format_name])

    def build() -> HttpResponse:
        document = map_.full_document()
        if layer_id is not None:
            document["layers"] = [layer for layer in document["layers"] if layer["id"] == layer_id]
        response = HttpResponse(
            write_map_file(document, format_name), content_type=export.content_type
        )
        filename = download_filename(map_, layer_id) + export.extension
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return etag_response(request, content_digest(fingerprint), build, max_age=DOWNLOAD_MAX_AGE)


def download_filename(map_: Map, layer_id: str | None) -> str:
    parts = [map_.title]
    if layer_id is not None:
        parts += [layer["name"] for layer in map_.layers if layer["id"] == layer_id]
    return slugify("-".join(parts)) or f"carte-{map_.pk}"
