"""The first render of a new version, off the visitor's request: once a map (or a page showing
it) is published, a task renders the live public pages that show it, as an anonymous visitor
would, so that the first visitor finds the map's HTML in the cache; never a restricted page's,
never a private map's (docs/large-data.md, "Pages with maps")."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from example_site.home.models import StandardPage
from tests.factories import make_home, make_map
from wagtail_umap.viewer.render import CACHE_PREFIX, prewarm_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def home():
    return make_home("accueil-prechauffe")


def cached_html() -> dict[str, str]:
    """The maps' HTML in the cache (LocMemCache's store), by key."""
    keys = [key.split(":", 2)[2] for key in cache._cache if CACHE_PREFIX in key]
    return cache.get_many(keys)


def add_page(home, map_, slug: str) -> StandardPage:
    return home.add_child(
        instance=StandardPage(
            title=slug,
            slug=slug,
            body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": ""}}],
        )
    )


def publish(obj, capture) -> None:
    """Publish as the admin does: the warm-up runs once the transaction commits."""
    with capture(execute=True):
        obj.save_revision().publish()


def new_version(map_, summary: str, capture) -> None:
    map_.summary = summary
    map_.save()
    publish(map_, capture)


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_first_visitor_after_a_publish_finds_the_map_ready(
    client, home, django_capture_on_commit_callbacks
):
    map_ = make_map("Travaux")
    page = add_page(home, map_, "travaux")
    publish(page, django_capture_on_commit_callbacks)
    prewarmed = cached_html()
    assert len(prewarmed) == 1
    assert "École A" in next(iter(prewarmed.values()))

    first, html = queries_of(client, page.url)
    warm, _ = queries_of(client, page.url)
    assert cached_html() == prewarmed  # looked up, nothing new built nor kept
    assert first == warm  # no map read nor built on the first visit
    assert next(iter(prewarmed.values())) in html


def test_the_warm_up_keeps_what_the_visitors_request_would(
    client, home, django_capture_on_commit_callbacks
):
    page = add_page(home, make_map("Travaux"), "travaux")
    publish(page, django_capture_on_commit_callbacks)
    prewarmed = cached_html()
    cache.delete_many(list(prewarmed))  # the generations stay: the same keys come back
    client.get(page.url)
    assert cached_html() == prewarmed


def test_publishing_a_new_version_of_the_map_warms_its_pages(
    client, home, django_capture_on_commit_callbacks
):
    map_ = make_map("Travaux")
    page = add_page(home, map_, "travaux")
    publish(page, django_capture_on_commit_callbacks)
    client.get(page.url)
    before = cached_html()

    new_version(map_, "Rue Pasteur fermée", django_capture_on_commit_callbacks)
    renewed = cached_html()
    added = {key: html for key, html in renewed.items() if key not in before}
    assert len(added) == 1
    assert "Rue Pasteur fermée" in next(iter(added.values()))
    html = client.get(page.url).content.decode()
    assert "Rue Pasteur fermée" in html
    assert cached_html() == renewed  # the visitor built nothing


def test_nothing_is_rendered_again_when_nothing_changed(home, django_capture_on_commit_callbacks):
    page = add_page(home, make_map("Travaux"), "travaux")
    publish(page, django_capture_on_commit_callbacks)
    assert prewarm_page(StandardPage.objects.get(pk=page.pk)) == []
    cache.clear()  # new generations: the page is rendered again
    assert prewarm_page(StandardPage.objects.get(pk=page.pk)) == [page.locale.language_code]


def test_a_restricted_page_is_not_prewarmed(client, home, django_capture_on_commit_callbacks):
    map_ = make_map("Réservé", shared=False)
    page = add_page(home, map_, "reserve")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    publish(page, django_capture_on_commit_callbacks)
    new_version(map_, "Nouvelle version", django_capture_on_commit_callbacks)
    assert cached_html() == {}
    assert prewarm_page(StandardPage.objects.get(pk=page.pk)) == []
    assert cached_html() == {}


def test_a_private_map_is_not_prewarmed(home, django_capture_on_commit_callbacks):
    """A map neither shared nor shown on a public page: publishing it renders nothing."""
    map_ = make_map("Privée", shared=False)
    restricted = add_page(home, map_, "privee")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    publish(restricted, django_capture_on_commit_callbacks)
    new_version(map_, "Nouvelle version", django_capture_on_commit_callbacks)
    unpublished_map = make_map("Jamais montrée", shared=False)
    new_version(unpublished_map, "Autre version", django_capture_on_commit_callbacks)
    assert cached_html() == {}


def test_a_restricted_page_still_renders_on_its_first_visit(
    client, admin_user, home, django_capture_on_commit_callbacks
):
    page = add_page(home, make_map("Réservé", shared=False), "reserve")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    publish(page, django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    assert "École A" in client.get(page.url).content.decode()
