"""The JSON answer the editor's "Save draft" in place reads (save.js, ``saveInPlace``): the
edit view's answer to a form posted for JSON, as Wagtail's autosave posts it, with the
message a reload would have shown, and on a stale save the latest revision to save on."""

from __future__ import annotations

import pytest

from tests.editor.test_stale_save import (
    WAGTAIL_KNOWS_THE_BASE,
    edit_url,
    first_name,
    opened_then_saved_by_someone_else,  # noqa: F401 - a fixture
    post_data,
)
from tests.factories import layer, loaded_revision, make_map, point
from wagtail_umap.models import Map

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not WAGTAIL_KNOWS_THE_BASE, reason="this Wagtail answers no JSON"),
]
JSON = {"HTTP_ACCEPT": "application/json"}


def test_a_draft_saved_for_json_answers_its_revision_and_the_message(admin):
    map_ = make_map(
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A")),
            layer("Mairies", point(2.36, 48.86, "Mairie")),
        ]
    )
    response = admin.post(edit_url(map_), post_data(map_, "École B", loaded_revision(map_)), **JSON)
    assert response.status_code == 200
    payload = response.json()
    saved = Map.objects.get(pk=map_.pk)
    assert payload["success"] is True
    assert payload["revision_id"] == saved.latest_revision_id
    assert payload["revision_created_at"] == saved.latest_revision.created_at.isoformat()
    assert payload["message"].startswith("Carte « ")
    assert "enregistrée en brouillon" in payload["message"]
    assert first_name(map_) == "École B"
    # The draft is whole: every layer kept, the live map untouched.
    draft = saved.latest_revision.as_object().full_document()
    assert [lay["name"] for lay in draft["layers"]] == ["Écoles", "Mairies"]
    assert saved.full_document()["layers"][0]["features"][0]["properties"]["name"] == "École A"


def test_a_stale_save_for_json_is_refused_with_the_latest_revision(
    admin,
    opened_then_saved_by_someone_else,  # noqa: F811
):
    map_, base = opened_then_saved_by_someone_else
    response = admin.post(edit_url(map_), post_data(map_, "Mon nom", base), **JSON)
    assert response.status_code == 400
    payload = response.json()
    assert payload["success"] is False
    assert payload["error_code"] == "invalid_revision"
    assert "Une autre version de cette carte a été enregistrée" in payload["error_message"]
    latest = Map.objects.get(pk=map_.pk).latest_revision
    assert payload["latest_revision_id"] == latest.pk
    assert payload["latest_revision_created_at"] == latest.created_at.isoformat()
    assert first_name(map_) == "Nom de l’autre"  # nothing overwritten
    # Saved again on the latest revision it was told: it replaces it knowingly.
    again = {
        "loaded_revision_id": str(payload["latest_revision_id"]),
        "loaded_revision_created_at": payload["latest_revision_created_at"],
    }
    response = admin.post(edit_url(map_), post_data(map_, "Mon nom", again), **JSON)
    assert response.json()["success"] is True
    assert first_name(map_) == "Mon nom"
