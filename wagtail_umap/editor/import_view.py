"""The map editor's import endpoint: a dropped file read by the server's readers.

The editor posts the file (multipart, with the CSRF token); the answer is the file as a full,
validated map document for the editor to merge, or the located error messages in the editor's
language. Nothing is stored here: the map changes only when the editor saves the form.

The one size limit is ``MAX_IMPORT_BYTES``, the readers' too: a request whose declared length
is over it is refused before its body is read (Django's CSRF middleware would otherwise read,
and spool to disk, the whole body to look for the token, so this view checks the token itself,
after the size); the file may come gzip-compressed (``encoding=gzip``, as the editor sends
it), and is at most ``MAX_IMPORT_BYTES`` once decompressed. A file above
``BACKGROUND_MIN_BYTES`` is read by a background task: the answer is ``202`` with the job the
editor polls (``editor/background.py``).

The editor posts its map settings (``options``) with the file: the answer's ``options`` are
them with the file's settings merged as ``umap_import`` merges them
(``core.document.merge_imported_options``).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.conf import get_import_limits, get_setting
from wagtail_umap.core import messages as m
from wagtail_umap.core.document import merge_imported_options
from wagtail_umap.core.errors import Issue, MapDocumentError
from wagtail_umap.editor import background
from wagtail_umap.editor.widget import sentence
from wagtail_umap.formats import read_map_file
from wagtail_umap.models import Map
from wagtail_umap.models.import_job import ImportJob

# Whoever may create or change a map may read files for it.
IMPORT_ACTIONS = ["add", "change"]
# What multipart adds around the file: boundaries, part headers, the CSRF field.
MULTIPART_ALLOWANCE = 64 * 1024


def errors(messages: list[str], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": messages}, status=status)


def too_large(size: int | None, limit: int) -> JsonResponse:
    """The readers' own message (the same limit, stated the same way)."""
    if size is None:  # a gzip part that decompresses beyond the limit
        issue = Issue(m.FILE_OVER_LIMIT, {"limit": limit})
    else:
        issue = Issue(m.FILE_TOO_LARGE, {"value": size, "limit": limit})
    return errors([sentence(issue.render(gettext))], status=413)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def csrf_failure(request: HttpRequest) -> JsonResponse | None:
    """Django's CSRF check, run once the body is known to be of an acceptable size."""
    if CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None:
        return None
    return errors(
        [gettext("The form’s security token is missing or out of date: reload the page.")],
        status=403,
    )


@csrf_exempt  # checked by csrf_failure(), after the size
@require_POST
def import_file(request: HttpRequest) -> JsonResponse:
    if not ModelPermissionPolicy(Map).user_has_any_permission(request.user, IMPORT_ACTIONS):
        return errors([gettext("You are not allowed to import files into maps.")], status=403)
    limit = get_setting("MAX_IMPORT_BYTES")
    if declared_length(request) > limit + MULTIPART_ALLOWANCE:
        return too_large(declared_length(request), limit)
    try:
        upload = request.FILES.get("file")
    except RequestDataTooBig:
        message = gettext(
            "The request’s form fields are over the server’s limit of %(limit)s bytes "
            "(DATA_UPLOAD_MAX_MEMORY_SIZE): send the map as a file, in the “file” field."
        )
        return errors([message % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}], status=413)
    except (TooManyFieldsSent, TooManyFilesSent):
        return errors([gettext("The request has too many fields or files: send one file.")])
    if failure := csrf_failure(request):
        return failure
    if upload is None:
        return errors([gettext("Choose a file to import.")])
    if upload.size > limit:
        return too_large(upload.size, limit)
    data = upload.read()
    if request.POST.get("encoding") == "gzip":
        data = background.gunzip(data, limit)
        if data is None:
            return errors([gettext("The file could not be decompressed (gzip): send it again.")])
        if len(data) > limit:
            return too_large(None, limit)
    options = posted_options(request)
    if len(data) > get_setting("BACKGROUND_MIN_BYTES"):
        job = ImportJob.create(
            data,
            user=request.user,
            filename=upload.name,
            language=get_language() or "fr",
            map_options=options,
        )
        background.enqueue(job)
        job.refresh_from_db()
        return JsonResponse(background.job_answer(job), status=202)
    try:
        result = read_map_file(upload.name, data, get_import_limits())
    except MapDocumentError as error:
        return errors([f"{upload.name}: {message}" for message in error.messages(gettext)])
    return JsonResponse(
        {
            "document": result.document,
            "notes": [note.render(gettext) for note in result.notes],
            "options": merge_imported_options(options, result.document.get("options", {})),
        }
    )


def posted_options(request: HttpRequest) -> dict:
    """The editor's map settings sent with the file ({} when none or not an object)."""
    try:
        options = json.loads(request.POST.get("options") or "{}")
    except ValueError:
        return {}
    return options if isinstance(options, dict) else {}
