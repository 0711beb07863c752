"""A map page's map in the page's editor (issue 19): its state, "Modifier la carte" that comes
back to the page, and publishing the page publishes its map when asked (or submits it to the
map's workflow)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowContentType,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.editor.test_admin import edit_data
from tests.factories import make_home, make_map
from wagtail_umap.models import Map, MapPage

pytestmark = pytest.mark.django_db

PUBLISH_BOTH = {"action-publish": "1", "umap_publish_map": "publish"}
SUBMIT_MAP = {"action-publish": "1", "umap_publish_map": "submit"}


@pytest.fixture
def page_with_draft_map():
    """A published map page whose map has a draft the site does not show yet."""
    home = make_home()
    map_ = make_map("Travaux")
    page = home.add_child(instance=MapPage(title="Travaux", slug="travaux", map=map_))
    page.save_revision().publish()
    map_.title = "Travaux de l’été"
    map_.save_revision()
    return page, Map.objects.get(pk=map_.pk)


def page_edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def page_post(page, **extra) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text(""),
            "map": page.map_id,
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_the_page_editor_says_the_map_has_a_draft_and_offers_to_publish_it(
    admin, page_with_draft_map
):
    page, map_ = page_with_draft_map
    html = admin.get(page_edit_url(page)).content.decode()
    assert "a des modifications que les visiteurs ne voient pas encore" in html
    edit = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    assert f'href="{edit}?next=%2Fadmin%2Fpages%2F{page.pk}%2Fedit%2F"' in html
    assert re.search(r'<input type="checkbox" name="umap_publish_map"[^>]*value="publish"', html)
    assert "Quand je publie la page, publier aussi la carte" in html


def test_publishing_the_page_publishes_its_map_when_ticked(admin, page_with_draft_map):
    page, map_ = page_with_draft_map
    response = admin.post(page_edit_url(page), page_post(page, **PUBLISH_BOTH))
    assert response.status_code == 302, response.content.decode()[:2000]
    map_.refresh_from_db()
    assert map_.live and not map_.has_unpublished_changes
    assert map_.title == "Travaux de l’été" and map_.live_revision == map_.latest_revision
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Carte « Travaux de l’été » publiée avec la page." in texts
    # Once published, the panel says so and offers nothing.
    html = admin.get(page_edit_url(page)).content.decode()
    assert "est publiée : la page la montre telle qu’elle est" in html
    assert "umap_publish_map" not in html


def test_unticked_or_a_draft_of_the_page_leaves_the_map_alone(admin, page_with_draft_map):
    page, map_ = page_with_draft_map
    admin.post(page_edit_url(page), page_post(page, **{"action-publish": "1"}))
    admin.post(page_edit_url(page), page_post(page, umap_publish_map="publish"))  # a draft
    map_.refresh_from_db()
    assert map_.has_unpublished_changes and map_.title == "Travaux"


def test_a_map_under_a_workflow_is_submitted_to_it_not_published(admin, page_with_draft_map):
    page, map_ = page_with_draft_map
    workflow = Workflow.objects.create(name="Relecture des cartes")
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.add(Group.objects.create(name="Relecteurs"))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(Map)
    )
    html = admin.get(page_edit_url(page)).content.decode()
    assert "soumettre aussi la carte à sa validation (« Relecture des cartes »)" in html
    response = admin.post(page_edit_url(page), page_post(page, **SUBMIT_MAP))
    map_.refresh_from_db()
    assert map_.has_unpublished_changes and map_.title == "Travaux"
    assert map_.workflow_in_progress
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Carte « Travaux de l’été » soumise à sa validation (« Relecture des cartes »)." in texts
    html = admin.get(page_edit_url(page)).content.decode()
    assert "est en cours de validation (« Relecture des cartes »)" in html


def test_a_page_editor_who_may_not_publish_maps_is_told_and_offered_nothing(
    client, django_user_model, page_with_draft_map
):
    page, map_ = page_with_draft_map
    user = django_user_model.objects.create_user("redacteur", password="pw")
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(Permission.objects.get(codename="change_map"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=page.get_parent(),
            permission=Permission.objects.get(codename=codename),
        )
    user.groups.add(group)
    client.force_login(user)
    html = client.get(page_edit_url(page)).content.decode()
    assert "La publier demande un droit que vous n’avez pas." in html
    assert "umap_publish_map" not in html
    # A forged post does not publish it either.
    client.post(page_edit_url(page), page_post(page, **PUBLISH_BOTH))
    map_.refresh_from_db()
    assert map_.has_unpublished_changes


def test_edit_the_map_comes_back_to_the_page(admin, page_with_draft_map):
    page, map_ = page_with_draft_map
    back = page_edit_url(page)
    edit = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    html = admin.get(edit, {"next": back}).content.decode()
    assert f'action="{edit}?next=%2Fadmin%2Fpages%2F{page.pk}%2Fedit%2F"' in html
    response = admin.post(f"{edit}?next={back}", draft_data(map_))
    assert response.status_code == 302 and response.url == back
    # An address of another site is not followed.
    response = admin.post(f"{edit}?next=https://example.org/", draft_data(map_))
    assert response.status_code == 302 and not response.url.startswith("https://example.org")


def draft_data(map_) -> dict:
    data = edit_data(Map.objects.get(pk=map_.pk))
    del data["action-publish"]
    return data


def test_a_new_map_page_publishes_the_draft_map_chosen_with_it(admin):
    """The chooser's "Nouvelle carte" makes a draft: a new map page published with it would
    show nothing, so the add view offers to publish whatever map is chosen."""
    home = make_home()
    draft = make_map("Bureaux de vote", publish=False)
    add = reverse("wagtailadmin_pages:add", args=["wagtail_umap", "mappage", home.pk])
    html = admin.get(add).content.decode()
    assert "publier aussi la carte choisie" in html
    assert re.search(r'name="umap_publish_map"[^>]*value="auto"', html)
    data = nested_form_data(
        {
            "title": "Bureaux de vote",
            "slug": "bureaux-de-vote",
            "intro": rich_text(""),
            "map": draft.pk,
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "1",
            "umap_publish_map": "auto",
        }
    )
    response = admin.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MapPage.objects.get(slug="bureaux-de-vote").live
    draft.refresh_from_db()
    assert draft.live and not draft.has_unpublished_changes
    assert "Carte « Bureaux de vote » publiée avec la page." in [
        str(message) for message in get_messages(response.wsgi_request)
    ]
