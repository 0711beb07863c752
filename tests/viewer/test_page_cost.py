"""What a map costs its page (issue 16, part 4; docs/large-data.md, "Pages with maps").

A warm page reads nothing of its maps: the same queries as the page without them, whatever
the number of its maps and of their layers. What is kept across requests is renewed by
whatever changes the output (a new version, a basemap, a restriction), and holds no visitor's
answer: a map cached for a visitor who may see it is never served to one who may not.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import document, layer, make_home, make_map, point, publish_page
from wagtail_umap.models import BasemapSettings, CustomBasemap

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def home():
    return make_home("accueil-cout")


def map_of_layers(count: int, title: str = "Carte", *, shared: bool = True):
    layers = [layer(f"Calque {n}", point(2.3 + n / 100, 48.8, f"Lieu {n}")) for n in range(count)]
    return make_map(title, layers=layers, shared=shared)


def cold_and_warm_queries(client, url: str) -> tuple[int, int]:
    """Queries of the first render of a version (every cache empty) and of the next one."""
    client.get(url)  # what any first request of a process reads (templates, site root paths)
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_a_warm_page_reads_nothing_of_its_maps_whatever_their_layers(client, home):
    bare = publish_page(home, "sans-carte")
    pages = [publish_page(home, f"calques-{n}", map_of_layers(n)) for n in (1, 3, 6)]
    _cold, bare_warm = cold_and_warm_queries(client, bare.url)
    counts = [cold_and_warm_queries(client, page.url) for page in pages]
    assert [warm for _cold, warm in counts] == [bare_warm] * 3
    assert len({cold for cold, _warm in counts}) == 1  # the first render: constant too
    assert "Lieu 5" in client.get(pages[2].url).content.decode()


def test_a_warm_page_reads_nothing_of_its_maps_whatever_their_number(client, home):
    bare = publish_page(home, "sans-carte")
    maps = [map_of_layers(2, f"Carte {n}", shared=n != 0) for n in range(3)]
    one, three = publish_page(home, "une", maps[0]), publish_page(home, "trois", *maps)
    _cold, bare_warm = cold_and_warm_queries(client, bare.url)
    one_cold, one_warm = cold_and_warm_queries(client, one.url)
    three_cold, three_warm = cold_and_warm_queries(client, three.url)
    assert one_warm == three_warm == bare_warm
    assert one_cold == three_cold
    html = client.get(three.url).content.decode()
    assert all(f"Carte {n}" in html for n in range(3))


def test_republishing_the_map_shows_the_new_version_on_a_warm_page(client, home):
    map_ = map_of_layers(1, "Travaux")
    page = publish_page(home, "travaux", map_)
    assert "Lieu 0" in client.get(page.url).content.decode()
    assert "Lieu 0" in client.get(page.url).content.decode()  # warm
    map_.set_document(document(layer("Calque", point(2.4, 48.9, "Chantier rue Neuve"))))
    map_.title = "Travaux d’été"
    map_.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Chantier rue Neuve" in html and "Travaux d’été" in html
    assert "Lieu 0" not in html


def test_unpublishing_the_map_takes_it_off_a_warm_page(client, home):
    map_ = map_of_layers(1, "Travaux")
    page = publish_page(home, "travaux", map_)
    assert "Lieu 0" in client.get(page.url).content.decode()
    map_.unpublish()
    assert "Lieu 0" not in client.get(page.url).content.decode()


def test_changing_a_basemap_in_the_settings_shows_on_a_warm_page(client, home):
    basemap = CustomBasemap.objects.create(
        setting=BasemapSettings.load(),
        name="Cadastre",
        url="https://data.geopf.fr/ancien/{z}/{x}/{y}.png",
        attribution="© Région",
    )
    map_ = make_map("Cadastre", layers=[layer("A", point(2.35, 48.85, "A"))])
    map_.set_document(document(layer("A", point(2.35, 48.85, "A")), basemap=f"custom-{basemap.pk}"))
    map_.save_revision().publish()
    page = publish_page(home, "cadastre", map_)
    assert "/ancien/" in client.get(page.url).content.decode()
    assert "/ancien/" in client.get(page.url).content.decode()  # warm
    basemap.url = "https://data.geopf.fr/nouveau/{z}/{x}/{y}.png"
    basemap.save()
    html = client.get(page.url).content.decode()
    assert "/nouveau/" in html and "/ancien/" not in html


def test_a_map_cached_for_an_allowed_visitor_is_not_served_to_an_anonymous_one(client, home):
    private = map_of_layers(1, "Réseau interne", shared=False)  # on the restricted page only
    page = publish_page(home, "intranet", private)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    agent = get_user_model().objects.create_user("agent", password="motdepasse")
    client.force_login(agent)
    assert "Lieu 0" in client.get(page.url).content.decode()
    assert "Lieu 0" in client.get(page.url).content.decode()  # from the cache
    client.logout()
    response = client.get(page.url)
    assert response.status_code == 302  # Wagtail's login form, not the cached map
    assert "Lieu 0" not in response.content.decode()
    assert client.get(f"/cartes/{private.pk}/download.geojson").status_code == 404
    assert client.get(f"/cartes/{private.pk}/embed/").status_code == 404


def test_a_restriction_added_after_caching_takes_effect_at_once(client, home):
    from wagtail_umap.models import MapPage

    map_ = map_of_layers(1, "Quartiers", shared=False)  # public through its public page
    page = home.add_child(instance=MapPage(title="Quartiers", slug="quartiers", map=map_))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Lieu 0" in html and "json+oembed" in html  # a public map of a public page
    assert "json+oembed" in client.get(page.url).content.decode()  # warm
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302 and "Lieu 0" not in response.content.decode()
    assert client.get(f"/cartes/{map_.pk}/download.geojson").status_code == 404
    # Who may see the page sees the map, no longer offered to the world by oEmbed.
    client.force_login(get_user_model().objects.create_user("agent", password="motdepasse"))
    html = client.get(page.url).content.decode()
    assert "Lieu 0" in html and "json+oembed" not in html


def test_a_lost_cache_only_costs_a_render(client, home):
    page = publish_page(home, "travaux", map_of_layers(2, "Travaux"))
    first = client.get(page.url).content.decode()
    cache.clear()  # the generation with everything else: a new one is drawn
    assert client.get(page.url).content.decode() == first


def test_a_page_password_is_not_kept_in_the_cache(client, home):
    private = map_of_layers(1, "Intranet", shared=False)
    page = publish_page(home, "intranet", private)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-de-mairie"
    )
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "secret-de-mairie", "return_url": page.url},
    )
    assert "Lieu 0" in client.get(page.url).content.decode()
    assert "Lieu 0" in client.get(page.url).content.decode()  # from the cache
    stored = b"".join(value for value in cache._cache.values())  # LocMemCache: pickled values
    assert b"secret-de-mairie" not in stored
    client.cookies.clear()
    assert "Lieu 0" not in client.get(page.url).content.decode()  # the password form
