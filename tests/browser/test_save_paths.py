"""Saving a map from the editor in Chromium: after Wagtail's autosave, and on a map someone
else saved meanwhile (refused with Wagtail's message, the edit kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.admin.views.generic import mixins as wagtail_mixins

from tests.browser.helpers import (
    TIMEOUT,
    log_in_as_editor,
    save_draft_button,
    saved_in_place,
    wait_for_editor,
)
from tests.factories import layer, make_map, point, root_page
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db(transaction=True)

WAGTAIL_AUTOSAVES = "WAGTAIL_AUTOSAVE_INTERVAL" in Path(wagtail_mixins.__file__).read_text()


def edit_url(map_: Map) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])


def rename_first_feature(page, name: str) -> None:
    page.locator(".umap-editor__feature-item").first.click()
    field = page.get_by_label("Nom", exact=True)
    field.fill(name)
    field.press("Tab")


def latest_name(map_: Map) -> str:
    revision = Map.objects.get(pk=map_.pk).latest_revision
    return revision.as_object().full_document()["layers"][0]["features"][0]["properties"]["name"]


def click_save_draft(page) -> str | None:
    """Save draft: in place (the revision saved) where Wagtail autosaves, else reloaded."""
    saved = saved_in_place(page, save_draft_button(page), 3 * TIMEOUT)
    wait_for_editor(page)
    return saved


@pytest.fixture
def schools(transactional_db):
    root_page()  # and its locale: the flush after a live-server test removes them
    return make_map("Écoles", layers=[layer("Écoles", point(2.35, 48.85, "École A"))])


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_save_draft_after_an_autosave_is_not_taken_for_a_stale_save(
    page, live_server, django_user_model, schools, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 500
    log_in_as_editor(page, live_server, django_user_model, edit_url(schools))
    wait_for_editor(page)
    page.wait_for_timeout(2500)  # Wagtail takes the form's initial state 2 s after load
    rename_first_feature(page, "École autosauvée")
    for _ in range(120):  # the autosave reaches the latest revision
        if latest_name(schools) == "École autosauvée":
            break
        page.wait_for_timeout(250)
    assert latest_name(schools) == "École autosauvée"
    page.wait_for_timeout(500)
    rename_first_feature(page, "École enregistrée")
    saved = click_save_draft(page)
    assert saved  # in place: no reload
    assert page.locator(".messages .error").count() == 0
    assert latest_name(schools) == "École enregistrée"
    assert int(saved) == Map.objects.get(pk=schools.pk).latest_revision_id
    success = page.locator(".messages .success")
    assert "enregistrée en brouillon" in success.inner_text()
    assert page.locator(".messages[role=status]").count() == 1
    # Saved again after one more edit: the base followed the save (not taken for stale).
    rename_first_feature(page, "École enregistrée deux fois")
    assert click_save_draft(page)
    assert page.locator(".messages .error").count() == 0
    assert latest_name(schools) == "École enregistrée deux fois"


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_a_save_in_place_on_a_map_saved_meanwhile_is_refused_and_the_edit_kept(
    page, live_server, django_user_model, schools, settings, axe
):
    """Save draft without a reload, on a map someone else saved meanwhile: refused above the
    map (role=alert), nothing overwritten, the edit kept; saving again replaces it knowingly."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 60_000  # on (the JSON path), but not during the test
    log_in_as_editor(page, live_server, django_user_model, edit_url(schools))
    wait_for_editor(page)
    rename_first_feature(page, "Mon école")
    other = Map.objects.get(pk=schools.pk)
    document = other.full_document()
    document["layers"][0]["features"][0]["properties"]["name"] = "Leur école"
    other.set_document(document)
    other.save_revision()
    page.evaluate("window.umapBeforeSave = true")
    save_draft_button(page).click()
    alert = page.locator(".umap-editor__save-errors[role=alert]")
    alert.wait_for(state="visible", timeout=3 * TIMEOUT)
    text = alert.inner_text()
    assert "La carte n’a pas été enregistrée" in text
    assert "Une autre version de cette carte a été enregistrée" in text
    assert page.evaluate("window.umapBeforeSave")  # no reload
    assert latest_name(schools) == "Leur école"
    names = page.evaluate(
        "() => document.querySelector('.umap-editor').umapEditor.state.layers[0]"
        ".features.map((f) => f.properties.name)"
    )
    assert names == ["Mon école"]
    assert page.locator("footer button.action-save").first.is_enabled()
    assert axe(page, ".umap-editor") == []
    assert click_save_draft(page)
    assert latest_name(schools) == "Mon école"


