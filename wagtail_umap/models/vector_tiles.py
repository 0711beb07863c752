"""The vector-tile archive of a large layer (docs/large-data.md, "Vector tiles").

One PMTiles archive per layer digest, built once in a background task (the task framework's
backend: ``db_worker`` in production) after the layer is stored or its map published, and kept
in Django's default storage under a name derived from the digest. Until it is ready the viewer
loads the layer as before, from its data URL; a failed build is logged and leaves that path.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from array import array

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_umap.conf import get_setting
from wagtail_umap.core.content import canonical_json
from wagtail_umap.models.layer_data import LayerData, stored_feature_batches
from wagtail_umap.models.tasks import task

logger = logging.getLogger("wagtail_umap.vector_tiles")

POINT_TYPES = frozenset({"Point", "MultiPoint"})
# The properties every tile feature carries, beside its position in the layer; a layer's
# representation, rules and label add the ones they read (core.vector_tiles.style_keys).
TILE_KEYS = ("name", "_style")


def wants_vector_tiles(feature_count: int, vertex_count: int, geometry_types) -> bool:
    """Whether a layer of this size is drawn as clusters or tiles (viewer.config.render_hint's
    thresholds), and so gets an archive."""
    if not get_setting("VECTOR_TILES"):
        return False
    kinds = set(geometry_types or [])
    if kinds == {"Point"} and feature_count >= get_setting("CLUSTER_MIN_POINTS"):
        return True
    return bool(kinds - POINT_TYPES) and vertex_count >= get_setting("TILE_MIN_VERTICES")


class VectorTiles(models.Model):
    """A layer's tiles: its state and, once built, the archive's name in the default storage."""

    BUILDING, READY, FAILED = "building", "ready", "failed"
    # Part of the file name: a change to how tiles are written gives every layer a new file.
    # 2: tiles carry the properties that the maps' representations, rules and labels read.
    # 3: below the last zoom, rings simplified to half a pixel and shapes under two pixels
    # drawn as a rectangle of whole pixels (the first view of small polygons, issue 16).
    BUILDER_VERSION = 3

    layer_data = models.OneToOneField(
        LayerData, on_delete=models.CASCADE, primary_key=True, related_name="vector_tiles"
    )
    state = models.CharField(_("state"), max_length=16, default=BUILDING)
    version = models.PositiveSmallIntegerField(_("builder version"), default=BUILDER_VERSION)
    name = models.CharField(_("file in the storage"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    min_zoom = models.PositiveSmallIntegerField(_("first zoom"), default=0)
    max_zoom = models.PositiveSmallIntegerField(_("last zoom"), default=0)
    tiles = models.PositiveIntegerField(_("number of tiles"), default=0)
    kind = models.CharField(_("kind"), max_length=16, blank=True)  # "points" or "shapes"
    # The properties the tiles carry beyond TILE_KEYS, sorted (what the maps that use the
    # layer style and name its features with).
    keys = models.JSONField(_("properties carried"), default=list, blank=True)
    # Where each feature starts in the layer's canonical GeoJSON (uint32 each, and the end of
    # the last): the feature URL reads one feature's bytes, not the layer.
    offsets = models.BinaryField(_("feature offsets"), default=b"")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vector tiles")
        verbose_name_plural = _("vector tiles")

    def __str__(self) -> str:
        return self.name or str(self.pk)

    @property
    def ready(self) -> bool:
        return self.state == self.READY and self.version == self.BUILDER_VERSION

    def config(self) -> dict:
        """What the viewer needs to read the archive (beside its URL)."""
        return {
            "minZoom": self.min_zoom,
            "maxZoom": self.max_zoom,
            "kind": self.kind,
            "keys": list(self.keys or []),
            "version": self.edition,
        }

    @property
    def edition(self) -> str:
        """Which build of the digest's archive this is (its builder and the properties it
        carries): in its file name, its ETag and its URL, so no cache serves an older one."""
        return edition(self.keys)

    @staticmethod
    def file_name(digest: str, keys: list[str] | tuple = ()) -> str:
        return f"wagtail_umap/tiles/{digest[:2]}/{digest}-{edition(keys)}.pmtiles"


def edition(keys: list[str] | tuple) -> str:
    version = f"v{VectorTiles.BUILDER_VERSION}"
    if not keys:
        return version
    fingerprint = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:10]
    return f"{version}-{fingerprint}"


def carries(row: VectorTiles, keys) -> bool:
    """Whether the archive's tiles carry every one of ``keys``."""
    return set(keys or ()) <= set(row.keys or ())


