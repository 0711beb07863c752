"""The maps of a page read together (models/page_maps.py): the same queries whatever their
number, and the same answers as reading each on its own (live version, language, access)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from example_site.home.models import StandardPage
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models.page_maps import maps_on_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_home("accueil-test")


def map_blocks(*maps) -> list[dict]:
    return [{"type": "map", "value": {"map": m.pk, "height": 400, "caption": ""}} for m in maps]


def publish_page(home, slug: str, body: list[dict]) -> StandardPage:
    page = home.add_child(instance=StandardPage(title=slug, slug=slug, body=body))
    page.save_revision().publish()
    return page


def queries_of(client, url: str) -> int:
    client.get(url)  # what every page reads once (site root paths, templates) is read
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def a_map(title: str, place: str, *, shared: bool = True):
    return make_map(title, layers=[layer(title, point(2.35, 48.85, place))], shared=shared)


def test_a_page_costs_the_same_queries_with_two_maps_or_six(client, home):
    # Shared maps and maps public through their pages (which access looks up) in both.
    maps = [a_map(f"Carte {n}", f"Lieu {n}", shared=n % 2 == 0) for n in range(6)]
    two = publish_page(home, "deux", map_blocks(*maps[:2]))
    six = publish_page(home, "six", map_blocks(*maps))
    assert queries_of(client, two.url) == queries_of(client, six.url)
    html = client.get(six.url).content.decode()
    assert all(f"Lieu {n}" in html for n in range(6))


def test_maps_are_found_at_any_depth_and_on_a_map_page(home):
    from wagtail_umap.models import MapPage

    first, second = a_map("Première", "A"), a_map("Seconde", "B")
    page = publish_page(home, "page", map_blocks(first, second))
    assert [m.pk for m in maps_on_page(page)] == [first.pk, second.pk]
    map_page = home.add_child(instance=MapPage(title="Carte", slug="carte", map=second))
    assert [m.pk for m in maps_on_page(map_page)] == [second.pk]


def test_each_map_shows_its_live_version_not_its_draft(client, home):
    published, draft_only = a_map("Publiée", "Lieu publié"), a_map("Brouillon", "Lieu caché")
    draft_only.unpublish()
    edited = published.get_latest_revision_as_object()
    edited.title = "Titre en brouillon"
    edited.save_revision()
    page = publish_page(home, "page", map_blocks(published, draft_only))
    html = client.get(page.url).content.decode()
    assert "Lieu publié" in html and "Publiée" in html
    assert "Titre en brouillon" not in html
    assert "Lieu caché" not in html


def test_each_map_shows_in_the_page_language_when_translated(client, home, settings):
    english = Locale.objects.create(language_code="en")
    source, plain = a_map("Écoles", "École A"), a_map("Mairies", "Mairie A")
    translation = source.copy_for_translation(english)
    translation.title = "Schools"
    translation.save()
    translation.save_revision().publish()
    page = publish_page(home, "page", map_blocks(source, plain))
    french = client.get(page.url).content.decode()
    assert "Écoles" in french and "Schools" not in french
    english_page = page.copy_for_translation(english, copy_parents=True)
    english_page.save_revision().publish()
    html = client.get(english_page.url).content.decode()
    assert "Schools" in html and "Mairies" in html  # no English version: the source shows


def test_on_a_password_page_a_private_map_and_a_public_one_each_get_their_due(client, home):
    public = a_map("Publique", "Lieu public", shared=True)
    private = a_map("Privée", "Lieu privé", shared=False)  # on the password page only
    page = publish_page(home, "intranet", map_blocks(public, private))
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "Lieu privé" not in client.get(page.url).content.decode()  # the password form
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "secret", "return_url": page.url},
    )
    html = client.get(page.url).content.decode()
    assert "Lieu public" in html and "Lieu privé" in html
    # Who passed the password may open both maps' own URLs: the page links them.
    for map_ in (public, private):
        assert f"/cartes/{map_.pk}/download" in html
    assert client.get(f"/cartes/{private.pk}/download.geojson").status_code in (200, 302)
    client.logout()
    client.cookies.clear()
    assert client.get(f"/cartes/{private.pk}/download.geojson").status_code == 404
    assert client.get(f"/cartes/{public.pk}/download.geojson").status_code in (200, 302)
