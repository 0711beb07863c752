"""Large imports and layers run as background jobs: the request answers 202 at once, the
database task backend keeps the task until a worker (``db_worker``) runs it, the editor polls
the job and gets the result (the layers stored, by reference) or located messages in its
language; nothing is stored on error, and the layer data collection keeps what a finished job
stored until it is old."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands, load_command_class
from django.test import Client
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.factories import point
from wagtail_umap.models import ImportJob, LayerData
from wagtail_umap.models.collect import collect_layer_data

# The worker commits its own transactions: the test database is not wrapped in one.
pytestmark = pytest.mark.django_db(transaction=True)

IMPORT_URL = "/admin/wagtail_umap/editor/import/"
LAYER_URL = "/admin/wagtail_umap/editor/layer/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editrice", "e@example.org", "pw")


@pytest.fixture
def admin(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def database_tasks(settings):
    """The example site's backend: tasks wait in the database until a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": django_settings.TASKS_DATABASE_BACKEND}}
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "BACKGROUND_MIN_BYTES": 1_000}


def run_worker() -> None:
    """The database backend's worker, until no task is left (with the options its version
    has: the backend built into older django-tasks has fewer)."""
    command = load_command_class(get_commands()["db_worker"], "db_worker")
    actions = command.create_parser("", "db_worker")._actions
    known = {flag for action in actions for flag in action.option_strings}
    extra = [flag for flag in ("--no-startup-delay", "--no-reload") if flag in known]
    call_command("db_worker", "--batch", *extra, verbosity=0)


def collection(count: int, name: str = "École") -> bytes:
    features = [point(2 + i / 1_000, 47, f"{name} {i}") for i in range(count)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def post_file(client, name: str, data: bytes, **fields):
    upload = SimpleUploadedFile(name, gzip.compress(data))
    return client.post(IMPORT_URL, {"file": upload, "encoding": "gzip", **fields})


def test_a_large_import_waits_for_the_worker_then_gives_its_layers_stored(admin, database_tasks):
    options = {"credits": "Mairie", "controls": {"search": False}}
    response = post_file(admin, "ecoles.geojson", collection(200), options=json.dumps(options))
    assert response.status_code == 202
    job = response.json()["job"]
    assert job["status"] == "queued"
    assert job["stage"] == "En attente du traitement en arrière-plan…"
    stored = ImportJob.objects.get(pk=job["id"])
    assert default_storage.exists(stored.source)

    # Nothing runs it until a worker does: the editor keeps polling.
    polled = admin.get(job["url"])
    assert polled.status_code == 202
    assert polled.json()["job"]["progress"] == 0

    run_worker()
    answer = admin.get(job["url"])
    assert answer.status_code == 200
    result = answer.json()
    assert result["job"]["status"] == "done"
    assert result["job"]["progress"] == 100
    (layer,) = result["document"]["layers"]
    assert len(layer["features"]) == 200
    reference = result["refs"][layer["id"]]
    assert reference["feature_count"] == 200
    assert LayerData.objects.filter(digest=reference["digest"]).exists()
    # The map's own settings are kept; the file's fill the others.
    assert result["options"]["credits"] == "Mairie"
    assert result["options"]["controls"]["search"] is False
    assert not default_storage.exists(stored.source)


def test_a_failed_job_says_where_in_the_editor_s_language(admin, editor, database_tasks):
    bad = collection(100).replace(b'"coordinates": [2.0, 47]', b'"coordinates": [2.0, 95]')
    job = post_file(admin, "ecoles.geojson", bad).json()["job"]
    run_worker()
    answer = admin.get(job["url"]).json()
    assert answer["job"]["status"] == "failed"
    assert answer["errors"] == [
        "ecoles.geojson: calque 1 « ecoles », élément 1 : la latitude 95 est hors de -90..90"
    ]
    assert "document" not in answer
    assert LayerData.objects.count() == 0

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    job = post_file(admin, "ecoles.geojson", bad).json()["job"]
    run_worker()
    assert (
        admin.get(job["url"])
        .json()["errors"][0]
        .startswith('ecoles.geojson: layer 1 "ecoles", feature 1: latitude 95')
    )


def test_a_large_layer_from_the_editor_is_stored_by_the_worker(admin, database_tasks):
    features = json.loads(collection(150))["features"]
    body = gzip.compress(json.dumps(features).encode())
    response = admin.post(
        LAYER_URL,
        {
            "features": SimpleUploadedFile("features.json.gz", body),
            "encoding": "gzip",
            "name": "Écoles",
            "position": "2",
        },
    )
    assert response.status_code == 202
    job = response.json()["job"]
    assert admin.get(job["url"]).status_code == 202
    run_worker()
    answer = admin.get(job["url"]).json()
    assert answer["data"]["feature_count"] == 150
    assert LayerData.objects.filter(digest=answer["data"]["digest"]).exists()


def test_the_immediate_backend_runs_the_job_within_the_request(admin, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "BACKGROUND_MIN_BYTES": 1_000}
    response = post_file(admin, "ecoles.geojson", collection(50))
    assert response.status_code == 202
    job = response.json()["job"]
    assert job["status"] == "done"
    assert len(admin.get(job["url"]).json()["document"]["layers"][0]["features"]) == 50


def test_small_files_are_read_in_the_request(admin, database_tasks):
    response = post_file(admin, "ecoles.geojson", collection(2))
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_a_job_is_seen_by_its_owner_only(admin, database_tasks, django_user_model):
    job = post_file(admin, "ecoles.geojson", collection(100)).json()["job"]
    other = django_user_model.objects.create_superuser("autre", "a@example.org", "pw")
    other.is_superuser = False
    other.save()
    client = Client()
    client.force_login(other)
    assert client.get(job["url"]).status_code in (302, 403)


def test_the_collection_keeps_a_job_s_layers_until_the_job_is_old(admin, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "BACKGROUND_MIN_BYTES": 1_000}
    job = post_file(admin, "ecoles.geojson", collection(100)).json()["job"]
    digest = admin.get(job["url"]).json()["refs"].popitem()[1]["digest"]
    LayerData.objects.update(touched_at=timezone.now() - timedelta(days=2))

    collect_layer_data(min_age=timedelta(days=1))
    assert LayerData.objects.filter(digest=digest).exists()

    ImportJob.objects.update(created_at=timezone.now() - timedelta(days=2))
    collect_layer_data(min_age=timedelta(days=1))
    assert not ImportJob.objects.exists()
    assert not LayerData.objects.filter(digest=digest).exists()