def ready_tiles(digests: set[str]) -> dict[str, VectorTiles]:
    """The ready archives among ``digests``, in one query."""
    if not digests or not get_setting("VECTOR_TILES"):
        return {}
    rows = VectorTiles.objects.filter(
        layer_data_id__in=digests, state=VectorTiles.READY, version=VectorTiles.BUILDER_VERSION
    )
    return {row.layer_data_id: row for row in rows}


def request_tiles(digests: set[str], keys: dict[str, list[str]] | None = None) -> list[str]:
    """Enqueue the build of the archives of ``digests`` that are large enough and have none
    (nor one being built) or one whose tiles lack some of ``keys[digest]`` (the properties a
    map's layer styles or names its features with), once the current transaction commits.
    Returns those enqueued."""
    if not digests or not get_setting("VECTOR_TILES"):
        return []
    keys = keys or {}
    existing = VectorTiles.objects.filter(
        layer_data_id__in=digests, version=VectorTiles.BUILDER_VERSION
    )
    have = {row.layer_data_id for row in existing if carries(row, keys.get(row.layer_data_id))}
    rows = LayerData.objects.filter(digest__in=digests - have).values_list(
        "digest", "feature_count", "vertex_count", "geometry_types"
    )
    wanted = [row[0] for row in rows if wants_vector_tiles(*row[1:])]
    for digest in wanted:
        transaction.on_commit(
            lambda digest=digest: build_vector_tiles_task.enqueue(
                digest=digest, keys=list(keys.get(digest) or [])
            )
        )
    return wanted


def _measured(batches, offsets: array):
    """``batches`` as they come, noting where each feature starts in the canonical GeoJSON
    (``{"features":[`` then the features' canonical bytes, comma-separated)."""
    position = len(b'{"features":[')
    for batch in batches:
        for feature in batch:
            offsets.append(position)
            position += len(canonical_json(feature)) + 1
        yield batch
    offsets.append(position)  # where a next feature would start: the same rule for the last


def feature_bytes(digest: str, index: int) -> bytes | None:
    """One feature's canonical GeoJSON, read from the store by its offsets (two queries, and
    only its bytes), or None without a ready archive."""
    offsets = (
        VectorTiles.objects.filter(pk=digest, state=VectorTiles.READY)
        .values_list("offsets", flat=True)
        .first()
    )
    if not offsets or (index + 2) * 4 > len(offsets):
        return None
    table = array("I")
    table.frombytes(bytes(offsets)[index * 4 : index * 4 + 8])
    start, end = table[0], table[1] - 1  # a comma follows each feature but the last
    part = (
        LayerData.objects.filter(pk=digest)
        .annotate(part=Substr("geojson", start + 1, end - start, output_field=models.BinaryField()))
        .values_list("part", flat=True)
        .first()
    )
    return bytes(part) if part is not None else None


