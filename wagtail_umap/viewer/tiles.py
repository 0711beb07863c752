"""A large layer's vector tiles (``models.vector_tiles``): its PMTiles archive, read by the
viewer with HTTP range requests, and one feature of the layer as GeoJSON (a popup or "Voir
sur la carte" on a tiled layer, whose features the browser never downloads whole).

Both answer under the rule of the layer's data URL (``viewer.data``): the map is live and its
live version uses the digest (or did, within the grace period), and a private map's answers
are for the visitor only. The archive never changes under its name, so it is cached for good;
in production a web server or a CDN serves it instead (docs/deployment.md).
"""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from wagtail_umap.models import Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.models.vector_tiles import feature_bytes, ready_tiles
from wagtail_umap.viewer.caching import has_current_version
from wagtail_umap.viewer.data import data_url_lifetime

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_RANGE = 16 * 1024 * 1024  # no tile or directory is larger; a bigger request is cut


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a single ``Range: bytes=…`` in a file of ``size`` bytes; None
    when the header is absent or not a single byte range (the whole file is sent); False when
    it cannot be satisfied (416)."""
    match = RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return False
    return start, min(end, size - 1, start + MAX_RANGE - 1)


@require_safe
@map_access_required  # private maps: 404, or a private answer (docs/sharing.md)
def layer_tiles(request: HttpRequest, map_id: int, digest: str) -> HttpResponse:
    """The layer's archive, whole or one byte range (206), immutable while its version is live."""
    lifetime = data_url_lifetime(map_id, digest)
    archive = ready_tiles({digest}).get(digest) if lifetime is not None else None
    if archive is None:
        raise Http404
    etag = f'"{digest}-tiles-{archive.edition}"'
    cache_control = {"public": True, "max_age": lifetime.max_age}
    if lifetime.immutable:
        cache_control["immutable"] = True
    if has_current_version(request, etag.strip('"')):
        response = HttpResponse(status=304)
    else:
        wanted = parse_range(request.headers.get("Range", ""), archive.size)
        if wanted is False:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{archive.size}"
        else:
            first, last = wanted or (0, archive.size - 1)
            with default_storage.open(archive.name, "rb") as stored:
                stored.seek(first)
                body = stored.read(last - first + 1)
            response = HttpResponse(body, content_type="application/vnd.pmtiles")
            if wanted:
                response.status_code = 206
                response["Content-Range"] = f"bytes {first}-{last}/{archive.size}"
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Accept-Ranges"] = "bytes"
    patch_cache_control(response, **cache_control)
    return response


@require_safe
@map_access_required
def layer_feature(request: HttpRequest, map_id: int, layer_id: str, index: str) -> HttpResponse:
    """One feature of a live map's large layer, as a GeoJSON Feature (its geometry and
    properties): what a popup and "Voir sur la carte" need on a tiled layer."""
    map_ = Map.objects.live().filter(pk=map_id).only("document").first()
    layer = next((item for item in map_.layers if item["id"] == layer_id), None) if map_ else None
    position = int(index)
    if layer is None or "data" not in layer or position >= layer["data"]["feature_count"]:
        raise Http404
    found = feature_bytes(layer["data"]["digest"], position)
    if found is None:
        raise Http404  # no archive: the viewer has the whole layer from its data URL
    response = HttpResponse(found, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def tiles_url(map_id: int, digest: str) -> str:
    from django.urls import reverse

    return reverse("wagtail_umap:layer_tiles", kwargs={"map_id": map_id, "digest": digest})


def feature_url(map_id: int, layer_id: str) -> str:
    """The feature URL of a layer's features, with ``{index}`` for the feature's position."""
    from django.urls import reverse

    url = reverse(
        "wagtail_umap:layer_feature", kwargs={"map_id": map_id, "layer_id": layer_id, "index": 0}
    )
    return url.removesuffix("0.geojson") + "{index}.geojson"
