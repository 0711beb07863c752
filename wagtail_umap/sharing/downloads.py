"""Open-data downloads of a published map, whole or one layer, in every export format.

A download is computed once per live version and format, then served like the layer data:

- **Computed once**, the first time it is asked for, a batch of features at a time from the
  stored layers (``formats.stream``): a 100,000-point KML is written in constant memory. The
  file is kept gzip-compressed in Django's default storage (the filesystem, or S3 through
  django-storages), named by ``download_key``: a digest of everything it is written from.
- **One computation at a time** per file, and at most ``DOWNLOAD_MAX_BUILDS`` on the site:
  the ``StoredDownload`` row is the lock; the other requests wait up to
  ``DOWNLOAD_BUILD_WAIT`` seconds for it, then get a 503 with ``Retry-After``.
- **Served like data**: the public URLs of a map's downloads (``download_map``,
  ``download_layer``) redirect to the file's own URL, named by its key (``download_file``),
  which never changes content: a strong ETag per representation, ``immutable`` caching, gzip
  bytes as stored for clients that accept them, streamed (never read whole) for all.
"""

from __future__ import annotations

import gzip
import tempfile
import time
from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from wagtail_umap.conf import get_setting
from wagtail_umap.formats import EXPORT_FORMATS
from wagtail_umap.formats.stream import stream_map_file
from wagtail_umap.models import Map
from wagtail_umap.models.access import map_access_required
from wagtail_umap.models.layer_data import StoredDownload, stored_feature_batches
from wagtail_umap.viewer.caching import encoded_etag, etag_response
from wagtail_umap.viewer.data import ONE_YEAR, accepted_encodings

# Published maps change only when republished: browsers and caches revalidate after a while.
DOWNLOAD_MAX_AGE = 300
BATCH = 2000
CHUNK = 64 * 1024


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


@require_safe
@map_access_required  # the stored file of a private map is the visitor's only, like its links
def download_file(request: HttpRequest, map_id: int, key: str, filename: str) -> HttpResponse:
    map_ = get_object_or_404(Map.objects.live(), pk=map_id)
    return stored_file_response(request, map_, key, filename)


def download_key(map_: Map, layer_id: str | None, format_name: str) -> str:
    return StoredDownload.key_for(map_, layer_id, format_name)


def download_response(
    request: HttpRequest, map_: Map, layer_id: str | None, format_name: str
) -> HttpResponse:
    """The redirect to the file of this version (computed first if needed)."""
    export = EXPORT_FORMATS.get(format_name)
    if export is None:
        raise Http404
    key = download_key(map_, layer_id, format_name)

    def build() -> HttpResponse:
        stored = ensure_stored(map_, key, layer_id, format_name)
        if stored is None:
            return busy_response()
        return HttpResponseRedirect(file_url(map_, stored))

    return etag_response(request, key, build, max_age=DOWNLOAD_MAX_AGE)


def download_filename(map_: Map, layer_id: str | None) -> str:
    parts = [map_.title]
    if layer_id is not None:
        parts += [layer["name"] for layer in map_.layers if layer["id"] == layer_id]
    return slugify("-".join(parts)) or f"carte-{map_.pk}"


def file_url(map_: Map, stored: StoredDownload) -> str:
    layer_id = stored.layer_id or None
    filename = download_filename(map_, layer_id) + EXPORT_FORMATS[stored.format_name].extension
    return reverse("wagtail_umap:download_file", args=[map_.pk, stored.key, filename])