def test_a_save_on_a_map_saved_meanwhile_is_refused_and_the_edit_kept(
    page, live_server, django_user_model, schools, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    log_in_as_editor(page, live_server, django_user_model, edit_url(schools))
    wait_for_editor(page)
    rename_first_feature(page, "Mon école")
    # Meanwhile, someone else saves the map (a script, another editor).
    other = Map.objects.get(pk=schools.pk)
    document = other.full_document()
    document["layers"][0]["features"][0]["properties"]["name"] = "Leur école"
    other.set_document(document)
    other.save_revision()
    click_save_draft(page)
    error = page.locator(".messages .error").inner_text()
    assert "Enregistrer écrira une nouvelle version." in error
    assert "Une autre version de cette carte a été enregistrée" in error
    assert latest_name(schools) == "Leur école"
    # The editor shows the refused edit; saving again replaces the newer version knowingly.
    names = page.evaluate(
        "() => document.querySelector('.umap-editor').umapEditor.state.layers[0]"
        ".features.map((f) => f.properties.name)"
    )
    assert names == ["Mon école"]
    click_save_draft(page)
    assert page.locator(".messages .error").count() == 0
    assert latest_name(schools) == "Mon école"


def test_a_refused_layer_is_a_located_message_and_the_edit_is_kept(
    page, live_server, django_user_model, schools, settings, axe
):
    """Over a per-layer cap: the layer endpoint refuses it, the editor says where, keeps the
    drawing and posts nothing; Wagtail's buttons work again."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_LAYER_FEATURES": 1}
    before = Map.objects.get(pk=schools.pk).latest_revision_id
    log_in_as_editor(page, live_server, django_user_model, edit_url(schools))
    wait_for_editor(page)
    page.get_by_role("button", name="Ajouter un marqueur").click()
    # The map's box once the drawing mode is on (the toolbar's status line may move it).
    page.locator(".umap-editor__map").evaluate("map => map.scrollIntoView({block: 'start'})")
    box = page.locator(".umap-editor__map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4)
    # The marker is in the editor's state before Save draft is pressed.
    page.wait_for_function(
        "() => document.querySelector('.umap-editor').umapEditor.state.layers[0].features"
        ".length === 2",
        timeout=TIMEOUT,
    )
    save_draft_button(page).click()
    alert = page.locator(".umap-editor__save-errors")
    alert.wait_for(state="visible", timeout=3 * TIMEOUT)
    text = alert.inner_text()
    assert "La carte n’a pas été enregistrée" in text
    assert "calque 1 « Écoles » : trop d’éléments dans ce calque : 2" in text
    assert page.evaluate("document.activeElement.classList.contains('umap-editor__save-errors')")
    kept = "() => document.querySelector('.umap-editor').umapEditor.state.layers[0].features"
    assert page.evaluate(kept + ".length") == 2
    assert Map.objects.get(pk=schools.pk).latest_revision_id == before
    assert page.locator("footer button.action-save").first.is_enabled()
    assert axe(page, ".umap-editor") == []


def test_workflow_actions_send_the_changed_layer_first(
    page, live_server, django_user_model, settings, transactional_db
):
    """Submit to moderation (a submit button), then approve with a comment (Wagtail's modal,
    which posts the form through jQuery): both wait for the changed layer and save it."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    root_page()
    # 3,000 points: the changed layer is too large to ride inline in the form.
    points = [point(2 + i / 10_000, 47, f"Point {i}") for i in range(3000)]
    map_ = make_map("Points", layers=[layer("Points", *points)])
    group, _ = Group.objects.get_or_create(name="Relecteurs")
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.set([group])
    workflow = Workflow.objects.create(name="Cartes")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(Map)
    )
    log_in_as_editor(page, live_server, django_user_model, edit_url(map_))
    wait_for_editor(page)

    rename_first_feature(page, "Soumis à relecture")
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    with page.expect_navigation(timeout=3 * TIMEOUT):
        page.locator("button[name=action-submit]").click()
    assert latest_name(map_) == "Soumis à relecture"
    page.goto(live_server.url + edit_url(map_))  # Wagtail went back to the listing
    wait_for_editor(page)
    assert Map.objects.get(pk=map_.pk).workflow_in_progress

    rename_first_feature(page, "Approuvé avec commentaire")
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.locator(
        "footer [data-workflow-action-name=approve][data-workflow-action-modal-url]"
    ).click()
    comment = page.locator(".modal textarea").first
    comment.wait_for(timeout=TIMEOUT)
    comment.fill("Bon pour publication.")
    with page.expect_navigation(timeout=3 * TIMEOUT):
        page.locator(
            ".modal form button[type=submit], .modal form input[type=submit]"
        ).first.click()
    live = Map.objects.get(pk=map_.pk)
    assert not live.workflow_in_progress
    assert live.full_document()["layers"][0]["features"][0]["properties"]["name"] == (
        "Approuvé avec commentaire"
    )


@pytest.mark.skipif(not WAGTAIL_AUTOSAVES, reason="this Wagtail has no autosave")
def test_one_feature_edited_in_a_big_map_is_saved_in_place_whole(
    page, live_server, django_user_model, settings, transactional_db
):
    """A map of three layers, one of 3,000 points (too large to ride inline: sent to the
    layer endpoint): one point renamed, "Save draft" without a reload; the draft stored is
    the map as it was with that one name changed, no layer lost or cut."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 60_000  # on (the JSON path), but not during the test
    root_page()
    points = [point(2 + i / 10_000, 47, f"Point {i}") for i in range(3000)]
    map_ = make_map(
        "Grande carte",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A")),
            layer("Points", *points),
            layer("Mairies", point(2.36, 48.86, "Mairie")),
        ],
    )
    expected = map_.full_document()
    expected["layers"][1]["features"][1500]["properties"]["name"] = "Point renommé"
    log_in_as_editor(page, live_server, django_user_model, edit_url(map_))
    wait_for_editor(page)
    page.evaluate(
        """() => {
            const editor = document.querySelector('.umap-editor').umapEditor;
            editor.state.select(editor.state.layers[1].features[1500]);
        }"""
    )
    field = page.get_by_label("Nom", exact=True)
    field.fill("Point renommé")
    field.press("Tab")
    uploads = []
    page.on(
        "request",
        lambda request: uploads.append(request.url) if "/editor/layer/" in request.url else None,
    )
    saved = click_save_draft(page)
    assert saved  # in place: no reload
    assert len(uploads) == 1  # the changed layer only
    stored = Map.objects.get(pk=map_.pk)
    assert int(saved) == stored.latest_revision_id
    draft = stored.latest_revision.as_object().full_document()
    assert draft["layers"] == expected["layers"]
    assert stored.full_document()["layers"] == map_.full_document()["layers"]  # live: as before
    assert "enregistrée en brouillon" in page.locator(".messages .success").inner_text()
