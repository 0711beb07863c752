"""Maps on pages: MapBlock, LocationBlock and MapPage, as the public and as an editor see them."""

import pytest
from django.contrib.auth import get_user_model

from example_site.home.models import StandardPage
from tests.factories import location_block, make_home, make_map
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_home("accueil-test")


def page_with_blocks(home, map_, **block) -> StandardPage:
    page = home.add_child(
        instance=StandardPage(
            title="Travaux",
            slug="travaux",
            body=[
                {
                    "type": "map",
                    "value": {"map": map_.pk, "height": 400, "caption": "Légende", **block},
                },
                location_block(name="Mairie", lat=47.5, lng=2.85),
            ],
        )
    )
    page.save_revision().publish()
    return page


def test_map_block_shows_a_live_map(client, home):
    map_ = make_map("Travaux de voirie")
    page = page_with_blocks(home, map_)
    html = client.get(page.url).content.decode()
    assert "Travaux de voirie" in html
    assert "École A" in html  # the feature list, without JavaScript
    assert "Légende" in html
    assert "Mairie" in html and "1 place de la Mairie" in html  # the location block
    assert html.count("leaflet/leaflet.js") == 1


def test_map_block_shows_nothing_of_a_draft_map_to_the_public(client, home):
    map_ = make_map("Carte secrète", publish=False)
    page = page_with_blocks(home, map_)
    html = client.get(page.url).content.decode()
    assert "Carte secrète" not in html
    assert "École A" not in html


def test_map_block_shows_the_live_version_not_the_draft(client, home):
    map_ = make_map("Version publiée")
    draft = map_.get_latest_revision_as_object()
    draft.title = "Version brouillon"
    draft.save_revision()
    page = page_with_blocks(home, map_)
    html = client.get(page.url).content.decode()
    assert "Version publiée" in html
    assert "Version brouillon" not in html


def test_map_page_shows_its_map(client, home):
    map_ = make_map("Réseau cyclable")
    page = home.add_child(
        instance=MapPage(title="Le vélo", slug="velo", intro="<p>Intro vélo</p>", map=map_)
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<h1>Le vélo</h1>" in html
    assert "Intro vélo" in html
    assert "Réseau cyclable" in html and "École A" in html


def test_a_map_page_named_as_its_map_shows_the_title_once(client, home):
    map_ = make_map("Réseau cyclable")
    same = home.add_child(instance=MapPage(title="Réseau  cyclable", slug="reseau", map=map_))
    other = home.add_child(instance=MapPage(title="Le vélo", slug="velo", map=map_))
    for page in (same, other):
        page.save_revision().publish()
    hidden = 'class="umap-viewer__title umap-visually-hidden"'
    html = client.get(same.url).content.decode()
    assert hidden in html  # still a heading for screen readers, under the page's <h1>
    assert hidden not in client.get(other.url).content.decode()


def test_map_page_of_an_unpublished_map_shows_no_map(client, home):
    map_ = make_map("Brouillon", publish=False)
    page = home.add_child(instance=MapPage(title="Le vélo", slug="velo", map=map_))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Brouillon" not in html
    assert "data-umap-viewer" not in html


def test_public_pages_carry_a_strict_csp(client, home):
    page = page_with_blocks(home, make_map())
    policy = client.get(page.url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_reference_index_lists_pages_using_a_map(
    admin_client, home, django_capture_on_commit_callbacks
):
    map_ = make_map("Utilisée")
    # Wagtail 7 updates the reference index on commit: run it within the test's transaction.
    with django_capture_on_commit_callbacks(execute=True):
        page = page_with_blocks(home, map_)
    html = admin_client.get(f"/admin/snippets/wagtail_umap/map/usage/{map_.pk}/").content.decode()
    assert page.title in html


def test_page_preview_tells_the_editor_a_map_is_not_published(rf, home, admin_user):
    map_ = make_map("Carte non publiée", publish=False)
    page = page_with_blocks(home, map_)
    request = rf.get(page.url)
    request.user = admin_user
    html = page.make_preview_request(request).content.decode()
    assert "Carte non publiée" in html
    assert "n’est pas publiée" in html
    assert "École A" not in html


def test_a_restricted_page_loads_large_layers_from_data_urls_that_answer_its_visitors_only(
    client, home, settings
):
    import re

    from wagtail.models import PageViewRestriction

    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Carte interne", shared=False)
    page = page_with_blocks(home, map_)
    assert "/cartes/data/" in client.get(page.url).content.decode()

    PageViewRestriction.objects.create(page=page, restriction_type="login")
    found = re.findall(r"/cartes/data/\d+/[0-9a-f]{64}\.geojson", page_html(client, page))
    (data_url,) = set(found)
    assert client.get(data_url).status_code == 404  # not logged in: not for them

    client.force_login(get_user_model().objects.create_user("agent", password="x"))
    html = client.get(page.url).content.decode()
    assert "Carte interne" in html and data_url in html
    response = client.get(data_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def page_html(client, page) -> str:
    """The page as a logged-in visitor sees it, for the URLs it links; then logged out."""
    client.force_login(get_user_model().objects.get_or_create(username="lecteur")[0])
    html = client.get(page.url).content.decode()
    client.logout()
    return html


def test_a_restricted_page_inlines_the_map_when_the_reference_index_does_not_know_it(
    client, home, settings
):
    """Fail closed: without the reference, the map's URLs would 404 for the page's visitors, so
    the page carries every layer itself and offers no download."""
    from wagtail.models import PageViewRestriction, ReferenceIndex

    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map("Carte interne", shared=False)
    page = page_with_blocks(home, map_)
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    ReferenceIndex.objects.all().delete()
    client.force_login(get_user_model().objects.create_user("agent", password="x"))
    html = client.get(page.url).content.decode()
    assert "Carte interne" in html and "École A" in html
    assert "/cartes/data/" not in html
    assert "/download." not in html


def test_maps_keep_the_same_ids_on_every_visit(client, home):
    """Permalinks name a map by its id in the page: it must not change between visits."""
    import re

    map_ = make_map()
    page = page_with_blocks(home, map_)
    first = re.findall(
        r'<section class="umap-viewer" id="([\w-]+)"', client.get(page.url).content.decode()
    )
    second = re.findall(
        r'<section class="umap-viewer" id="([\w-]+)"', client.get(page.url).content.decode()
    )
    assert first == second == [f"umap-{map_.pk}", "umap-location"]
