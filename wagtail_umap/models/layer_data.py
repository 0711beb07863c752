"""The content-addressed store of layer data.

A layer's features are saved once, as canonical GeoJSON bytes keyed by their SHA-256. Map
documents (and so every revision) hold only the digest: revisions stay small, an old revision
still resolves, and a data URL never changes content, so it can be cached forever.

Everything a request needs is derived once, when the data is saved, never per request: the
gzip and brotli (when the ``brotli`` package is installed) bytes the data URL sends, the
geometry types and bounding box the viewer picks its rendering and first view from, and the
feature index (one JSON line per feature: name, description, has a geometry) the paginated
feature list reads without parsing the GeoJSON.
"""

from __future__ import annotations

import codecs
import gzip
import json
import math
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_umap.conf import get_setting
from wagtail_umap.core.content import (
    canonical_json,
    content_digest,
    count_vertices,
    feature_collection,
)
from wagtail_umap.models.tasks import task

try:  # optional: pip install wagtail-umap[brotli]
    import brotli
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

GZIP_LEVEL = 6  # zlib's default: 5-12× smaller GeoJSON
# As small as gzip 6 on points at twice its speed; 5 is 5 % smaller and 2-4× slower, 11 200×.
BROTLI_QUALITY = 4
BLOB_FIELDS = ("geojson", "geojson_gzip", "geojson_br", "feature_index")


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    """Brotli-compressed ``data``, or b"" when the brotli package is not installed."""
    return brotli.compress(data, quality=BROTLI_QUALITY) if brotli is not None else b""


def compress(data: bytes) -> tuple[bytes, bytes]:
    """(gzip, brotli) bytes of ``data``, side by side (both libraries release the GIL). The
    brotli bytes are dropped (b"") when not smaller than gzip's, as on dense coordinates:
    the data URL then sends gzip."""
    if brotli is None or len(data) < 256 * 1024:
        gzipped, brotlied = gzip_bytes(data), brotli_bytes(data)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(gzip_bytes, data)
            brotlied = brotli_bytes(data)
            gzipped = future.result()
    return gzipped, (brotlied if len(brotlied) < len(gzipped) else b"")


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def feature_index(features: list[dict]) -> bytes:
    """One JSON line per feature: ``[name, description, has a geometry]``.

    Written with the C string encoder rather than one ``json.dumps`` call per feature, which
    costs 10× more on 100,000 features.
    """
    quote = encode_basestring
    lines = []
    for feature in features:
        properties = feature.get("properties") or {}
        name = _text(properties.get("name")).strip()
        description = _text(properties.get("description"))
        locatable = "true" if feature.get("geometry") else "false"
        lines.append(f"[{quote(name)},{quote(description)},{locatable}]")
    return "\n".join(lines).encode("utf-8")


def _extend_bounds(bounds: list[float], coordinates: object) -> None:
    """Grow [west, south, east, north] with every position in validated coordinates."""
    if not coordinates:
        return
    if isinstance(coordinates[0], int | float):
        lng, lat = coordinates[0], coordinates[1]
        if lng < bounds[0]:
            bounds[0] = lng
        if lat < bounds[1]:
            bounds[1] = lat
        if lng > bounds[2]:
            bounds[2] = lng
        if lat > bounds[3]:
            bounds[3] = lat
        return
    if isinstance(coordinates[0][0], int | float):
        # A line or ring: its box in four C loops rather than a call per position.
        lngs = [position[0] for position in coordinates]
        lats = [position[1] for position in coordinates]
        bounds[0], bounds[1] = min(bounds[0], *lngs), min(bounds[1], *lats)
        bounds[2], bounds[3] = max(bounds[2], *lngs), max(bounds[3], *lats)
        return
    for child in coordinates:
        _extend_bounds(bounds, child)


