"""The editor's French data helpers (docs/live-data.md): geocode a CSV of addresses with the
Base Adresse Nationale, add the outline of a commune, EPCI, département or région.

**Geocoding.** The editor posts the CSV and the columns the agent chose; the request keeps the
file as a background job (``ImportJob``, kind "geocode") and answers ``202``: the editor polls
it as it polls a large import, showing its progress, then merges the result as an import (a new
layer, or into the chosen layer). The task sends the chosen columns only, ``GEOCODE_BATCH_ROWS``
rows a request, to ``GEOCODE_CSV_URL``; the notes of the result list the rows not found and the
rows whose score is below ``GEOCODE_REVIEW_SCORE`` (flagged ``result_review``).

**Outlines.** ``outline_search`` suggests communes, EPCI, départements or régions by name or
code (geo.api.gouv.fr's search); ``outline_add`` answers the chosen one's outline as a one-layer
document, merged by the editor like an import. The services' URLs are settings: tests and a
site's own mirror point them elsewhere. These requests go from the server, with time and size
limits; the public never calls these services.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
import urllib.request
import uuid

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.conf import get_import_limits, get_setting
from wagtail_umap.core.errors import Issue, MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.editor.background import FAILED, job_answer
from wagtail_umap.formats import geocode
from wagtail_umap.models import Map, store
from wagtail_umap.models.import_job import ImportJob
from wagtail_umap.models.tasks import task

logger = logging.getLogger(__name__)

SERVICE_FAILED = gettext_noop("the service %(url)s could not be reached or failed (%(reason)s)")
TOO_LARGE = gettext_noop("the service's answer is larger than %(limit)s bytes")
NO_OUTLINE = gettext_noop("no outline found for %(value)s")
LAYER_NAME = gettext_noop("Addresses of %(name)s")
OUTLINE_NAME = gettext_noop("%(level)s: %(name)s")
NOT_ALLOWED = gettext_noop("You may not create or change maps.")
LEVELS = {
    "commune": gettext_noop("Commune"),
    "epci": gettext_noop("EPCI (intercommunality)"),
    "departement": gettext_noop("Département"),
    "region": gettext_noop("Région"),
}
# geo.api.gouv.fr serves the contour of communes and EPCI; départements' and régions' come
# from Etalab's administrative boundaries (the whole country in one file, the one asked for
# picked by its code). {base}: GEO_API_URL; {code}: the code chosen.
DEFAULT_OUTLINE_URLS = {
    "commune": "{base}/communes/{code}?fields=nom,code&format=geojson&geometry=contour",
    "epci": "{base}/epcis/{code}?fields=nom,code&format=geojson&geometry=contour",
    "departement": "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/"
    "geojson/departements-100m.geojson",
    "region": "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/"
    "geojson/regions-100m.geojson",
}
SEARCH_PATHS = {
    "commune": "/communes",
    "epci": "/epcis",
    "departement": "/departements",
    "region": "/regions",
}
CODE_RE = re.compile(r"[0-9AB]{2,9}")  # INSEE codes (2A, 2B), SIREN of EPCI


class ServiceError(MapDocumentError):
    pass


def _allowed(request: HttpRequest) -> bool:
    policy = ModelPermissionPolicy(Map)
    return policy.user_has_any_permission(request.user, ["add", "change"])


def _request(url: str, data: bytes | None = None, content_type: str = "") -> bytes:
    """GET or POST ``url`` (a configured service), within the time and size limits."""
    limit = get_setting("MAX_IMPORT_BYTES")
    headers = {"User-Agent": "wagtail-umap", "Accept-Encoding": "identity"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=get_setting("FRENCH_DATA_TIMEOUT")) as answer:
            body = answer.read(limit + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "code", None) or type(error).__name__
        raise ServiceError(
            [Issue(SERVICE_FAILED, {"url": _origin(url), "reason": reason})]
        ) from error
    if len(body) > limit:
        raise ServiceError([Issue(TOO_LARGE, {"limit": limit})])
    return body


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _multipart(fields: list[tuple[str, str]], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        chunks.append(f"{head}{value}\r\n".encode())
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
    )
    chunks.append(data)
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


# --- geocoding -------------------------------------------------------------------------------


@require_POST
def geocode_csv(request: HttpRequest) -> JsonResponse:
    """A CSV and the chosen columns: a background job, answered ``202``."""
    if not _allowed(request):
        return JsonResponse({"errors": [gettext(NOT_ALLOWED)]}, status=403)
    upload = request.FILES.get("file")
    limit = get_setting("MAX_IMPORT_BYTES")
    if upload is None or upload.size > limit:
        issue = (
            Issue(geocode.EMPTY_TABLE, {}) if upload is None else Issue(TOO_LARGE, {"limit": limit})
        )
        return JsonResponse({"errors": [issue.render(gettext)]}, status=400)
    try:
        choice = json.loads(request.POST.get("choice") or "{}")
        options = json.loads(request.POST.get("options") or "{}")
    except ValueError:
        return JsonResponse({"errors": [gettext("Bad request.")]}, status=400)
    data = upload.read()
    try:
        table = geocode.read_table(data)
        _choice(choice).check(table.header)
    except MapDocumentError as error:
        return JsonResponse({"errors": error.messages(gettext)}, status=400)
    job = ImportJob.create(
        data,
        kind=ImportJob.Kind.GEOCODE,
        user=request.user,
        filename=upload.name[:255],
        language=translation.get_language() or "fr",
        # The chosen columns travel with the job (taken out before the merge).
        map_options={**(options if isinstance(options, dict) else {}), "_geocode": choice},
    )
    geocode_job.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    return JsonResponse(job_answer(job), status=202)


def _choice(raw: object) -> geocode.Choice:
    raw = raw if isinstance(raw, dict) else {}
    columns = raw.get("columns")
    columns = tuple(c for c in columns if isinstance(c, str)) if isinstance(columns, list) else ()

    def text(key: str) -> str:
        value = raw.get(key)
        return value if isinstance(value, str) else ""

    return geocode.Choice(columns, text("postcode"), text("city"), text("citycode"))


@task()
def geocode_job(job_id: str) -> str:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return "gone"
    with translation.override(job.language):
        try:
            job.finish(_geocode(job))
        except MapDocumentError as error:
            job.fail([f"{job.filename}: {message}" for message in error.messages(gettext)])
        except Exception:
            logger.exception("wagtail-umap: geocoding job %s failed", job_id)
            job.fail([gettext(FAILED)])
            raise
    return job.status


def _geocode(job: ImportJob) -> dict:
    options = dict(job.map_options or {})
    choice = _choice(options.pop("_geocode", {}))
    table = geocode.read_table(job.read_source())
    choice.check(table.header)
    size = max(1, int(get_setting("GEOCODE_BATCH_ROWS")))
    total = len(table.rows)
    results: dict[int, dict] = {}
    url = get_setting("GEOCODE_CSV_URL")
    for number, batch in enumerate(geocode.batches(table, choice, size)):
        done = min(number * size, total)
        job.advance("geocoding", 5 + (85 * done) // max(total, 1))
        body, content_type = _multipart(choice.form_fields(), "adresses.csv", batch)
        results.update(geocode.read_answer(_request(url, body, content_type)))
    found = geocode.features(table, choice, results, float(get_setting("GEOCODE_REVIEW_SCORE")))
    job.advance("storing", 92)
    name = gettext(LAYER_NAME) % {"name": job.filename.rsplit(".", 1)[0]}
    document = validate_document(
        {"version": 1, "options": {}, "layers": [{"name": name, "features": found.features}]},
        get_import_limits(),
    )
    stored = store.store_imported(document)
    issues = [*table.notes, *found.not_found, *map(_numbers_localised, found.to_review)]
    notes = [issue.render(gettext) for issue in issues]
    return {"document": stored, "notes": notes, "options": options}


def _numbers_localised(issue: Issue) -> Issue:
    """The issue with its score and threshold written the language's way ("0,31 … 0,5" in
    French, "0.31 … 0.5" in English): the job runs in the language of the editor's page."""
    params = dict(issue.params)
    for key, places in (("score", 2), ("threshold", None)):
        if isinstance(params.get(key), float | int):
            params[key] = number_format(params[key], decimal_pos=places)
    return Issue(issue.template, params, issue.location)


