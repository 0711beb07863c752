"""Collection of layer data nothing refers to any more.

Layer data is stored once per content and never changed, so saves leave rows behind: the
layers of a killed save, the older versions of a layer autosaved as it was edited, the data of
revisions removed by ``purge_revisions``. Each can weigh tens of megabytes.

A row is kept while anything may still ask for it:

- the document of a Map row (its live version, or the current draft of a map never published);
- the document of any revision of any map (drafts, workflows, scheduled publishing, history:
  reverting to a revision must find its data);
- the live version of a live map, or a version a publish replaced less than
  ``DATA_URL_GRACE_SECONDS`` ago (``PublishedLayer``: the data URLs pages, embeds and API
  answers handed out keep answering);
- a wagtail-localize translation source of a map (a translation is made from it);
- a save in progress: see below.

**Concurrent saves.** A save stores or references its layers first (``LayerData.store``,
``store.check_references_held``, the editor's layer uploads), then writes its revision, a few
seconds or minutes later. Each of these touches the rows (``touched_at``) with one UPDATE, and
the collection deletes only rows untouched for ``LAYER_DATA_MIN_AGE`` (a day by default), with
that condition in the DELETE itself. So a row a save is about to reference is either touched
before the DELETE runs (and skipped by it: PostgreSQL re-checks the condition on the updated
row) or deleted before the save touches it (and the save sees it is gone: it stores the data
again, or refuses with a located message when it only had the reference). Nothing is locked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail_umap.conf import get_setting
from wagtail_umap.models.layer_data import (
    LayerData,
    LayerDataCollection,
    PublishedLayer,
    StoredDownload,
)
from wagtail_umap.models.tasks import task

BATCH = 500


def document_digests(document: object) -> set[str]:
    """The digests a stored (or any) map document refers to; nothing for what is no document."""
    if not isinstance(document, dict):
        return set()
    digests = set()
    for layer in document.get("layers") or []:
        data = layer.get("data") if isinstance(layer, dict) else None
        if isinstance(data, dict) and isinstance(data.get("digest"), str):
            digests.add(data["digest"])
    return digests


def _map_documents() -> Iterator[object]:
    from wagtail.models import Revision

    from wagtail_umap.models.map import Map

    yield from Map.objects.values_list("document", flat=True).iterator(chunk_size=BATCH)
    content_type = ContentType.objects.get_for_model(Map)
    revisions = Revision.objects.filter(base_content_type=content_type)
    for content in revisions.values_list("content", flat=True).iterator(chunk_size=BATCH):
        yield (content or {}).get("document")
    if apps.is_installed("wagtail_localize"):
        from wagtail_localize.models import TranslationSource

        sources = TranslationSource.objects.filter(specific_content_type=content_type)
        for text in sources.values_list("content_json", flat=True).iterator(chunk_size=BATCH):
            try:
                yield json.loads(text).get("document")
            except (TypeError, ValueError, AttributeError):
                continue


def referenced_digests() -> set[str]:
    """Every digest a map, a revision, a translation source or a grace period refers to."""
    digests: set[str] = set()
    for document in _map_documents():
        digests |= document_digests(document)
    digests |= grace_digests()
    digests |= import_job_digests()
    from wagtail_umap.models.remote import remote_digests  # live layers' last good data

    digests |= remote_digests()
    return digests


def import_job_digests() -> set[str]:
    """Layers imported by a background job the editor has not saved yet (jobs are kept for
    ``LAYER_DATA_MIN_AGE``, then ``forget_old_import_jobs`` deletes them)."""
    from wagtail_umap.models.import_job import ImportJob

    digests: set[str] = set()
    for job in ImportJob.objects.filter(status=ImportJob.Status.DONE).iterator():
        digests |= job.digests()
    return digests


def forget_old_import_jobs(before) -> int:
    """Delete the jobs older than ``before`` (and a file a dead worker never read)."""
    from wagtail_umap.models.import_job import ImportJob

    deleted = 0
    for job in ImportJob.objects.filter(created_at__lt=before).iterator():
        job.delete_source()
        job.delete()
        deleted += 1
    return deleted


def grace_digests() -> set[str]:
    """Digests of live versions, and of retired ones whose data URLs still answer."""
    return set(PublishedLayer.objects.in_grace().values_list("digest", flat=True))


def collect_downloads() -> int:
    """Delete the stored downloads no live version will ask for again (their files go with
    them): of a map no longer live, of a version the latest publish replaced more than the
    grace period ago, and computations a killed worker never finished."""
    from wagtail_umap.models.map import Map

    now = timezone.now()
    replaced_before = now - timedelta(seconds=get_setting("DATA_URL_GRACE_SECONDS"))
    dead_before = now - timedelta(seconds=get_setting("DOWNLOAD_BUILD_TIMEOUT"))
    not_live = StoredDownload.objects.exclude(map__live=True)
    dead = StoredDownload.objects.filter(state=StoredDownload.BUILDING, started_at__lt=dead_before)
    stale = [*not_live.values_list("pk", flat=True), *dead.values_list("pk", flat=True)]
    # Of a version replaced by a publish more than the grace period ago: a redirect to it
    # that a browser or a cache kept still finds its file until then.
    replaced = StoredDownload.objects.filter(
        map__live=True, state=StoredDownload.READY, map__last_published_at__lt=replaced_before
    )
    current: dict[int, set[str]] = {}
    for key, map_id in replaced.values_list("key", "map_id").iterator():
        if map_id not in current:
            current[map_id] = StoredDownload.current_keys(Map.objects.get(pk=map_id))
        if key not in current[map_id]:
            stale.append(key)
    deleted = 0
    for start in range(0, len(stale), BATCH):
        # One by one: each row's file is deleted with it (post_delete).
        for stored in StoredDownload.objects.filter(pk__in=stale[start : start + BATCH]):
            stored.delete()
            deleted += 1
    return deleted


def forget_expired_grace_periods() -> int:
    """Delete the rows of retired versions whose grace period is over."""
    expired = PublishedLayer.objects.filter(retired_at__isnull=False).exclude(
        pk__in=PublishedLayer.objects.in_grace().values("pk")
    )
    return expired.delete()[0]


@dataclass
class CollectionResult:
    examined: int = 0
    deleted: list[str] = field(default_factory=list)
    freed_bytes: int = 0
    dry_run: bool = False


def collect_layer_data(
    *,
    dry_run: bool = False,
    min_age: timedelta | None = None,
    run: LayerDataCollection | None = None,
) -> CollectionResult:
    """Delete (or, with ``dry_run``, only list) the layer data nothing refers to and no save
    touched for ``min_age`` (``LAYER_DATA_MIN_AGE`` seconds by default); log the run (in
    ``run`` when the periodic task enqueued one)."""
    if min_age is None:
        min_age = timedelta(seconds=get_setting("LAYER_DATA_MIN_AGE"))
    if run is None:
        run = LayerDataCollection.objects.create(dry_run=dry_run)
    cutoff = timezone.now() - min_age
    if not dry_run:
        forget_expired_grace_periods()
        forget_old_import_jobs(cutoff)
        collect_downloads()
    # The candidates first, then the references: a reference written after this scan is to a
    # row its save touched, which the DELETE's own condition keeps.
    old = dict(
        LayerData.objects.filter(touched_at__lt=cutoff).values_list("digest", "size").iterator()
    )
    referenced = referenced_digests()
    unused = sorted(digest for digest in old if digest not in referenced)
    result = CollectionResult(examined=len(old), dry_run=dry_run)
    for start in range(0, len(unused), BATCH):
        batch = unused[start : start + BATCH]
        if dry_run:
            result.deleted += batch
            result.freed_bytes += sum(old[digest] for digest in batch)
            continue
        with transaction.atomic():
            # Locked (PostgreSQL) until the commit: a save touching one of them waits, then
            # finds it gone. The DELETE repeats the condition for the databases without locks.
            rows = LayerData.objects.filter(digest__in=batch, touched_at__lt=cutoff)
            gone = list(rows.select_for_update().values_list("digest", "size"))
            rows.filter(digest__in=[digest for digest, _size in gone]).delete()
        result.deleted += [digest for digest, _size in gone]
        result.freed_bytes += sum(size for _digest, size in gone)
    run.finished_at = timezone.now()
    run.examined, run.deleted, run.freed_bytes = (
        result.examined,
        len(result.deleted),
        result.freed_bytes,
    )
    run.save()
    return result


@task()
def collect_layer_data_task(run_id: int | None = None) -> dict:
    """The collection as a background task (enqueued by ``enqueue_collection_if_due``)."""
    run = LayerDataCollection.objects.filter(pk=run_id).first() if run_id else None
    result = collect_layer_data(run=run)
    return {
        "examined": result.examined,
        "deleted": len(result.deleted),
        "freed_bytes": result.freed_bytes,
    }


def enqueue_collection_if_due(sender=None, **kwargs) -> None:
    """After a map is published: enqueue the collection when the last run (or the last one
    enqueued) is older than ``LAYER_DATA_COLLECT_INTERVAL``. With the database backend a
    worker runs it (``manage.py db_worker``); with the immediate backend, Wagtail's default,
    it runs at the end of that publish's request, once per interval."""
    interval = get_setting("LAYER_DATA_COLLECT_INTERVAL")
    if not interval:
        return
    since = timezone.now() - timedelta(seconds=interval)
    if LayerDataCollection.objects.filter(dry_run=False, started_at__gte=since).exists():
        return
    run = LayerDataCollection.objects.create()
    collect_layer_data_task.enqueue(run_id=run.pk)


def register_signal_handlers() -> None:
    from wagtail.signals import published

    from wagtail_umap.models.map import Map

    published.connect(
        enqueue_collection_if_due, sender=Map, dispatch_uid="wagtail_umap.collect_layer_data"
    )