def geometry_summary(features: list[dict]) -> tuple[list[str], list[float] | None]:
    """The sorted geometry types of validated ``features`` and their [w, s, e, n] box."""
    kinds: set[str] = set()
    bounds = [math.inf, math.inf, -math.inf, -math.inf]
    stack = [feature.get("geometry") for feature in features]
    while stack:
        geometry = stack.pop()
        if not geometry:
            continue
        kinds.add(geometry["type"])
        if geometry["type"] == "GeometryCollection":
            stack.extend(geometry["geometries"])
        else:
            _extend_bounds(bounds, geometry["coordinates"])
    return sorted(kinds), (bounds if bounds[0] != math.inf else None)


@dataclass(frozen=True)
class IndexEntry:
    """One feature of the feature index, at its 0-based position in the layer."""

    index: int
    name: str
    description: str
    locatable: bool


class LayerDataQuerySet(models.QuerySet):
    def in_bulk_by_digest(self, digests: set[str]) -> dict[str, LayerData]:
        """Every stored layer among ``digests``, in one query."""
        return self.in_bulk(list(digests)) if digests else {}

    def without_blobs(self) -> LayerDataQuerySet:
        """Rows with their counts, types and box only: no GeoJSON or compressed bytes."""
        return self.defer(*BLOB_FIELDS)


