"""The map editor's import endpoint: a dropped file read by the server's readers.

The editor posts the file (multipart, with the CSRF token); the answer is the file as a full,
validated map document for the editor to merge, or the located error messages in the editor's
language. Nothing is stored here: the map changes only when the editor saves the form.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.conf import get_limits, get_setting
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import read_map_file
from wagtail_umap.models import Map

# Whoever may create or change a map may read files for it.
IMPORT_ACTIONS = ["add", "change"]


def errors(messages: list[str], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": messages}, status=status)


@require_POST
def import_file(request: HttpRequest) -> JsonResponse:
    if not ModelPermissionPolicy(Map).user_has_any_permission(request.user, IMPORT_ACTIONS):
        return errors([gettext("You are not allowed to import files into maps.")], status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return errors([gettext("Choose a file to import.")])
    limit = get_setting("MAX_UPLOAD_BYTES")
    if upload.size > limit:
        return errors(
            [
                gettext("The file is too large: %(size)s bytes, the limit is %(limit)s.")
                % {"size": upload.size, "limit": limit}
            ],
            status=413,
        )
    try:
        result = read_map_file(upload.name, upload.read(), get_limits())
    except MapDocumentError as error:
        return errors([f"{upload.name}: {message}" for message in error.messages(gettext)])
    return JsonResponse(
        {
            "document": result.document,
            "notes": [note.render(gettext) for note in result.notes],
        }
    )
