"""After a publish, the next step: “Put this map on a page” (a MapPage made in one form), the
map's usage, the "New maps" settings that choose its parent, and Publish as the main button."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Site

from tests.editor.test_admin import edit_data
from tests.factories import make_home, make_map
from wagtail_umap.models import MapPage, MapSiteSettings

pytestmark = pytest.mark.django_db


def place_url(map_) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:place", args=[map_.pk])


def edit_url(map_) -> str:
    return reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])


def test_publishing_a_map_on_no_page_goes_on_to_put_it_on_a_page(admin):
    make_home()
    map_ = make_map("Fête de la musique")
    response = admin.post(edit_url(map_), edit_data(map_))
    assert response.status_code == 302 and response.url == place_url(map_)
    [message] = list(get_messages(response.wsgi_request))
    assert "Carte « Fête de la musique » publiée" in str(message)
    assert "sur aucune page du site" in str(message)
    assert "(e)" not in str(message)


def test_publishing_a_map_in_use_returns_to_the_list_with_the_action(admin):
    home = make_home()
    map_ = make_map("Travaux")
    home.add_child(instance=MapPage(title="Travaux", slug="travaux", map=map_))
    response = admin.post(edit_url(map_), edit_data(map_))
    assert response.url == reverse("wagtailsnippets_wagtail_umap_map:list")
    [message] = list(get_messages(response.wsgi_request))
    # Wagtail renders the message's buttons into it; the next step comes first.
    html = str(message)
    assert "les visiteurs la voient là où elle est utilisée (1 endroit)" in html
    assert f'href="{place_url(map_)}"' in html
    assert html.index("Mettre cette carte sur une page") < html.index("Modifier")


def test_a_draft_save_says_visitors_do_not_see_it(admin):
    map_ = make_map("Travaux")
    data = edit_data(map_)
    del data["action-publish"]
    response = admin.post(edit_url(map_), data)
    [message] = list(get_messages(response.wsgi_request))
    assert "brouillon" in str(message)
    assert "(e)" not in str(message)


def test_place_form_starts_with_the_map_title_and_the_home_page(admin):
    home = make_home()
    map_ = make_map("Bureaux de vote")
    response = admin.get(place_url(map_))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"title": "Bureaux de vote", "parent": home.pk}
    html = response.content.decode()
    assert "Sur aucune page pour l’instant" in html


def test_publish_the_page_puts_the_map_on_the_site(admin, client):
    home = make_home()
    map_ = make_map("Fête de la musique")
    response = admin.post(
        place_url(map_),
        {"title": "Fête de la musique 2027", "parent": home.pk, "action-publish": "1"},
    )
    page = MapPage.objects.get()
    assert page.live and page.map == map_
    assert page.get_parent().pk == home.pk
    assert page.slug == "fete-de-la-musique-2027"
    assert response.status_code == 302 and response.url.endswith("/fete-de-la-musique-2027/")
    # The public page shows the map; the place screen now lists where the map is used.
    public = client.get(response.url, HTTP_HOST="localhost")
    assert public.status_code == 200 and "data-umap-viewer" in public.content.decode()
    html = admin.get(place_url(map_)).content.decode()
    assert "Fête de la musique 2027" in html and "publiée" in html


def test_a_second_page_gets_its_own_slug(admin):
    home = make_home()
    map_ = make_map("Travaux")
    for _ in range(2):
        admin.post(place_url(map_), {"title": "Travaux", "parent": home.pk, "action-publish": "1"})
    assert sorted(MapPage.objects.values_list("slug", flat=True)) == ["travaux", "travaux-1"]


def test_create_as_draft_opens_the_page_editor(admin):
    home = make_home()
    map_ = make_map("Travaux")
    response = admin.post(place_url(map_), {"title": "Travaux", "parent": home.pk})
    page = MapPage.objects.get()
    assert not page.live
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_the_parent_comes_from_the_site_settings(admin):
    home = make_home()
    news = home.add_child(instance=MapPage(title="Actualités", slug="actualites"))
    MapSiteSettings.objects.create(site=Site.objects.get(), map_page_parent=news)
    map_ = make_map("Travaux")
    form = admin.get(place_url(map_)).context["form"]
    assert form.initial["parent"] == news.pk


def test_a_parent_that_refuses_map_pages_is_a_clear_error(admin, monkeypatch):
    home = make_home()
    map_ = make_map("Travaux")
    # A site whose page types do not allow a map page there (subpage_types, max_count…).
    monkeypatch.setattr(MapPage, "can_create_at", classmethod(lambda cls, parent: False))
    response = admin.post(place_url(map_), {"title": "Travaux", "parent": home.pk})
    assert response.status_code == 200
    assert "Une page carte ne peut pas aller sous « Accueil »" in response.content.decode()
    assert not MapPage.objects.exists()


def test_page_editors_without_map_permissions_may_not_use_it(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("pages", "p@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    home = make_home()
    map_ = make_map("Travaux")
    # Wagtail turns the refusal into a return to the dashboard with its "no permission" message.
    assert client.get(place_url(map_)).url == "/admin/"
    data = {"title": "T", "parent": home.pk, "action-publish": "1"}
    response = client.post(place_url(map_), data)
    assert response.url == "/admin/" and not MapPage.objects.exists()


def test_publish_is_the_main_button_and_french_is_correct(admin):
    html = admin.get(reverse("wagtailsnippets_wagtail_umap_map:add")).content.decode()
    footer = html[html.index("<footer") :]
    assert footer.index('name="action-publish"') < footer.index("Enregistrer le brouillon")
    assert "Nouvelle carte" in html
    listing = admin.get(reverse("wagtailsnippets_wagtail_umap_map:list")).content.decode()
    assert "Ajouter une carte" in listing and "un(e)" not in listing


def test_default_view_needs_all_three_values():
    from django.core.exceptions import ValidationError

    settings = MapSiteSettings(default_latitude=47.5, default_longitude=None, default_zoom=13)
    with pytest.raises(ValidationError):
        settings.clean()
    settings.default_longitude = 2.85
    settings.clean()
    assert settings.default_view() == {"center": {"lat": 47.5, "lng": 2.85}, "zoom": 13}


def test_a_page_outside_every_site_opens_in_the_page_editor(admin):
    from example_site.home.models import StandardPage
    from tests.factories import root_page

    make_home()
    archive = root_page().add_child(instance=StandardPage(title="Archives", slug="archives"))
    map_ = make_map("Travaux 2019")
    response = admin.post(
        place_url(map_), {"title": "Travaux 2019", "parent": archive.pk, "action-publish": "1"}
    )
    page = MapPage.objects.get(map=map_)
    assert page.live  # published, but no site serves it: its editor, not a broken address
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