# --- administrative outlines -----------------------------------------------------------------


def _geo_api(path: str, params: dict) -> object:
    base = get_setting("GEO_API_URL").rstrip("/")
    body = _request(f"{base}{path}?{urllib.parse.urlencode(params)}")
    try:
        return json.loads(body)
    except ValueError as error:
        raise ServiceError([Issue(SERVICE_FAILED, {"url": base, "reason": "JSON"})]) from error


@require_GET
def outline_search(request: HttpRequest) -> JsonResponse:
    """Suggestions: ``[{"code", "nom", "label"}]`` for ``q`` (a name or a code) at ``level``."""
    if not _allowed(request):
        return JsonResponse({"errors": [gettext(NOT_ALLOWED)]}, status=403)
    level = request.GET.get("level", "commune")
    query = request.GET.get("q", "").strip()[:100]
    if level not in LEVELS or len(query) < 2:
        return JsonResponse({"results": []})
    params: dict = {"fields": "nom,code", "limit": 10}
    if CODE_RE.fullmatch(query.upper()):
        params["code"] = query.upper()  # an INSEE code, or an EPCI's SIREN
    else:
        params["nom"] = query
    if level == "commune":
        params["fields"] = "nom,code,codeDepartement"
        params["boost"] = "population"
    try:
        found = _geo_api(SEARCH_PATHS[level], params)
    except MapDocumentError as error:
        return JsonResponse({"errors": error.messages(gettext)}, status=502)
    results = []
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, dict) or not item.get("code"):
            continue
        extra = item.get("codeDepartement")
        label = f"{item.get('nom', '')} ({extra or item['code']})"
        results.append({"code": str(item["code"]), "nom": str(item.get("nom", "")), "label": label})
    return JsonResponse({"results": results})


