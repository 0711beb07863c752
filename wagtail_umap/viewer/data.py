"""The data URL of a layer: content-addressed, so immutable and cacheable forever when the map
is public; a private map's answers are for the visitor only (``models.access``).

It answers while the live version of its map uses the digest, and for a grace period after a
publish replaced that version (``data_url_lifetime``), then with a max-age that ends with it.

The bytes were serialised and compressed once, when the layer was saved: a request reads the
one representation it sends (brotli, gzip or plain, per Accept-Encoding) and a client that has
it already gets a 304 without the layer being read at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from wagtail_umap.conf import get_setting
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.models.layer_data import PublishedLayer
from wagtail_umap.models.store import layer_digests
from wagtail_umap.viewer.caching import encoded_etag, etag_response

ONE_YEAR = 365 * 24 * 3600
STORED_FIELDS = {"br": "geojson_br", "gzip": "geojson_gzip", "identity": "geojson"}


def accepted_encodings(header: str) -> list[str]:
    """The encodings of an Accept-Encoding header we can send, best first: brotli, gzip."""
    accepted = {}
    for part in header.split(","):
        name, _sep, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip().replace(" ", "")
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip().lower()] = quality
    wildcard = accepted.get("*", 0.0)
    return [encoding for encoding in ("br", "gzip") if accepted.get(encoding, wildcard) > 0]


class BytesCache:
    """The most recently sent layer bytes of this process, up to ``DATA_CACHE_BYTES``.

    Layer data never changes under its digest, so nothing is ever stale: a popular layer is
    sent without reading the database again.
    """

    def __init__(self) -> None:
        self.items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key: tuple[str, str], body: bytes) -> None:
        limit = get_setting("DATA_CACHE_BYTES")
        if len(body) > limit // 4:
            return  # a few huge layers would push every other one out
        with self.lock:
            if key in self.items:
                return
            self.items[key] = body
            self.size += len(body)
            while self.size > limit:
                _key, old = self.items.popitem(last=False)
                self.size -= len(old)


cache = BytesCache()


def stored_representation(digest: str, encodings: list[str]) -> tuple[str, bytes]:
    """The first of ``encodings`` the store holds (brotli is absent when the package was not
    installed), else the plain GeoJSON: from this process's cache, or from one query that
    reads only that column."""
    # The plain bytes from the cache answer a client that takes no compression only: a layer
    # just saved by a patch gets its compressed bytes from a background task, seconds later,
    # and is then read again.
    for encoding in encodings or ["identity"]:
        body = cache.get((digest, encoding))
        if body is not None:
            return encoding, body
    return _read_representation(digest, encodings)


def _read_representation(digest: str, encodings: list[str]) -> tuple[str, bytes]:
    for encoding in encodings:
        body = (
            LayerData.objects.filter(digest=digest)
            .values_list(STORED_FIELDS[encoding], flat=True)
            .first()
        )
        if body:
            cache.put((digest, encoding), bytes(body))
            return encoding, bytes(body)
    body = LayerData.objects.filter(digest=digest).values_list("geojson", flat=True).first()
    if body is None:
        raise Http404
    cache.put((digest, "identity"), bytes(body))
    return "identity", bytes(body)


@dataclass(frozen=True)
class Lifetime:
    """How long a data URL's answer may be kept: for good while its version is live (the
    bytes under a digest never change), else the grace period left."""

    max_age: int
    immutable: bool


def data_url_lifetime(map_id: int, digest: str) -> Lifetime | None:
    """Whether a layer's data URL answers, and for how long the answer may be cached: the live
    version of a live map uses the digest, or a version a publish replaced used it less than
    ``DATA_URL_GRACE_SECONDS`` ago (pages, embeds and API answers that named it keep loading
    it). None otherwise: data only a draft or an old revision uses is not public."""
    document = Map.objects.live().filter(pk=map_id).values_list("document", flat=True).first()
    if document is None:
        return None
    if digest in layer_digests(document):
        return Lifetime(ONE_YEAR, immutable=True)
    retired = PublishedLayer.served(map_id, digest)
    if retired is None or not retired.grace_left():
        return None
    return Lifetime(retired.grace_left(), immutable=False)


@require_safe
@map_access_required  # private maps: 404, or a private answer (docs/sharing.md)
def layer_data(request: HttpRequest, map_id: int, digest: str) -> HttpResponse:
    """Serve one layer of a live map, of its live version or one in its grace period."""
    lifetime = data_url_lifetime(map_id, digest)
    if lifetime is None:
        raise Http404
    encodings = accepted_encodings(request.headers.get("Accept-Encoding", ""))

    def build() -> HttpResponse:
        encoding, body = stored_representation(digest, encodings)
        response = HttpResponse(body, content_type="application/geo+json")
        if encoding != "identity":
            response["Content-Encoding"] = encoding
        response["ETag"] = encoded_etag(digest, encoding)
        response["Content-Disposition"] = f'inline; filename="{digest[:12]}.geojson"'
        return response

    preferred = encodings[0] if encodings else "identity"
    cache_control = {"immutable": True} if lifetime.immutable else {}
    response = etag_response(
        request, digest, build, encoding=preferred, max_age=lifetime.max_age, **cache_control
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