class LayerData(models.Model):
    digest = models.CharField(_("SHA-256 digest"), max_length=64, primary_key=True)
    geojson = models.BinaryField(_("GeoJSON"))
    geojson_gzip = models.BinaryField(_("GeoJSON, gzip"), default=b"")
    # Empty when the brotli package was not installed when the data was saved.
    geojson_br = models.BinaryField(_("GeoJSON, brotli"), default=b"")
    feature_index = models.BinaryField(_("feature index"), default=b"")
    size = models.PositiveIntegerField(_("size in bytes"))
    feature_count = models.PositiveIntegerField(_("number of features"))
    vertex_count = models.PositiveIntegerField(_("number of vertices"))
    geometry_types = models.JSONField(_("geometry types"), default=list)
    bbox = models.JSONField(_("bounding box"), null=True, default=None)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Last time a save stored or referenced this data: the collection of unreferenced data
    # (``models/collect.py``) leaves alone what a save touched recently, so a save in progress
    # never loses the data it is about to reference.
    touched_at = models.DateTimeField(_("last used by a save"), default=timezone.now, db_index=True)

    objects = LayerDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("layer data")
        verbose_name_plural = _("layer data")

    def __str__(self) -> str:
        return self.digest

    @classmethod
    def store(cls, features: list[dict], vertex_count: int | None = None) -> LayerData:
        """Save validated features (idempotent: the same content gives the same row, and the
        compression runs only the first time)."""
        data = canonical_json(feature_collection(features))
        digest = content_digest(data)
        if cls.touch({digest}):
            # Already stored; touched first, so the collection cannot take it from now on.
            return cls.objects.without_blobs().get(digest=digest)
        layer_data = cls(digest=digest, geojson=data)
        layer_data.derive(features, vertex_count)
        return cls.insert(layer_data)[0]

    @classmethod
    def insert(cls, layer_data: LayerData) -> tuple[LayerData, bool]:
        """Save a new row: (the row, whether this save inserted it). A large layer's vector
        tiles are then built in the background once this save commits."""
        try:
            # Two saves of the same content at once (the editor's autosave and its "Save
            # draft") race to insert it: the second one takes the first one's row.
            with transaction.atomic():
                layer_data.save(force_insert=True)
        except IntegrityError:
            return cls.objects.without_blobs().get(digest=layer_data.digest), False
        from wagtail_umap.models.vector_tiles import request_tiles, wants_vector_tiles

        size = (layer_data.feature_count, layer_data.vertex_count, layer_data.geometry_types)
        if wants_vector_tiles(*size):
            request_tiles({layer_data.digest})
        return layer_data, True

    @classmethod
    def store_patched(cls, base: LayerData, patch, cleaned: list[dict]) -> LayerData:
        """Save the layer ``patch`` (``core.layer_patch``) makes of the stored ``base`` with the
        validated features ``cleaned`` (those the patch sent), without parsing the base: the
        unchanged features are copied from its canonical bytes, its feature index likewise.

        Only what the editor's answer needs is computed here (the bytes and digest, the feature
        index, the counts); the gzip and brotli bytes, and the geometry types and box when the
        features removed could have narrowed them, are left to ``complete_layer_data_task``
        once this save commits (until then the data URL sends the plain GeoJSON). Raises
        ``PatchTooLarge`` (with the value and limit) before anything is saved."""
        from wagtail_umap.core import layer_patch

        row = cls.objects.filter(digest=base.digest).values_list("geojson", "feature_index")
        data, index = (bytes(value) for value in row.get())
        spans = layer_patch.feature_spans(data, base.feature_count)
        lines = index.split(b"\n") if base.feature_count else []
        if spans is None or len(lines) != base.feature_count or (lines and not index):
            # The base's features cannot be told apart without parsing (or its index is an
            # older row's, empty): the merge on parsed features, stored as any layer.
            features = json.loads(data)["features"]
            merged = layer_patch.merged_features(features, patch, cleaned)
            vertices = sum(count_vertices(f["geometry"]) for f in merged if f["geometry"])
            cls.check_patched_size(len(canonical_json(feature_collection(merged))), vertices)
            return cls.store(merged, vertices)
        encoded = [canonical_json(feature) for feature in cleaned]
        merged = layer_patch.merged_bytes(data, spans, patch, encoded)
        removed = [json.loads(data[spans[i][0] : spans[i][1]]) for i in patch.removed]
        vertices = (
            base.vertex_count
            - sum(count_vertices(f["geometry"]) for f in removed if f.get("geometry"))
            + sum(count_vertices(f["geometry"]) for f in cleaned if f["geometry"])
        )
        cls.check_patched_size(len(merged), vertices)
        digest = content_digest(merged)
        if cls.touch({digest}):
            return cls.objects.without_blobs().get(digest=digest)
        new_lines = feature_index(cleaned).split(b"\n") if cleaned else []
        merged_index = layer_patch.merged_lines(lines, patch, new_lines)
        types, bbox, exact = patched_summary(base, removed, cleaned)
        layer_data = cls(
            digest=digest,
            geojson=merged,
            feature_index=merged_index,
            size=len(merged),
            feature_count=patch.count,
            vertex_count=vertices,
            geometry_types=types,
            bbox=bbox,
        )
        layer_data, inserted = cls.insert(layer_data)
        if inserted:
            transaction.on_commit(
                lambda: complete_layer_data_task.enqueue(digest=digest, summary=not exact)
            )
        return layer_data

    @staticmethod
    def check_patched_size(size: int, vertex_count: int | None) -> None:
        limit = get_setting("MAX_LAYER_BYTES")
        if size > limit:
            raise PatchTooLarge("bytes", size, limit)
        limit = get_setting("MAX_LAYER_VERTICES")
        if vertex_count is not None and vertex_count > limit:
            raise PatchTooLarge("vertices", vertex_count, limit)

    def complete(self, summary: bool = False) -> None:
        """The compressed bytes a patched save left out (and its exact geometry types and box
        when ``summary``)."""
        data = bytes(self.geojson)
        fields = dict(zip(("geojson_gzip", "geojson_br"), compress(data), strict=True))
        if summary:
            fields["geometry_types"], fields["bbox"] = geometry_summary(
                json.loads(data)["features"]
            )
        LayerData.objects.filter(digest=self.digest).update(**fields)

    @classmethod
    def touch(cls, digests: set[str]) -> set[str]:
        """Mark ``digests`` as used by a save now, and return those the store holds.

        One UPDATE: when the collection deletes a row at the same moment, either the update
        comes first (and the delete, which only takes rows untouched for hours, skips it) or
        the row is gone and is not returned (the caller stores it again or refuses the save).
        """
        if not digests:
            return set()
        rows = cls.objects.filter(digest__in=digests)
        if rows.update(touched_at=timezone.now()) == len(digests):
            return set(digests)
        return set(rows.values_list("digest", flat=True))

    def derive(self, features: list[dict], vertex_count: int | None = None) -> None:
        """Compute what is kept beside the GeoJSON (also used to backfill older rows)."""
        data = bytes(self.geojson)
        self.geojson_gzip, self.geojson_br = compress(data)
        self.feature_index = feature_index(features)
        self.size = len(data)
        self.feature_count = len(features)
        if vertex_count is None:
            vertex_count = sum(count_vertices(f["geometry"]) for f in features if f["geometry"])
        self.vertex_count = vertex_count
        self.geometry_types, self.bbox = geometry_summary(features)

    @property
    def reference(self) -> dict:
        """What a map document's layer holds in place of its features."""
        return {
            "digest": self.digest,
            "feature_count": self.feature_count,
            "vertex_count": self.vertex_count,
            "size": self.size,
        }

    def features(self) -> list[dict]:
        return json.loads(bytes(self.geojson))["features"]

    def encoded(self, encoding: str) -> bytes:
        """The stored bytes in ``encoding`` ("br", "gzip" or "identity"), b"" when absent."""
        field = {"br": "geojson_br", "gzip": "geojson_gzip", "identity": "geojson"}[encoding]
        return bytes(getattr(self, field))


