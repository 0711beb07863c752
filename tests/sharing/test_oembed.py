"""oEmbed: a published map's embed URL or its page's URL gives an iframe; nothing else does."""

import pytest

from example_site.home.models import StandardPage
from tests.factories import make_home, make_map
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_home("accueil-oembed", hostname="testserver")


def oembed(client, url, **params):
    return client.get("/cartes/oembed/", {"url": url, **params})


def test_embed_url_gives_a_rich_iframe(client, settings):
    map_ = make_map("Bureaux de vote")
    response = oembed(client, f"http://testserver/cartes/{map_.pk}/embed/?zoom=13&lat=47&lng=2")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == "Bureaux de vote"
    assert data["provider_name"] == settings.WAGTAIL_SITE_NAME
    assert (data["width"], data["height"]) == (800, 600)
    html = data["html"]
    assert html.startswith("<iframe ") and html.endswith("</iframe>")
    assert 'title="Bureaux de vote"' in html
    assert f'src="http://testserver/cartes/{map_.pk}/embed/?' in html
    assert "zoom=13" in html and "lat=47" in html
    assert 'loading="lazy"' in html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in html
    assert 'width="800" height="600"' in html


def test_maxwidth_and_maxheight_are_honoured(client):
    map_ = make_map()
    data = oembed(
        client, f"http://testserver/cartes/{map_.pk}/embed/", maxwidth="400", maxheight="300"
    ).json()
    assert (data["width"], data["height"]) == (400, 300)
    assert 'width="400" height="300"' in data["html"]


def test_map_page_url_gives_its_map(client, home):
    map_ = make_map("Pistes cyclables")
    page = home.add_child(instance=MapPage(title="Le vélo", slug="velo", map=map_))
    page.save_revision().publish()
    data = oembed(client, page.get_full_url()).json()
    assert data["title"] == "Pistes cyclables"
    assert f"/cartes/{map_.pk}/embed/" in data["html"]


def test_a_page_with_a_map_block_gives_its_map(client, home):
    map_ = make_map("Travaux")
    page = home.add_child(
        instance=StandardPage(
            title="Travaux",
            slug="travaux",
            body=[
                {"type": "paragraph", "value": "<p>Les chantiers</p>"},
                {"type": "map", "value": {"map": map_.pk, "height": None, "caption": ""}},
            ],
        )
    )
    page.save_revision().publish()
    data = oembed(client, page.get_full_url()).json()
    assert data["title"] == "Travaux"
    assert f"/cartes/{map_.pk}/embed/" in data["html"]


def test_map_page_carries_the_discovery_link(client, home):
    page = home.add_child(instance=MapPage(title="Le vélo", slug="velo", map=make_map()))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        'href="http://testserver/cartes/oembed/?url=http%3A%2F%2Ftestserver%2Fvelo%2F"'
    ) in html


def test_drafts_private_pages_and_unknown_urls_give_404(client, home):
    draft = make_map("Brouillon", publish=False)
    assert oembed(client, f"http://testserver/cartes/{draft.pk}/embed/").status_code == 404
    assert oembed(client, "http://testserver/cartes/999999/embed/").status_code == 404
    assert oembed(client, "http://testserver/nulle-part/").status_code == 404
    assert oembed(client, "http://ailleurs.example/cartes/1/embed/").status_code == 404
    assert oembed(client, "javascript:alert(1)").status_code == 404

    page_of_draft = home.add_child(instance=MapPage(title="Projet", slug="projet", map=draft))
    page_of_draft.save_revision().publish()
    assert oembed(client, page_of_draft.get_full_url()).status_code == 404

    unpublished = home.add_child(
        instance=MapPage(title="Pas en ligne", slug="pas-en-ligne", map=make_map(), live=False)
    )
    assert oembed(client, unpublished.get_full_url()).status_code == 404

    from wagtail.models import PageViewRestriction

    private = home.add_child(instance=MapPage(title="Privée", slug="privee", map=make_map()))
    private.save_revision().publish()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert oembed(client, private.get_full_url()).status_code == 404


def test_xml_is_not_implemented_and_url_is_required(client):
    map_ = make_map()
    url = f"http://testserver/cartes/{map_.pk}/embed/"
    assert oembed(client, url, format="xml").status_code == 501
    assert client.get("/cartes/oembed/").status_code == 400


def test_a_private_map_page_has_no_discovery_link(client, home, django_user_model):
    from wagtail.models import PageViewRestriction

    page = home.add_child(instance=MapPage(title="Le vélo", slug="velo", map=make_map()))
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    client.force_login(django_user_model.objects.create_user("agent", password="x"))
    html = client.get(page.url).content.decode()
    assert "data-umap-viewer" in html
    assert "json+oembed" not in html
