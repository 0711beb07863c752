"""A save made on an older version than the latest is refused, whatever the client: Save
draft, Publish, an autosave, or a script posting without the hidden fields (Django's client
plays every one of them)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from wagtail.admin.views.generic import mixins as wagtail_mixins

from tests.factories import layer, loaded_revision, make_map, point
from wagtail_umap.models import LayerData, Map

# Wagtail 7.1+ tells which revision an edit form was loaded from (its ``is_out_of_date``);
# Wagtail 7.0 has no such fields, so nothing can tell a stale save there (docs/editor.md).
WAGTAIL_KNOWS_THE_BASE = any(
    hasattr(value, "is_out_of_date") for value in vars(wagtail_mixins).values()
)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not WAGTAIL_KNOWS_THE_BASE, reason="this Wagtail does not say which revision a form had"
    ),
]

WAGTAIL_MESSAGE_FR = "Enregistrer écrira une nouvelle version."  # Wagtail's own translation
STALE_FR = "Une autre version de cette carte a été enregistrée après que vous l’avez ouverte"
NO_BASE_FR = "Cet enregistrement ne dit pas de quelle version de la carte il part"


def edit_url(map_: Map) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])


def post_data(map_: Map, name: str, base: dict, **extra) -> dict:
    """The edit form of ``map_`` with its first point renamed ``name``, features inline (as
    a script sends them), made on ``base`` (the hidden fields of the form it was loaded in)."""
    document = map_.full_document()
    document["layers"][0]["features"][0]["properties"]["name"] = name
    return {
        "title": map_.title,
        "summary": map_.summary,
        "credits": "",
        "licence_name": "",
        "licence_url": "",
        "document": json.dumps({"options": document["options"], "layers": document["layers"]}),
        **base,
        **extra,
    }


def first_name(map_: Map) -> str:
    map_ = Map.objects.get(pk=map_.pk)
    latest = map_.latest_revision.as_object()
    return latest.full_document()["layers"][0]["features"][0]["properties"]["name"]


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def opened_then_saved_by_someone_else(admin):
    """A map opened by an editor (its form's base), then saved by another."""
    map_ = make_map(layers=[layer("Écoles", point(2.35, 48.85, "École A"))])
    base = loaded_revision(map_)
    other = post_data(map_, "Nom de l’autre", loaded_revision(map_))
    assert admin.post(edit_url(map_), other).status_code == 302
    assert first_name(map_) == "Nom de l’autre"
    return map_, base


@pytest.mark.parametrize(
    "action", [{}, {"action-publish": "action-publish"}], ids=["draft", "publish"]
)
def test_a_save_on_an_older_revision_is_refused_and_the_edit_kept(
    admin, opened_then_saved_by_someone_else, action
):
    map_, stale_base = opened_then_saved_by_someone_else
    latest = Map.objects.get(pk=map_.pk).latest_revision_id
    rows = LayerData.objects.count()
    response = admin.post(edit_url(map_), post_data(map_, "Mon nom", stale_base, **action))
    assert response.status_code == 200
    text = messages_of(response)
    assert WAGTAIL_MESSAGE_FR in text and STALE_FR in text
    # Nothing saved, validated or stored; the other editor's version stays the latest.
    assert Map.objects.get(pk=map_.pk).latest_revision_id == latest
    assert first_name(map_) == "Nom de l’autre"
    assert LayerData.objects.count() == rows
    # The editor shows the refused edit, on the latest revision as its base.
    html = response.content.decode()
    assert "Mon nom" in html
    assert f'name="loaded_revision_id" value="{latest}"' in html


def test_saving_again_after_the_warning_replaces_the_newer_version(
    admin, opened_then_saved_by_someone_else
):
    map_, stale_base = opened_then_saved_by_someone_else
    admin.post(edit_url(map_), post_data(map_, "Mon nom", stale_base))
    again = post_data(map_, "Mon nom", loaded_revision(Map.objects.get(pk=map_.pk)))
    assert admin.post(edit_url(map_), again).status_code == 302
    assert first_name(map_) == "Mon nom"


def test_a_scripted_post_without_the_hidden_fields_is_refused(admin):
    map_ = make_map()
    latest = map_.latest_revision_id
    response = admin.post(edit_url(map_), post_data(map_, "Script", {}, **{"action-publish": "1"}))
    assert response.status_code == 200
    text = messages_of(response)
    assert WAGTAIL_MESSAGE_FR in text and NO_BASE_FR in text
    assert Map.objects.get(pk=map_.pk).latest_revision_id == latest


def test_a_save_on_the_latest_revision_goes_through(admin):
    map_ = make_map()
    response = admin.post(edit_url(map_), post_data(map_, "À jour", loaded_revision(map_)))
    assert response.status_code == 302
    assert first_name(map_) == "À jour"


def test_an_autosave_without_a_base_is_refused_too(admin):
    """Wagtail takes an autosave naming no revision as up to date; here it is refused."""
    map_ = make_map()
    response = admin.post(
        edit_url(map_), post_data(map_, "Autosave", {}), HTTP_ACCEPT="application/json"
    )
    payload = response.json()
    assert payload["success"] is False
    assert payload["error_code"] == "invalid_revision"
    assert WAGTAIL_MESSAGE_FR in payload["error_message"]


def test_an_autosave_on_its_own_revision_goes_through(admin):
    map_ = make_map()
    first = admin.post(
        edit_url(map_),
        post_data(map_, "Auto 1", loaded_revision(map_)),
        HTTP_ACCEPT="application/json",
    ).json()
    assert first["success"] is True
    second = admin.post(
        edit_url(map_),
        post_data(map_, "Auto 2", {"overwrite_revision_id": str(first["revision_id"])}),
        HTTP_ACCEPT="application/json",
    ).json()
    assert second["success"] is True
    assert first_name(map_) == "Auto 2"


def test_a_map_without_revisions_takes_a_scripted_save(admin):
    """A map written by a command, never saved as a revision: nothing to be stale against."""
    map_ = make_map(publish=False)
    Map.objects.filter(pk=map_.pk).update(latest_revision=None)
    map_.revisions.all().delete()
    response = admin.post(edit_url(map_), post_data(map_, "Premier", {}))
    assert response.status_code == 302