class PatchTooLarge(Exception):
    """A patched layer above ``MAX_LAYER_BYTES`` ("bytes") or ``MAX_LAYER_VERTICES``."""

    def __init__(self, what: str, value: int, limit: int) -> None:
        super().__init__(what, value, limit)
        self.what, self.value, self.limit = what, value, limit


def patched_summary(
    base: LayerData, removed: list[dict], added: list[dict]
) -> tuple[list[str], list[float] | None, bool]:
    """The geometry types and box of a patched layer from its base's and the features sent,
    and whether they are exact: a type only the removed features had, or a box edge only they
    reached, may be gone (``complete`` then works them out from the whole layer)."""
    added_types, added_box = geometry_summary(added)
    removed_types, removed_box = geometry_summary(removed)
    types = sorted(set(base.geometry_types or []) | set(added_types))
    boxes = [box for box in (base.bbox, added_box) if box]
    bbox = (
        [
            min(box[0] for box in boxes),
            min(box[1] for box in boxes),
            max(box[2] for box in boxes),
            max(box[3] for box in boxes),
        ]
        if boxes
        else None
    )
    exact = set(removed_types) <= set(added_types)
    if exact and removed_box and base.bbox:
        reached = added_box or [math.inf, math.inf, -math.inf, -math.inf]
        for side, lower in ((0, True), (1, True), (2, False), (3, False)):
            touches = (
                removed_box[side] <= base.bbox[side]
                if lower
                else removed_box[side] >= base.bbox[side]
            )
            still = reached[side] <= base.bbox[side] if lower else reached[side] >= base.bbox[side]
            if touches and not still:
                exact = False
    return types, bbox, exact


@task()
def complete_layer_data_task(digest: str, summary: bool = False) -> str:
    """Compress a patched layer's data (``LayerData.store_patched``) off the editor's save."""
    row = LayerData.objects.filter(digest=digest).only("digest", "geojson").first()
    if row is None:
        return "gone"
    row.complete(summary)
    return "done"


READ_CHUNK = 256 * 1024


