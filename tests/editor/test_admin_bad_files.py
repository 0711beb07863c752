"""Every file of the bad-input corpus, uploaded into a published map through the admin:
a located error on the form, in the site's language, and the map untouched."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import loaded_revision, make_map

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
# Duplicate keys are read as JSON parsers do (the last wins): see tests/formats/test_bad_json.py.
ACCEPTED = {BAD / "json" / "duplicate_keys.geojson"}
CORPUS = sorted(path for path in BAD.rglob("*") if path.is_file() and path not in ACCEPTED)
EMPTY_FILE = "Le fichier soumis est vide."  # Django's own check, before any reader runs

pytestmark = pytest.mark.django_db


def test_the_corpus_is_large():
    assert len(CORPUS) >= 40
    assert {path.parent.name for path in CORPUS} >= {"json", "umap", "csv", "kml", "gpx"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_bad_file_is_refused_and_the_map_untouched(admin_client, path):
    map_ = make_map()
    before = (map_.document, map_.latest_revision_id)
    data = {
        "title": map_.title,
        "summary": map_.summary,
        "basemap": "plan_ign",
        "controls": ["zoom"],
        "document": json.dumps(map_.document),
        "import_into": "new",
        "import_mode": "replace",
        "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        "action-publish": "action-publish",
        **loaded_revision(map_),
    }
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    if path.stat().st_size == 0:
        assert errors == [EMPTY_FILE]
    else:
        assert errors and all(error.startswith(f"{path.name}: ") for error in errors)
    map_.refresh_from_db()
    assert (map_.document, map_.latest_revision_id) == before


def test_the_errors_speak_the_site_language(admin_client):
    map_ = make_map()
    path = BAD / "kml" / "latitude_95.kml"
    data = {
        "title": map_.title,
        "summary": map_.summary,
        "basemap": "plan_ign",
        "document": json.dumps(map_.document),
        "import_into": "new",
        "import_mode": "add",
        "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        **loaded_revision(map_),
    }
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    errors = admin_client.post(url, data).context["form"].errors["import_file"]
    assert any("la latitude 95 est hors de -90..90" in error for error in errors), errors


def test_the_properties_cap_is_a_setting(admin_client, settings):
    """WAGTAIL_UMAP["MAX_PROPERTIES"] reaches the limits of every write path."""
    settings.WAGTAIL_UMAP = {**getattr(settings, "WAGTAIL_UMAP", {}), "MAX_PROPERTIES": 2}
    map_ = make_map()
    before = (map_.document, map_.latest_revision_id)
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
        "properties": {"name": "Mairie", "a": 1, "b": 2},
    }
    upload = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    data = {
        "title": map_.title,
        "summary": map_.summary,
        "document": json.dumps(map_.document),
        "import_into": "new",
        "import_mode": "replace",
        "import_file": SimpleUploadedFile("mairies.geojson", upload),
        "action-publish": "action-publish",
        **loaded_revision(map_),
    }
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["form"].errors["import_file"]
    assert error.startswith("mairies.geojson: ") and ": 3, " in error and "2" in error
    map_.refresh_from_db()
    assert (map_.document, map_.latest_revision_id) == before
