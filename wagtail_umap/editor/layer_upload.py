"""The map editor's layer endpoint: a changed layer's features, stored before the form is saved.

When an editor saves (Save draft, Publish, a workflow action, an autosave), the editor sends
each layer it changed here first, once, gzip-compressed as a file part (so neither the form's
urlencoding nor ``DATA_UPLOAD_MAX_MEMORY_SIZE`` applies), and gets back its ``data`` reference;
the form then posts references only. The features are validated and stored as any write path
does (``store.validate_and_store``'s checks, per-layer caps included); a refusal is a list of
messages located on the layer (``calque 2 « Écoles » : élément 17 : …``), in the editor's
language, and nothing is stored.

Limits: the file part at most ``MAX_UPLOAD_BYTES`` (compressed), its JSON at most
``MAX_LAYER_BYTES``, the layer at most ``MAX_LAYER_FEATURES`` features and
``MAX_LAYER_VERTICES`` vertices; the map's own totals are checked when the form is saved.

A layer of more than ``BACKGROUND_MIN_BYTES`` of JSON is validated and stored by a background
task (``editor/background.py``): the answer is ``202`` with the job the editor polls.

A layer the editor changed a little since it was stored travels as a patch instead (a
``patch`` file part, ``core/layer_patch.py``): its base's digest, the runs of unchanged
features by position and the changed or added features. Only the features sent are validated
(as a whole layer's are: the unchanged ones were when the base was stored), the merge copies
the base's stored bytes, and the merged layer is held to the same limits. A base the store
does not hold is refused with ``409`` and ``"fallback": true``: the editor sends the whole
layer.

The other way, ``stored_layer`` gives the editor a large stored layer's features as the store
keeps them (its compressed bytes, read once, no parsing), instead of putting them in the page.
"""

from __future__ import annotations

import dataclasses
import re
import zlib

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language, gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.conf import get_limits, get_setting
from wagtail_umap.core import layer_patch
from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue, Location, MapDocumentError
from wagtail_umap.core.layer_patch import patch_base, read_patch
from wagtail_umap.core.validation import validate_document
from wagtail_umap.formats import parse_json
from wagtail_umap.models import Map, store
from wagtail_umap.models.layer_data import LayerData, PatchTooLarge

UPLOAD_ACTIONS = ["add", "change"]
NOT_FEATURES = gettext_noop("the layer's features should be a JSON list")
BAD_GZIP = gettext_noop("the layer could not be decompressed (gzip): send it again")
TOO_LARGE_SENT = gettext_noop(
    "the layer sent is too large: %(value)s bytes compressed, the limit is %(limit)s bytes"
)
TOO_LARGE_JSON = gettext_noop(
    "the layer is too large: more than %(limit)s bytes of GeoJSON; split it into several layers"
)
UNKNOWN_BASE = gettext_noop(
    "the saved layer these changes apply to is not stored any more: the whole layer is sent"
)
PATCH_TOO_LARGE = gettext_noop("too many changes to check at once: the whole layer is sent")


