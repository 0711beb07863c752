"""The editor's background jobs: a large imported file, or a large layer the editor sends.

The request that brought the file answers ``202 {"job": {...}}`` at once; the task below runs
in the site's task backend (Wagtail's ``django_tasks``, Django's own ``django.tasks`` on
Django 6: the database backend with a ``db_worker`` process in production, the immediate
backend, Wagtail's default, runs it within that request) and the editor polls ``job_status``
until it is done. The answer when done is the same as a small import's (the document, notes
and merged map settings) plus each stored layer's reference, or the same as the layer
endpoint's (the reference); on failure, the located messages, in the editor's language.
"""

from __future__ import annotations

import logging
import zlib

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from wagtail_umap.conf import get_import_limits
from wagtail_umap.core.document import merge_imported_options
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import read_map_file
from wagtail_umap.models import store
from wagtail_umap.models.import_job import ImportJob
from wagtail_umap.models.tasks import task

logger = logging.getLogger(__name__)

# The stages the editor shows while it polls (their texts: editor strings "job_<stage>").
STAGES = {
    "queued": gettext_noop("Waiting for the background worker…"),
    "reading": gettext_noop("Reading the file…"),
    "storing": gettext_noop("Storing the layers…"),
    "geocoding": gettext_noop("Geocoding the addresses…"),
    "done": gettext_noop("Done."),
}
FAILED = gettext_noop(
    "The file could not be processed (an error on the server, logged for its administrators)."
)


def enqueue(job: ImportJob) -> None:
    """Run ``job`` in the background (or at once with the immediate backend)."""
    process_job.enqueue(job_id=str(job.pk))


@task()
def process_job(job_id: str) -> str:
    """Read and store a job's file, keeping its result or its located errors on the job."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return "gone"
    with translation.override(job.language):
        try:
            if job.kind == ImportJob.Kind.LAYER:
                job.finish(store_layer_job(job))
            else:
                job.finish(import_file_job(job))
        except MapDocumentError as error:
            prefix = f"{job.filename}: " if job.kind == ImportJob.Kind.FILE else ""
            job.fail([prefix + message for message in error.messages(gettext)])
        except Exception:
            logger.exception("wagtail-umap: background job %s failed", job_id)
            job.fail([gettext(FAILED)])
            raise
    return job.status


def import_file_job(job: ImportJob) -> dict:
    job.advance("reading", 10)
    data = job.read_source()
    result = read_map_file(job.filename, data, get_import_limits())
    del data
    job.advance("storing", 60)

    def on_layer(position: int, count: int) -> None:
        job.advance("storing", 60 + (35 * (position - 1)) // max(count, 1))

    stored = store.store_imported(result.document, on_layer)
    return {
        "document": stored,
        "notes": [note.render(gettext) for note in result.notes],
        "options": merge_imported_options(job.map_options, stored.get("options", {})),
    }


def store_layer_job(job: ImportJob) -> dict:
    from wagtail_umap.editor.layer_upload import layer_location, store_layer

    job.advance("storing", 20)
    where = layer_location(job.layer_name, job.layer_position)
    return {"data": store_layer(job.read_source(), job.layer_name, where)}


def job_answer(job: ImportJob) -> dict:
    """What the editor is told of a job: ``202`` with the job while it runs."""
    return {
        "job": {
            "id": str(job.pk),
            "url": reverse("wagtail_umap_editor_job", args=[job.pk]),
            "status": job.status,
            "progress": job.progress,
            "stage": gettext(STAGES.get(job.stage or "queued", STAGES["queued"])),
        }
    }


def job_status(request: HttpRequest, job_id) -> JsonResponse:
    """The job's state; once done, its result (an imported file's features inline)."""
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.user_id != request.user.pk and not request.user.is_superuser:
        return JsonResponse({"errors": [gettext("This job is not yours.")]}, status=403)
    if job.status == ImportJob.Status.FAILED:
        return JsonResponse({"errors": job.errors, **job_answer(job)}, status=200)
    if job.status != ImportJob.Status.DONE:
        return JsonResponse(job_answer(job), status=202)
    result = dict(job.result)
    if job.kind != ImportJob.Kind.LAYER:  # a file, or a geocoded CSV (french_data.py)
        stored = result["document"]
        result["document"] = store.full_document(stored)
        result["refs"] = {layer["id"]: layer["data"] for layer in stored.get("layers", [])}
    return JsonResponse({**result, **job_answer(job)})


def gunzip(raw: bytes, limit: int) -> bytes | None:
    """``raw`` decompressed (gzip), at most ``limit + 1`` bytes; None when it is no gzip."""
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflate.decompress(raw, limit + 1)
    except zlib.error:
        return None
    if not inflate.eof and len(data) <= limit:
        return None
    return data