def iter_feature_batches(pieces: Iterable[bytes], size: int) -> Iterator[list[dict]]:
    """The features of a stored FeatureCollection (canonical JSON, ``{"features":[…`` first),
    ``size`` at a time, from its bytes given a piece at a time: only the text not yet read and
    one batch of features are in memory, never the whole layer."""
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    source = iter(pieces)
    text, pos, batch = "", 0, []

    def more() -> bool:
        nonlocal text, pos
        for piece in source:
            text = text[pos:] + utf8.decode(piece)
            pos = 0
            return True
        return False

    head = '{"features":['
    while len(text) < len(head) and more():
        pass
    if not text.startswith(head):
        raise ValueError("not a stored FeatureCollection")
    pos = len(head)
    while True:
        while pos < len(text) and text[pos] in " \n\r\t,":
            pos += 1
        if pos >= len(text):
            if not more():
                raise ValueError("truncated FeatureCollection")
            continue
        if text[pos] == "]":
            break
        try:
            feature, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            if not more():
                raise
            continue
        batch.append(feature)
        pos = end
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _gunzip_pieces(data: bytes) -> Iterator[bytes]:
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    view = memoryview(data)
    for start in range(0, len(data), READ_CHUNK // 8):
        yield inflate.decompress(view[start : start + READ_CHUNK // 8], READ_CHUNK * 4)
        while inflate.unconsumed_tail:
            yield inflate.decompress(inflate.unconsumed_tail, READ_CHUNK * 4)
    yield inflate.flush()


def stored_feature_batches(digest: str, size: int = 2000) -> Iterator[list[dict]]:
    """A stored layer's features, ``size`` at a time, read from its gzip bytes (a tenth of the
    GeoJSON's size in memory) and decompressed as they are parsed."""
    gzipped = LayerData.objects.filter(digest=digest).values_list("geojson_gzip", flat=True).first()
    if gzipped:
        yield from iter_feature_batches(_gunzip_pieces(bytes(gzipped)), size)
        return
    plain = LayerData.objects.filter(digest=digest).values_list("geojson", flat=True).first()
    if plain is None:
        raise LayerData.DoesNotExist(digest)
    plain = bytes(plain)
    yield from iter_feature_batches(
        (plain[start : start + READ_CHUNK] for start in range(0, len(plain), READ_CHUNK)), size
    )


def index_lines(index: bytes) -> Iterator[tuple[int, bytes]]:
    """(position, JSON line) of each feature of a feature index, one at a time: the whole
    list is never built."""
    start, position, length = 0, 0, len(index)
    while start < length:
        end = index.find(b"\n", start)
        if end < 0:
            end = length
        yield position, index[start:end]
        start, position = end + 1, position + 1


def parse_index_line(position: int, line: bytes) -> IndexEntry:
    name, description, locatable = json.loads(line)
    return IndexEntry(position, name, description, locatable)


class LayerDataCollection(models.Model):
    """One run of the collection of unreferenced layer data (``umap_collect_layer_data`` or its
    periodic task): when, what it deleted, and the bytes freed."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    examined = models.PositiveIntegerField(_("layer data examined"), default=0)
    deleted = models.PositiveIntegerField(_("layer data deleted"), default=0)
    freed_bytes = models.PositiveBigIntegerField(_("bytes freed"), default=0)

    class Meta:
        verbose_name = _("collection of layer data")
        verbose_name_plural = _("collections of layer data")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.deleted}"


class PublishedLayerQuerySet(models.QuerySet):
    def in_grace(self) -> PublishedLayerQuerySet:
        """Data URLs that still answer: live now, or retired less than the grace period ago."""
        since = timezone.now() - timedelta(seconds=get_setting("DATA_URL_GRACE_SECONDS"))
        return self.filter(models.Q(retired_at__isnull=True) | models.Q(retired_at__gte=since))


class PublishedLayer(models.Model):
    """A layer's data as one live version of a map served it (its data URL), and when it
    stopped being live. A page, an embed, an API answer or a proxy that named the data URL of
    the version before a publish keeps getting it for ``DATA_URL_GRACE_SECONDS``."""

    map = models.ForeignKey(
        "wagtail_umap.Map", on_delete=models.CASCADE, related_name="published_layers"
    )
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    # None while a live version uses it.
    retired_at = models.DateTimeField(_("no longer live since"), null=True, blank=True)

    objects = PublishedLayerQuerySet.as_manager()

    class Meta:
        verbose_name = _("published layer data")
        verbose_name_plural = _("published layer data")
        constraints = [
            models.UniqueConstraint(fields=["map", "digest"], name="wagtail_umap_published_layer")
        ]

    def __str__(self) -> str:
        return f"{self.map_id}/{self.digest}"

    @classmethod
    def record_live_version(cls, map_id: int, digests: set[str]) -> None:
        """``digests`` are what the map's live version serves now; the others it served
        before are retired (their grace period starts now)."""
        now = timezone.now()
        rows = cls.objects.filter(map_id=map_id)
        rows.filter(retired_at__isnull=True).exclude(digest__in=digests).update(retired_at=now)
        rows.filter(digest__in=digests).exclude(retired_at__isnull=True).update(
            retired_at=None, published_at=now
        )
        cls.objects.bulk_create(
            [cls(map_id=map_id, digest=digest, published_at=now) for digest in digests],
            ignore_conflicts=True,
        )

    @classmethod
    def withdraw(cls, map_id: int) -> None:
        """An unpublished map: its data URLs stop answering now, with no grace period (an
        editor who unpublishes a map means it)."""
        cls.objects.filter(map_id=map_id).delete()

    @classmethod
    def served(cls, map_id: int, digest: str) -> PublishedLayer | None:
        """The retired version's row when its data URL still answers, else None."""
        return cls.objects.in_grace().filter(map_id=map_id, digest=digest).first()

    def grace_left(self) -> int:
        """Seconds this retired data URL still answers (0 for one that is live)."""
        if self.retired_at is None:
            return 0
        end = self.retired_at + timedelta(seconds=get_setting("DATA_URL_GRACE_SECONDS"))
        return max(0, int((end - timezone.now()).total_seconds()))


def on_map_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """Keep ``PublishedLayer`` in step with what the Map row serves: a live map's document is
    its live version (a publish, a command, an import); a map no longer live is withdrawn."""
    if update_fields is not None and not {"document", "live"} & set(update_fields):
        return  # a draft saved as a revision: the live version did not change
    if instance.live:
        layers = instance.document.get("layers", []) if isinstance(instance.document, dict) else []
        digests = {layer["data"]["digest"] for layer in layers if "data" in layer}
        PublishedLayer.record_live_version(instance.pk, digests)
    else:
        PublishedLayer.withdraw(instance.pk)


class StoredDownload(models.Model):
    """A download (a map or one layer, in one format) of one live version, computed once and
    kept gzip-compressed in Django's default storage (``sharing/downloads.py``).

    ``key`` is a digest of everything the file is written from, so a new version gets new
    rows; while ``state`` is "building" the row is the lock that keeps other requests from
    computing the same file at once."""

    BUILDING, READY = "building", "ready"

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    map = models.ForeignKey(
        "wagtail_umap.Map", on_delete=models.CASCADE, related_name="stored_downloads"
    )
    layer_id = models.CharField(_("layer"), max_length=64, blank=True)
    format_name = models.CharField(_("format"), max_length=16)
    state = models.CharField(_("state"), max_length=16, default=BUILDING)
    name = models.CharField(_("file in the storage"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size, gzip"), default=0)
    plain_size = models.PositiveBigIntegerField(_("size"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored download")
        verbose_name_plural = _("stored downloads")

    def __str__(self) -> str:
        return self.name or self.key

    # Part of every key: a change to how files are written gives every download a new file.
    WRITER_VERSION = 1

    @classmethod
    def key_for(cls, map_, layer_id: str | None, format_name: str) -> str:
        """A digest of everything a download is written from: the live version's title,
        summary and document (which names its layer data by digest), the layer, the format."""
        source = [cls.WRITER_VERSION, map_.pk, map_.title, map_.summary, map_.document]
        return content_digest(canonical_json([*source, layer_id, format_name]))

    @classmethod
    def current_keys(cls, map_) -> set[str]:
        """The keys of every download of ``map_`` as it is now (whole map and each layer)."""
        from wagtail_umap.formats import EXPORT_FORMATS

        layer_ids = [None, *(layer["id"] for layer in map_.layers)]
        return {cls.key_for(map_, one, name) for one in layer_ids for name in EXPORT_FORMATS}


def delete_stored_file(sender, instance, **kwargs) -> None:
    """The file goes with its row (a map deleted, a download collected), once committed."""
    if instance.name:
        from django.core.files.storage import default_storage

        name = instance.name
        transaction.on_commit(lambda: default_storage.delete(name))


def register_signal_handlers() -> None:
    models.signals.post_save.connect(
        on_map_saved, sender="wagtail_umap.Map", dispatch_uid="wagtail_umap.published_layers"
    )
    models.signals.post_delete.connect(
        delete_stored_file, sender=StoredDownload, dispatch_uid="wagtail_umap.stored_downloads"
    )
