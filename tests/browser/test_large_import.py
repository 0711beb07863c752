"""A 35,000-polygon layer (a 40 MB GeoJSON, twice the old 20 MB upload limit) imported through
the map editor, in Chromium: the file travels once, gzip-compressed; a background task of the
database backend reads and stores it while the editor shows its progress; the editor merges the
layer and saves it by reference (no second upload); the map is published and its public page
draws the layer from its data URL."""

from __future__ import annotations

import json
import random
import re
import time

import pytest
from django.conf import settings as django_settings

from tests.browser.helpers import (
    EDITOR_READY,
    MAP_ADD_URL,
    MAP_PUBLISHED_URL,
    log_in_as_editor,
    open_map,
    page_showing,
    publish,
    status_text,
)
from tests.editor.test_background import run_worker
from tests.factories import make_home
from wagtail_umap.models import ImportJob, Map

pytestmark = pytest.mark.django_db(transaction=True)

POLYGONS = 35_000
SLOW = 300_000  # ms: a loaded 2-CPU machine reads, stores and draws the layer in 1 to 3 minutes


def polygons_file(path, count: int = POLYGONS) -> int:
    """``count`` small polygons (twelve-sided, some 100 m across) spread over France, with the
    attributes a cadastre-like export carries; returns the file's size."""
    rng = random.Random(14)
    features = []
    for index in range(count):
        lon, lat = rng.uniform(-1.5, 7.0), rng.uniform(43.5, 49.5)
        ring = [
            [
                round(lon + 0.0012 * ((k * 7) % 12 - 6) / 6, 6),
                round(lat + 0.0009 * (k % 6 - 3) / 3, 6),
            ]
            for k in range(12)
        ]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "name": f"Parcelle {index + 1}",
                    "commune": f"{rng.randint(1000, 95999):05d}",
                    "section": f"A{index % 97:02d}",
                    "surface_m2": rng.randint(80, 9000),
                    "description": "Parcelle du plan cadastral, zonage et servitudes. " * 8,
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
    return path.stat().st_size


def wait_for_job(page, timeout: float = 120) -> ImportJob:
    """The job the editor's import created (Playwright's wait keeps its request routing on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.first()
        if job is not None:
            return job
        page.wait_for_timeout(500)
    raise AssertionError("the editor created no import job")


def wait_for_autosave(page) -> None:
    page.wait_for_timeout(1500)
    saving = page.locator(".w-autosave-indicator__state--saving")
    if saving.count():
        saving.wait_for(state="hidden")


def test_import_35000_polygons_through_the_editor_and_publish(
    page, live_server, django_user_model, settings, tmp_path
):
    home = make_home("accueil-parcelles")
    settings.TASKS = {"default": {"BACKEND": django_settings.TASKS_DATABASE_BACKEND}}
    # The import path only: the worker would also build the layer's vector tiles (minutes for
    # 35,000 polygons on a loaded machine); they have their own test (test_vector_tiles.py).
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "VECTOR_TILES": False}
    source = tmp_path / "parcelles.geojson"
    size = polygons_file(source)
    assert size > 20 * 1024 * 1024  # more than the old upload limit
    started = time.monotonic()

    layer_uploads = []
    page.on(
        "request",
        lambda request: (
            layer_uploads.append(request.url) if "/editor/layer/" in request.url else None
        ),
    )
    log_in_as_editor(page, live_server, django_user_model, MAP_ADD_URL)
    page.set_default_timeout(SLOW)
    page.locator(EDITOR_READY).wait_for()
    page.fill("input[name=title]", "Parcelles")
    page.fill("[name=summary]", "Trente-cinq mille parcelles.")
    page.set_input_files(".umap-editor__file", str(source))

    # The request answers at once; the job waits for a worker, and the editor says so.
    job = wait_for_job(page)
    progress = page.locator(".umap-editor__import-progress [role=status]")
    waiting = "parcelles.geojson : En attente du traitement en arrière-plan"
    progress.filter(has_text=waiting).wait_for()
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors

    page.locator(".umap-editor__status", has_text=f"{POLYGONS} éléments importés").wait_for()
    assert not progress.is_visible()
    wait_for_autosave(page)  # the import's change started one: Publish after it, as a person
    publish(page)
    page.wait_for_url(MAP_PUBLISHED_URL)
    assert layer_uploads == []  # saved by the reference the job stored

    map_ = Map.objects.get()
    assert map_.live
    (layer,) = map_.layers
    assert layer["data"]["feature_count"] == POLYGONS
    assert layer["data"]["digest"] in job.digests()

    shown = page_showing(home, map_, "Parcelles", "parcelles")
    section = open_map(page, f"{live_server.url}{shown.url}", "Parcelles", timeout=SLOW)
    assert re.sub(r"\D", "", status_text(section)) == str(POLYGONS)  # "35 000 éléments affichés"
    elapsed = time.monotonic() - started
    print(f"\n35,000 polygons ({size / 1e6:.1f} MB): import to public page in {elapsed:.0f} s")
