"""Imports (and layers sent by the editor) processed by a background task.

A file larger than ``BACKGROUND_MIN_BYTES`` is not read in the request that brought it: the
request keeps its bytes in Django's default storage (shared by web and worker processes),
creates an ``ImportJob`` and enqueues its task; the editor asks the job's state every second
and shows its stage and progress. The task reads the file, stores each layer in the content
store, and keeps the result here: the stored document (layers by reference), the notes, or the
located error messages, written in the editor's language when the task ran.

The editor then merges the result as it merges a small import, and knows each imported layer's
reference: saving sends references only. Jobs older than ``LAYER_DATA_MIN_AGE`` are deleted by
the layer data collection; until then their layers are kept (a save within that time finds
them).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_umap.conf import get_setting


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("imported file")
        LAYER = "layer", _("layer sent by the editor")
        GEOCODE = "geocode", _("CSV of addresses to geocode")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    filename = models.CharField(_("file name"), max_length=255)
    # The layer's name and position in the editor (a layer job's messages are located there).
    layer_name = models.CharField(_("layer"), max_length=255, blank=True)
    layer_position = models.PositiveIntegerField(default=1)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    language = models.CharField(_("language"), max_length=16, default="fr")
    # The editor's map settings when the file was dropped: the file's settings fill those the
    # map leaves at their default (core.document.merge_imported_options, as umap_import does).
    map_options = models.JSONField(_("map settings"), default=dict, blank=True)
    source = models.CharField(_("file in the storage"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @classmethod
    def create(cls, data: bytes, **fields) -> ImportJob:
        """A queued job whose file ``data`` waits in the default storage."""
        job = cls(size=len(data), **fields)
        prefix = get_setting("IMPORT_STORAGE_PREFIX")
        job.source = default_storage.save(f"{prefix}/{job.id}.bin", ContentFile(data))
        job.save()
        return job

    def read_source(self) -> bytes:
        with default_storage.open(self.source, "rb") as handle:
            return handle.read()

    def delete_source(self) -> None:
        if self.source:
            default_storage.delete(self.source)
            self.source = ""

    def advance(self, stage: str, progress: int) -> None:
        """Record the stage reached (the editor shows it while it polls)."""
        self.status, self.stage, self.progress = self.Status.RUNNING, stage, progress
        self.save(update_fields=["status", "stage", "progress"])

    def finish(self, result: dict) -> None:
        self.status, self.stage, self.progress = self.Status.DONE, "done", 100
        self.result, self.finished_at = result, timezone.now()
        self.delete_source()
        self.save()

    def fail(self, errors: list[str]) -> None:
        self.status, self.errors, self.finished_at = self.Status.FAILED, errors, timezone.now()
        self.delete_source()
        self.save()

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def digests(self) -> set[str]:
        """The layer data the result refers to (kept by the collection while the job is)."""
        result = self.result or {}
        if "data" in result:  # a layer's
            return {result["data"]["digest"]}
        layers = result.get("document", {}).get("layers", [])
        return {layer["data"]["digest"] for layer in layers if "data" in layer}