def errors(messages: list[str], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": messages}, status=status)


@require_POST
def upload_layer(request: HttpRequest) -> JsonResponse:
    if not ModelPermissionPolicy(Map).user_has_any_permission(request.user, UPLOAD_ACTIONS):
        return errors([gettext("You are not allowed to change maps.")], status=403)
    name = request.POST.get("name", "")[:255]
    try:
        position = max(1, int(request.POST.get("position", "1")))
    except ValueError:
        position = 1
    where = layer_location(name, position)
    if "patch" in request.FILES:
        return upload_patch(request, request.FILES["patch"], name, where)
    upload = request.FILES.get("features")
    if upload is None:
        return errors([Issue(NOT_FEATURES, {}, where).render(gettext)])
    if too_large := refuse_too_large(upload, where):
        return too_large
    try:
        data = read_features_part(upload, request.POST.get("encoding", "identity"), where)
        if len(data) > get_setting("BACKGROUND_MIN_BYTES"):
            return in_background(request, data, name, position)
        reference = store_layer(data, name, where)
    except MapDocumentError as error:
        return errors(error.messages(gettext))
    return JsonResponse({"data": reference})


def refuse_too_large(upload, where: Location) -> JsonResponse | None:
    """A 413 answer for a part larger than ``MAX_UPLOAD_BYTES``, else None."""
    limit = get_setting("MAX_UPLOAD_BYTES")
    if upload.size <= limit:
        return None
    issue = Issue(TOO_LARGE_SENT, {"value": upload.size, "limit": limit}, where)
    return errors([issue.render(gettext)], status=413)


def upload_patch(request: HttpRequest, upload, name: str, where: Location) -> JsonResponse:
    """A layer patch (``core/layer_patch.py``): the features changed since a stored layer, with
    its digest. Answered at once; ``409`` with ``"fallback": true`` when the editor should send
    the whole layer instead (a base the store does not hold, a patch too large to check here)."""
    if too_large := refuse_too_large(upload, where):
        return too_large
    try:
        data = read_features_part(upload, request.POST.get("encoding", "identity"), where)
        if len(data) > get_setting("BACKGROUND_MIN_BYTES"):
            return fallback(PATCH_TOO_LARGE, where)
        reference = store_patch(data, name, where)
    except UnknownBase:
        return fallback(UNKNOWN_BASE, where)
    except MapDocumentError as error:
        return errors(error.messages(gettext))
    return JsonResponse({"data": reference})


class UnknownBase(Exception):
    """The patch's base is not a layer the store holds."""


def fallback(template: str, where: Location) -> JsonResponse:
    message = Issue(template, {}, where).render(gettext)
    return JsonResponse({"errors": [message], "fallback": True}, status=409)


def store_patch(data: bytes, name: str, where: Location) -> dict:
    """Validate the features a patch sends as ``store_layer`` validates a layer's, merge them
    into the stored base, store the result and return its reference. The unchanged features
    were validated when the base was stored: they are copied, not checked again; the merged
    layer is held to the same limits as a whole one."""
    limits = dataclasses.replace(get_limits(), max_bytes=get_setting("MAX_LAYER_BYTES"))
    try:
        value = parse_json(data, limits)
    except MapDocumentError as error:
        raise MapDocumentError([relocated(issue, where) for issue in error.issues]) from error
    digest = patch_base(value)
    if digest is None:
        raise MapDocumentError([Issue(layer_patch.NOT_A_PATCH, {}, where)])
    base = LayerData.objects.without_blobs().filter(digest=digest).first()
    if base is None:
        raise UnknownBase(digest)
    patch = read_patch(value, base.feature_count, where)
    check_patched_count(patch.count, limits, where)
    document = {"layers": [{"id": "uploaded", "name": name or "-", "features": patch.features}]}
    try:
        cleaned = validate_document(document, limits, size_checked=True, source_bytes=len(data))
    except MapDocumentError as error:
        issues = [placed(issue, where, patch.positions) for issue in error.issues]
        raise MapDocumentError(issues) from error
    try:
        stored = LayerData.store_patched(base, patch, cleaned["layers"][0]["features"])
    except LayerData.DoesNotExist as error:  # collected meanwhile
        raise UnknownBase(digest) from error
    except PatchTooLarge as error:
        if error.what == "bytes":
            issue = Issue(TOO_LARGE_JSON, {"limit": error.limit}, where)
            raise MapDocumentError([issue]) from error
        params = {"value": error.value, "limit": error.limit}
        raise MapDocumentError([Issue(m.TOO_MANY_LAYER_VERTICES, params, where)]) from error
    return stored.reference


def check_patched_count(count: int, limits, where: Location) -> None:
    limit = min(get_setting("MAX_LAYER_FEATURES"), limits.max_features)
    if count > limit:
        raise MapDocumentError(
            [Issue(m.TOO_MANY_LAYER_FEATURES, {"value": count, "limit": limit}, where)]
        )


def placed(issue: Issue, where: Location, positions: list[int]) -> Issue:
    """An issue of the n-th feature sent, placed on that feature's position in the layer."""
    issue = relocated(issue, where)
    feature = issue.location.feature
    if feature is not None and 1 <= feature <= len(positions):
        location = dataclasses.replace(issue.location, feature=positions[feature - 1])
        issue = dataclasses.replace(issue, location=location)
    return issue


DIGEST = re.compile(r"[0-9a-f]{64}")


@require_GET
def stored_layer(request: HttpRequest, digest: str) -> HttpResponse:
    """A stored layer's features (JSON, brotli or gzip as stored), for the editor of a map that
    uses it. Its address names its content: the answer never changes (private: editors only)."""
    from wagtail_umap.viewer.data import accepted_encodings, stored_representation

    if not ModelPermissionPolicy(Map).user_has_any_permission(request.user, UPLOAD_ACTIONS):
        return errors([gettext("You are not allowed to change maps.")], status=403)
    if not DIGEST.fullmatch(digest):
        raise Http404
    encodings = accepted_encodings(request.headers.get("Accept-Encoding", ""))
    encoding, body = stored_representation(digest, encodings)
    response = HttpResponse(body, content_type="application/json")
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Vary"] = "Accept-Encoding"
    return response


def layer_location(name: str, position: int) -> Location:
    return Location(layer=position, layer_name=name or None)


def in_background(request: HttpRequest, data: bytes, name: str, position: int) -> JsonResponse:
    from wagtail_umap.editor.background import enqueue, job_answer
    from wagtail_umap.models.import_job import ImportJob

    job = ImportJob.create(
        data,
        kind=ImportJob.Kind.LAYER,
        user=request.user,
        filename=f"{name or 'layer'}.geojson",
        layer_name=name,
        layer_position=position,
        language=get_language() or "fr",
    )
    enqueue(job)
    job.refresh_from_db()
    return JsonResponse(job_answer(job), status=202)


def read_features_part(upload, encoding: str, where: Location) -> bytes:
    """The part's JSON bytes, decompressed (never more than ``MAX_LAYER_BYTES``)."""
    raw = upload.read()
    limit = get_setting("MAX_LAYER_BYTES")
    if encoding != "gzip":
        data = raw
    else:
        inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = inflate.decompress(raw, limit + 1)
        except zlib.error as error:
            raise MapDocumentError([Issue(BAD_GZIP, {}, where)]) from error
        if not inflate.eof and len(data) <= limit:
            raise MapDocumentError([Issue(BAD_GZIP, {}, where)])
    if len(data) > limit:
        raise MapDocumentError([Issue(TOO_LARGE_JSON, {"limit": limit}, where)])
    return data


def store_layer(data: bytes, name: str, where: Location) -> dict:
    """Validate one layer's features as a save would, store them, return their reference."""
    limits = dataclasses.replace(get_limits(), max_bytes=get_setting("MAX_LAYER_BYTES"))
    try:
        features = parse_json(data, limits)
        if not isinstance(features, list):
            raise MapDocumentError([Issue(NOT_FEATURES)])
        document = {"layers": [{"id": "uploaded", "name": name or "-", "features": features}]}
        store.check_layer_features(document)
        cleaned = validate_document(document, limits, size_checked=True, source_bytes=len(data))
        stored = store.store_document(cleaned)
    except MapDocumentError as error:
        raise MapDocumentError([relocated(issue, where) for issue in error.issues]) from error
    return stored["layers"][0]["data"]


def relocated(issue: Issue, where: Location) -> Issue:
    """The issue placed on the editor's layer (its position and name in the map)."""
    location = dataclasses.replace(issue.location, layer=where.layer, layer_name=where.layer_name)
    return dataclasses.replace(issue, location=location)
