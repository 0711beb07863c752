"""A map page's map edited inside the page's editor (issue 19): the framed edit view saves a
draft of the map, lets only this site frame it, refuses who may not edit maps without leaving
the frame, and the page's panel offers it only to who may edit maps."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.editor.test_admin import edit_data
from tests.editor.test_page_map import page_edit_url
from tests.editor.test_stale_save import WAGTAIL_KNOWS_THE_BASE
from tests.factories import make_home, make_map
from wagtail_umap.models import Map, MapPage

pytestmark = pytest.mark.django_db


def inline_url(map_) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:inline", args=[map_.pk])


@pytest.fixture
def map_page():
    home = make_home()
    map_ = make_map("Marché de Noël")
    page = home.add_child(instance=MapPage(title="Marché", slug="marche", map=map_))
    page.save_revision().publish()
    return page


def save_draft_data(map_, **overrides) -> dict:
    data = {**edit_data(map_), **overrides}
    del data["action-publish"]  # "Save draft" is the form's plain submit
    return data


def test_the_framed_editor_has_no_admin_around_it_and_only_this_site_may_frame_it(
    admin,
    map_page,
    settings,
):
    # The example site leaves its admin out of its CSP; a site may not.
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    policy.pop("EXCLUDE_URL_PREFIXES")
    settings.CONTENT_SECURITY_POLICY = policy
    response = admin.get(inline_url(map_page.map))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]  # the rest is the site's
    html = response.content.decode()
    assert 'data-controller="umap-editor"' in html  # the map's own editor
    assert "wagtail-sidebar" not in html and "w-slim-header" not in html
    assert "Carte : Marché de Noël — éditeur" in html  # its level-one heading
    assert "Enregistrer le brouillon de la carte" in html
    assert 'name="action-publish"' not in html  # the map is published with the page
    # Wagtail's other views keep their policy: no frame at all.
    edit = admin.get(reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_page.map.pk]))
    assert edit["X-Frame-Options"] == "DENY"


def test_a_save_in_the_frame_is_a_draft_of_the_map_and_stays_in_the_frame(
    admin,
    map_page,
):
    map_ = map_page.map
    response = admin.post(inline_url(map_), save_draft_data(map_, title="Marché de Noël 2026"))
    assert response.status_code == 302
    assert response["Location"] == inline_url(map_) + "?saved=1"
    stored = Map.objects.get(pk=map_.pk)
    assert stored.latest_revision.object_str == "Marché de Noël 2026"
    assert stored.live and stored.has_unpublished_changes and stored.title == "Marché de Noël"
    # The page shown after the save tells the panel the map's new state and the offer.
    html = admin.get(response["Location"]).content.decode()
    assert 'data-just-saved="true"' in html
    assert "a des modifications que les visiteurs ne voient pas encore" in html
    assert 'name="umap_publish_map"' in html and 'value="publish"' in html


@pytest.mark.skipif(
    not WAGTAIL_KNOWS_THE_BASE, reason="this Wagtail does not say which revision a form had"
)
def test_a_stale_save_in_the_frame_is_refused_as_in_the_full_editor(
    admin,
    map_page,
):
    map_ = map_page.map
    data = save_draft_data(map_, title="Ancienne version")
    map_.title = "Plus récente"
    map_.save_revision()
    response = admin.post(inline_url(map_), data)
    assert response.status_code == 200  # the form again, with Wagtail's message
    assert Map.objects.get(pk=map_.pk).latest_revision.object_str == "Plus récente"


def page_editor_without_map_rights(django_user_model, page):
    user = django_user_model.objects.create_user("redacteur", password="pw")
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=page.get_parent(),
            permission=Permission.objects.get(codename=codename),
        )
    user.groups.add(group)
    return user


def test_who_may_not_edit_maps_gets_no_editor_in_the_page_nor_in_the_frame(
    client, django_user_model, map_page
):
    client.force_login(page_editor_without_map_rights(django_user_model, map_page))
    html = client.get(page_edit_url(map_page)).content.decode()
    assert "Vous ne pouvez pas modifier les cartes" in html
    assert '<iframe class="umap-map-on-page__iframe"' not in html
    assert 'data-umap-inline-map-target="toggle"' not in html
    response = client.get(inline_url(map_page.map))
    assert response.status_code == 403
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the refusal shows in the frame
    assert "Vous ne pouvez pas modifier cette carte." in response.content.decode()
    before = Map.objects.get(pk=map_page.map.pk).latest_revision_id
    client.post(inline_url(map_page.map), save_draft_data(map_page.map, title="Forgé"))
    assert Map.objects.get(pk=map_page.map.pk).latest_revision_id == before


def test_the_page_editor_offers_the_map_here_and_a_new_page_offers_to_create_one(
    admin,
    map_page,
):
    html = admin.get(page_edit_url(map_page)).content.decode()
    assert "Modifier la carte ici" in html
    assert f'data-umap-inline-map-url-value="{inline_url(map_page.map)}"' in html
    assert 'title="Carte : Marché de Noël — éditeur"' in html
    add = reverse(
        "wagtailadmin_pages:add", args=["wagtail_umap", "mappage", map_page.get_parent().pk]
    )
    html = admin.get(add).content.decode()
    assert "« Nouvelle carte »" in html  # the chooser's tab creates one; its editor opens here


def test_after_an_autosave_the_panel_asks_the_map_state_alone(
    admin,
    map_page,
):
    map_ = map_page.map
    map_.title = "Marché de Noël (brouillon)"
    map_.save_revision()  # what Wagtail's autosave does in the frame
    response = admin.get(inline_url(map_) + "?state=1")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert html.lstrip().startswith("<template data-umap-map-state")
    assert "Brouillon de la carte enregistré automatiquement." in html
    assert 'name="umap_publish_map"' in html and 'value="publish"' in html
    assert 'data-controller="umap-editor"' not in html  # the state, not the editor


def test_a_map_locked_by_someone_else_has_no_save_in_the_frame(
    admin,
    map_page,
    django_user_model,
):
    other = django_user_model.objects.create_superuser("autre", "a@example.org", "pw")
    map_ = map_page.map
    map_.locked, map_.locked_by = True, other
    map_.save()
    html = admin.get(inline_url(map_)).content.decode()
    assert "Cette carte est verrouillée : elle ne peut pas être enregistrée maintenant." in html
    assert "Enregistrer le brouillon de la carte" not in html