def build_vector_tiles(digest: str, keys: list[str] | tuple = ()) -> VectorTiles | None:
    """Build the archive of ``digest`` with tiles that carry ``keys`` beside TILE_KEYS (once:
    a second call finds the row and returns; a call with keys the archive lacks builds it
    again with those it had and these)."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    from wagtail_umap.core.vector_tiles import project_layer, write_archive

    row = VectorTiles.objects.filter(pk=digest).first()
    current = row is not None and row.version == VectorTiles.BUILDER_VERSION
    if current and row.state != row.BUILDING and carries(row, keys):
        return row
    carried = sorted((set(keys) | set(row.keys if current else ())) - set(TILE_KEYS))
    if row is None:
        try:
            with transaction.atomic():
                row = VectorTiles.objects.create(layer_data_id=digest)
        except IntegrityError:  # the layer was collected, or another worker took it
            return VectorTiles.objects.filter(pk=digest).first()
    elif not current or not carries(row, keys):
        row.state, row.version, row.started_at = row.BUILDING, row.BUILDER_VERSION, timezone.now()
        row.save()
    try:
        offsets = array("I")
        batches = _measured(stored_feature_batches(digest), offsets)
        layer = project_layer(batches, keys=(*TILE_KEYS, *carried))
        with tempfile.TemporaryFile() as archive:
            summary = write_archive(layer, archive, name=digest)
            del layer
            archive.seek(0)
            name = VectorTiles.file_name(digest, carried)
            if default_storage.exists(name):
                default_storage.delete(name)
            name = default_storage.save(name, File(archive, name=name))
    except Exception:
        logger.exception("Vector tiles of layer %s could not be built", digest)
        VectorTiles.objects.filter(pk=digest).update(
            state=VectorTiles.FAILED, finished_at=timezone.now()
        )
        return None
    latest = VectorTiles.objects.filter(pk=digest).first() or row
    if latest.ready and latest.name != name and carries(latest, carried):
        # Another worker's build, carrying at least these properties, finished first (a
        # layer stored, then its map published styled by one of its properties): keep it.
        transaction.on_commit(lambda: default_storage.delete(name))
        return latest
    if latest.name and latest.name != name:
        stale = latest.name  # the build it replaces, which no page renders once this is ready
        transaction.on_commit(lambda: default_storage.delete(stale))
    row.state, row.name, row.size, row.keys = VectorTiles.READY, name, summary.size, carried
    row.offsets = offsets.tobytes()
    row.min_zoom, row.max_zoom, row.tiles, row.kind = (
        summary.min_zoom,
        summary.max_zoom,
        summary.tiles,
        summary.kind,
    )
    row.finished_at = timezone.now()
    row.save()
    return row


@task()
def build_vector_tiles_task(digest: str, keys: list[str] | None = None) -> str:
    """The build as a background task (enqueued by ``request_tiles``)."""
    row = build_vector_tiles(digest, keys or ())
    return row.state if row is not None else "failed"


def delete_archive(sender, instance, **kwargs) -> None:
    """The file goes with its row (the layer data collected), once committed."""
    if instance.name:
        from django.core.files.storage import default_storage

        name = instance.name
        transaction.on_commit(lambda: default_storage.delete(name))


def on_layer_published(sender, instance, **kwargs) -> None:
    """A map published: its large layers get their archive if they have none yet, or one
    whose tiles carry the properties its layers are styled and named with."""
    from wagtail_umap.models.store import layer_digests

    document = getattr(instance, "document", None)
    if isinstance(document, dict):
        request_tiles(set(layer_digests(document)), document_style_keys(document))


def document_style_keys(document: dict) -> dict[str, list[str]]:
    """{digest: the properties its layers in ``document`` are styled and named with}."""
    from wagtail_umap.core.vector_tiles import style_keys

    options = document.get("options") if isinstance(document.get("options"), dict) else {}
    keys: dict[str, set[str]] = {}
    for layer in document.get("layers", []):
        digest = (layer.get("data") or {}).get("digest") if isinstance(layer, dict) else None
        if digest:
            keys.setdefault(digest, set()).update(style_keys(layer, options.get("rules")))
    return {digest: sorted(found) for digest, found in keys.items()}


def register_signal_handlers() -> None:
    from wagtail.signals import published

    from wagtail_umap.models.map import Map

    models.signals.post_delete.connect(
        delete_archive, sender=VectorTiles, dispatch_uid="wagtail_umap.vector_tiles"
    )
    published.connect(on_layer_published, sender=Map, dispatch_uid="wagtail_umap.vector_tiles")