@require_POST
def outline_add(request: HttpRequest) -> JsonResponse:
    """The outline of ``code`` at ``level`` as a one-layer document, merged like an import."""
    if not _allowed(request):
        return JsonResponse({"errors": [gettext(NOT_ALLOWED)]}, status=403)
    level = request.POST.get("level", "")
    code = request.POST.get("code", "").strip().upper()
    if level not in LEVELS or not CODE_RE.fullmatch(code):
        return JsonResponse({"errors": [gettext(NO_OUTLINE) % {"value": code or "—"}]}, status=400)
    try:
        feature = _outline(level, code)
        document = validate_document(
            {"version": 1, "options": {}, "layers": [_outline_layer(level, feature)]},
            get_import_limits(),
        )
    except MapDocumentError as error:
        return JsonResponse({"errors": error.messages(gettext)}, status=400)
    return JsonResponse({"document": document, "notes": [], "options": None})


def _outline(level: str, code: str) -> dict:
    urls = {**DEFAULT_OUTLINE_URLS, **(get_setting("OUTLINE_URLS") or {})}
    base = get_setting("GEO_API_URL").rstrip("/")
    url = urls[level].format(base=base, code=urllib.parse.quote(code))
    try:
        body = _request(url)
    except ServiceError as error:
        if any(issue.params.get("reason") == 404 for issue in error.issues):
            raise ServiceError([Issue(NO_OUTLINE, {"value": code})]) from error
        raise
    try:
        found = json.loads(body)
    except ValueError as error:
        raise ServiceError(
            [Issue(SERVICE_FAILED, {"url": _origin(url), "reason": "JSON"})]
        ) from error
    candidates = found.get("features", [found]) if isinstance(found, dict) else []
    for feature in candidates:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if (
            isinstance(properties, dict)
            and str(properties.get("code", "")).upper() == code
            and isinstance(feature.get("geometry"), dict)
        ):
            return feature
    raise ServiceError([Issue(NO_OUTLINE, {"value": code})])


def _outline_layer(level: str, feature: dict) -> dict:
    properties = feature.get("properties", {})
    name = str(properties.get("nom") or properties.get("code"))
    outline = {
        "type": "Feature",
        "geometry": feature["geometry"],
        "properties": {"name": name, "code": str(properties.get("code", "")), "niveau": level},
    }
    return {
        "name": gettext(OUTLINE_NAME) % {"level": gettext(LEVELS[level]), "name": name},
        "style": {"fill_opacity": 0.1},
        "features": [outline],
    }


def french_data_config() -> dict:
    """What the editor's French data panel needs: its endpoints, levels and texts."""
    return {
        "geocodeUrl": reverse("wagtail_umap_editor_geocode"),
        "outlinesUrl": reverse("wagtail_umap_editor_outlines"),
        "outlineUrl": reverse("wagtail_umap_editor_outline"),
        "levels": [{"id": key, "label": gettext(label)} for key, label in LEVELS.items()],
        "strings": {
            "geocode_legend": gettext("Geocode a file of addresses (Base Adresse Nationale)"),
            "geocode_hint": gettext(
                "Only the columns chosen below are sent to the Base Adresse Nationale; each row "
                "becomes a point with the address found and its score. Rows found with a low "
                "score are flagged for review, rows not found are listed."
            ),
            "geocode_file": gettext("CSV file of addresses"),
            "geocode_columns": gettext("Columns of the address (in order)"),
            "geocode_postcode": gettext("Postcode column (optional)"),
            "geocode_city": gettext("Commune column (optional)"),
            "geocode_citycode": gettext("INSEE code column (optional)"),
            "geocode_none": gettext("(none)"),
            "geocode_run": gettext("Geocode"),
            "geocode_no_column": gettext("Choose at least one column of the address."),
            "geocode_notes": gettext("Rows to look at:"),
            "outline_legend": gettext("Add an administrative outline"),
            "outline_level": gettext("Level"),
            "outline_query": gettext("Name or code (INSEE, SIREN)"),
            "outline_hint": gettext(
                "Type at least two letters, then choose with the arrow keys and Enter."
            ),
            "outline_count": gettext("%(count)s suggestions."),
            "outline_none": gettext("No suggestion."),
            "outline_add": gettext("Add the outline"),
            "outline_choose": gettext("Choose a suggestion first."),
        },
    }
