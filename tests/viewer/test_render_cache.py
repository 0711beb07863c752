"""The viewer's cached HTML: the same page twice gives the same HTML, and whatever changes the
map (a new version, the language, the block's options) changes what the citizen gets.
The feature list written in Python escapes like the template did."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import translation

from example_site.home.models import StandardPage
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.templatetags.wagtail_umap import umap_feature_items
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.map import FeatureItem
from wagtail_umap.viewer.render import CACHE_PREFIX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def home():
    return make_home("accueil-cache")


def map_page(home, map_, slug="carte", caption="Légende") -> StandardPage:
    page = home.add_child(
        instance=StandardPage(
            title="Carte",
            slug=slug,
            body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": caption}}],
        )
    )
    page.save_revision().publish()
    return page


def cached_keys() -> list[str]:
    return [key for key in cache._cache if CACHE_PREFIX in key]  # LocMemCache's store


def test_a_second_render_comes_from_the_cache_and_is_the_same(client, home):
    page = map_page(home, make_map("Écoles"))
    first = client.get(page.url).content.decode()
    assert len(cached_keys()) == 1
    second = client.get(page.url).content.decode()
    assert second == first
    assert "École A" in second


def test_publishing_a_new_version_shows_the_new_content(client, home):
    map_ = make_map("Écoles")
    page = map_page(home, map_)
    assert "École A" in client.get(page.url).content.decode()

    map_.set_document(
        {"version": 1, "options": {}, "layers": [layer("Écoles", point(2.3, 48.8, "École B"))]}
    )
    map_.save()
    map_.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "École B" in html
    assert "École A" not in html


def test_a_draft_is_never_shown_from_the_cache(client, home):
    map_ = make_map("Version publiée")
    page = map_page(home, map_)
    client.get(page.url)
    draft = map_.get_latest_revision_as_object()
    draft.title = "Version brouillon"
    draft.save_revision()
    html = client.get(page.url).content.decode()
    assert "Version publiée" in html
    assert "Version brouillon" not in html


def render_viewer(map_) -> str:
    template = Template("{% load wagtail_umap %}{% umap_viewer viewer_map %}")
    return template.render(Context({"viewer_map": viewer_map_for(map_)}))


def test_each_language_has_its_own_html():
    map_ = make_map("Écoles")
    with translation.override("fr"):
        french = render_viewer(map_)
    with translation.override("en"):
        english = render_viewer(map_)
    with translation.override("fr"):
        assert render_viewer(map_) == french  # from the cache
    assert len(cached_keys()) == 2
    assert "Voir sur la carte" in french
    assert "Show on the map" not in french
    assert "Show on the map" in english
    assert "Voir sur la carte" not in english


def test_the_block_options_are_part_of_the_key(client, home):
    map_ = make_map("Écoles")
    first = map_page(home, map_, slug="une", caption="Première légende")
    second = map_page(home, map_, slug="deux", caption="Seconde légende")
    assert "Première légende" in client.get(first.url).content.decode()
    html = client.get(second.url).content.decode()
    assert "Seconde légende" in html
    assert "Première légende" not in html


def test_a_preview_is_never_cached(rf, home, admin_user):
    page = map_page(home, make_map("Écoles"))
    request = rf.get(page.url)
    request.user = admin_user
    html = page.make_preview_request(request).content.decode()
    assert "École A" in html
    assert cached_keys() == []


def test_the_cache_can_be_turned_off(client, home, settings):
    settings.WAGTAIL_UMAP = {"VIEWER_CACHE_TIMEOUT": 0}
    page = map_page(home, make_map("Écoles"))
    assert "École A" in client.get(page.url).content.decode()
    assert cached_keys() == []


def test_feature_items_escape_names_and_descriptions():
    item = FeatureItem(
        key="l1:0",
        dom_id="m-layer-0-feature-0",
        number=1,
        name='<script>alert("x")</script>',
        has_name=True,
        description="Ligne 1 & <b>\nLigne 2",
        locatable=True,
        note="taux < 5 %",
    )
    with translation.override("fr"):
        html = str(umap_feature_items([item]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Ligne 1 &amp; &lt;b&gt;<br>Ligne 2" in html
    assert "taux &lt; 5 %" in html
    assert "Voir sur la carte" in html


def test_an_unnamed_feature_is_marked_and_an_unlocatable_one_has_no_button():
    item = FeatureItem(
        key="l1:3",
        dom_id="m-feature-3",
        number=4,
        name="Élément sans nom nᵒ 4",
        has_name=False,
        description="",
        locatable=False,
    )
    html = str(umap_feature_items([item]))
    assert "umap-viewer__feature-name--unnamed" in html
    assert "umap-viewer__locate" not in html
    assert "umap-viewer__feature-description" not in html