def busy_response() -> HttpResponse:
    response = HttpResponse(
        gettext("This file is being prepared; try again in a few seconds."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


# --- computed once ----------------------------------------------------------------------------


def ensure_stored(
    map_: Map, key: str, layer_id: str | None, format_name: str
) -> StoredDownload | None:
    """The stored file of ``key``: already there, computed here, or computed by another
    request while this one waits. None when still not ready after ``DOWNLOAD_BUILD_WAIT``."""
    deadline = time.monotonic() + get_setting("DOWNLOAD_BUILD_WAIT")
    pause = 0.1
    while True:
        stored = StoredDownload.objects.filter(key=key, state=StoredDownload.READY).first()
        if stored is not None:
            return stored
        claimed = claim(map_, key, layer_id, format_name)
        if claimed is not None:
            return build_file(map_, claimed)
        if time.monotonic() >= deadline:
            return None
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def claim(map_: Map, key: str, layer_id: str | None, format_name: str) -> StoredDownload | None:
    """The row of ``key`` when this request may compute the file (None: another one does,
    or the site computes as many files as it may at once)."""
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=get_setting("DOWNLOAD_BUILD_TIMEOUT"))
    building = StoredDownload.objects.filter(state=StoredDownload.BUILDING, started_at__gte=stale)
    if building.count() >= get_setting("DOWNLOAD_MAX_BUILDS"):
        return None
    try:
        with transaction.atomic():
            return StoredDownload.objects.create(
                key=key,
                map=map_,
                layer_id=layer_id or "",
                format_name=format_name,
                started_at=now,
            )
    except IntegrityError:
        pass
    # Someone's computation that never finished (a killed worker): take it over.
    taken = StoredDownload.objects.filter(
        key=key, state=StoredDownload.BUILDING, started_at__lt=stale
    ).update(started_at=now)
    return StoredDownload.objects.get(key=key) if taken else None


def build_file(map_: Map, stored: StoredDownload) -> StoredDownload:
    """Write the file a batch of features at a time, gzip-compressed, into the storage."""
    export = EXPORT_FORMATS[stored.format_name]
    name = f"{get_setting('DOWNLOAD_STORAGE_PREFIX')}/{stored.key[:2]}/{stored.key}"
    plain_size = 0
    try:
        with tempfile.TemporaryFile() as spool:
            with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6, mtime=0) as out:
                for piece in file_pieces(map_, stored.layer_id or None, stored.format_name):
                    out.write(piece)
                    plain_size += len(piece)
            size = spool.tell()
            spool.seek(0)
            saved = default_storage.save(f"{name}{export.extension}.gz", File(spool))
    except BaseException:
        StoredDownload.objects.filter(key=stored.key, state=StoredDownload.BUILDING).delete()
        raise
    stored.name, stored.size, stored.plain_size = saved, size, plain_size
    stored.state, stored.finished_at = StoredDownload.READY, timezone.now()
    stored.save()
    return stored


def file_pieces(map_: Map, layer_id: str | None, format_name: str) -> Iterator[bytes]:
    """The download's bytes, from the stored layers a batch of features at a time."""
    digests = {}
    layers = []
    for layer in map_.layers:
        if layer_id is not None and layer["id"] != layer_id:
            continue
        layer = dict(layer)
        reference = layer.pop("data", None)
        if reference is not None:
            digests[layer["id"]] = reference["digest"]
        layers.append(layer)
    document = {**map_.document, "layers": layers, "title": map_.title, "summary": map_.summary}

    def batches(layer: dict) -> Iterator[list[dict]]:
        digest = digests.get(layer["id"])
        if digest is not None:
            yield from stored_feature_batches(digest, BATCH)
        else:
            features = layer.get("features") or []
            for start in range(0, len(features), BATCH):
                yield features[start : start + BATCH]

    yield from stream_map_file(document, format_name, batches)


# --- served like data -------------------------------------------------------------------------


def stored_file_response(request: HttpRequest, map_: Map, key: str, filename: str) -> HttpResponse:
    """A stored download of a live map: immutable (its URL names its content)."""
    stored = StoredDownload.objects.filter(key=key, map=map_, state=StoredDownload.READY).first()
    if stored is None or file_url(map_, stored).rsplit("/", 1)[1] != filename:
        raise Http404
    export = EXPORT_FORMATS[stored.format_name]
    encoding = (
        "gzip"
        if "gzip" in accepted_encodings(request.headers.get("Accept-Encoding", ""))
        else "identity"
    )

    def build() -> HttpResponse:
        try:
            handle = default_storage.open(stored.name, "rb")
        except FileNotFoundError:
            # Deleted from the storage behind our back: computed again on the next request.
            stored.delete()
            raise Http404 from None
        if encoding == "gzip":
            response = FileResponse(handle, content_type=export.content_type)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(stored.size)
        else:
            response = StreamingHttpResponse(gunzipped(handle), content_type=export.content_type)
            response["Content-Length"] = str(stored.plain_size)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["ETag"] = encoded_etag(key, encoding)
        return response

    response = etag_response(
        request, key, build, encoding=encoding, max_age=ONE_YEAR, immutable=True
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def gunzipped(handle) -> Iterator[bytes]:
    """The stored file decompressed as it is sent, a chunk at a time."""
    with handle, gzip.GzipFile(fileobj=handle, mode="rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk
