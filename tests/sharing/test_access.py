"""Who may see a map (models/access.py): where it is published decides, its translations
counted, aliases and sections followed as Wagtail follows them, and the reference index failing
closed (docs/sharing.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction, ReferenceIndex

from example_site.home.models import StandardPage
from tests.factories import layer, make_home, make_map, point, root_page
from wagtail_umap.models import Map, MapPage
from wagtail_umap.models.access import visibilities

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_home("accueil-acces")


def map_page(parent, map_, slug="plan", **kwargs):
    page = parent.add_child(instance=MapPage(title=slug.capitalize(), slug=slug, map=map_))
    page.save_revision().publish()
    return page


def embed_status(client, map_) -> int:
    return client.get(f"/cartes/{map_.pk}/embed/").status_code


def test_a_published_map_on_no_page_is_private_until_shared(client):
    map_ = make_map("Carte seule", shared=False)
    assert not map_.visibility().public
    assert embed_status(client, map_) == 404
    map_.shared_publicly = True
    draft_revision = map_.save_revision()
    assert embed_status(client, map_) == 404  # a setting takes effect when published
    draft_revision.publish()
    assert embed_status(client, map_) == 200


def test_a_public_page_makes_the_map_public(client, home):
    map_ = make_map(shared=False)
    map_page(home, map_)
    assert map_.visibility().public
    assert embed_status(client, map_) == 200


def test_a_draft_page_is_not_a_use(client, home):
    map_ = make_map(shared=False)
    home.add_child(instance=MapPage(title="Brouillon", slug="brouillon", map=map_, live=False))
    assert map_.visibility().uses == ()
    assert embed_status(client, map_) == 404


def test_a_restriction_on_an_ancestor_counts(client, home):
    map_ = make_map(shared=False)
    section = home.add_child(instance=StandardPage(title="Intranet", slug="intranet"))
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    map_page(section, map_)
    (use,) = map_.visibility().uses
    assert not use.public
    assert embed_status(client, map_) == 404
    client.force_login(get_user_model().objects.create_user("agent", password="x"))
    assert embed_status(client, map_) == 200


def test_an_alias_of_a_restricted_page_keeps_its_restriction(client, home):
    """Wagtail serves an alias under the restrictions of its source page: an alias placed in a
    public section does not make the map public."""
    map_ = make_map(shared=False)
    page = map_page(home, map_)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    section = home.add_child(instance=StandardPage(title="Public", slug="public"))
    alias = page.create_alias(parent=section, update_slug="alias-du-plan")
    assert alias.live and alias.alias_of_id == page.pk
    assert len(map_.visibility().uses) == 2
    assert not map_.visibility().public
    assert embed_status(client, map_) == 404


def test_a_live_page_outside_every_site_shows_the_map_to_nobody(client, home):
    map_ = make_map(shared=False)
    orphan = root_page().add_child(instance=MapPage(title="Hors site", slug="hors-site", map=map_))
    orphan.save_revision().publish()
    assert not map_.visibility().public
    assert embed_status(client, map_) == 404


def english():
    return Locale.objects.get_or_create(language_code="en")[0]


def translate(map_) -> Map:
    translation = map_.copy_for_translation(english())
    translation.title = "Register"
    translation.save()
    translation.save_revision().publish()
    return translation


def test_a_translation_is_seen_by_the_same_people_as_its_source(client, home):
    map_ = make_map(shared=False)
    translation = translate(map_)
    page = map_page(home, map_)
    assert embed_status(client, translation) == 200  # the French page is public
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert embed_status(client, translation) == 404
    client.force_login(get_user_model().objects.create_user("agent", password="x"))
    assert embed_status(client, translation) == 200


def test_the_uses_of_a_translation_count_for_the_source(client, home):
    """An English page shows the English map: its uses count for the French one too."""
    map_ = make_map(shared=False)
    translation = translate(map_)
    map_page(home, translation, slug="plan-en")
    assert map_.visibility().public
    assert embed_status(client, map_) == 200


def test_sharing_one_translation_shares_the_map(client):
    map_ = make_map(shared=False)
    translation = translate(map_)
    translation.shared_publicly = True
    translation.save_revision().publish()
    assert embed_status(client, map_) == 200


def test_an_empty_reference_index_fails_closed(client, home, settings):
    """Without the references, a map shown on a public page counts as shown nowhere: its own
    URLs answer 404, the page still shows it (every layer inline, no download)."""
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 10}
    map_ = make_map(shared=False)
    page = map_page(home, map_)
    assert "/cartes/data/" in client.get(page.url).content.decode()
    ReferenceIndex.objects.all().delete()
    assert embed_status(client, map_) == 404
    html = client.get(page.url).content.decode()
    assert "École A" in html
    assert "/cartes/data/" not in html and "/download." not in html
    assert "json+oembed" not in html


def test_a_public_page_of_a_private_map_is_the_same_for_staff_and_public(client, home):
    """A page anyone may see is not made for one visitor: staff get the same HTML (it may be
    cached), without the URLs the public could not open."""
    map_ = make_map(shared=False)
    page = map_page(home, map_)
    ReferenceIndex.objects.all().delete()
    anonymous = client.get(page.url).content.decode()
    client.force_login(get_user_model().objects.create_superuser("admin", "a@b.fr", "x"))
    assert client.get(page.url).content.decode().count("/download.") == anonymous.count(
        "/download."
    )


def test_visibilities_take_the_same_queries_for_one_map_or_twenty(home):
    maps = [make_map(f"Carte {n}", shared=False) for n in range(20)]
    for number, map_ in enumerate(maps):
        map_page(home, map_, slug=f"plan-{number}")
    visibilities(maps[:1])  # content types and the sites' root paths are cached from now on
    with CaptureQueriesContext(connection) as one:
        visibilities(maps[:1])
    with CaptureQueriesContext(connection) as twenty:
        result = visibilities(maps)
    assert all(visibility.public for visibility in result.values())
    assert len(twenty) == len(one) <= 6


def test_the_denial_is_the_404_of_a_map_that_does_not_exist(client):
    map_ = make_map(shared=False)
    denied = client.get(f"/cartes/{map_.pk}/embed/")
    missing = client.get("/cartes/999999/embed/")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content
    assert denied["Cache-Control"] == missing["Cache-Control"] == "private, no-cache"
    assert denied["Vary"] == missing["Vary"]
    oembed = "/cartes/oembed/?url=http%3A%2F%2Ftestserver%2Fcartes%2F{}%2Fembed%2F"
    denied, missing = client.get(oembed.format(map_.pk)), client.get(oembed.format(999999))
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content
    assert denied["Cache-Control"] == missing["Cache-Control"]


def test_staff_means_a_permission_on_maps(client):
    from django.contrib.auth.models import Permission

    map_ = make_map(shared=False)
    user = get_user_model().objects.create_user("redac", password="x", is_staff=True)
    client.force_login(user)
    assert embed_status(client, map_) == 404  # is_staff alone: no
    user.user_permissions.add(Permission.objects.get(codename="change_map"))
    assert embed_status(client, map_) == 200


def test_a_private_embed_may_be_framed_by_this_site_only(client):
    map_ = make_map(shared=False)
    client.force_login(get_user_model().objects.create_superuser("admin", "a@b.fr", "x"))
    response = client.get(f"/cartes/{map_.pk}/embed/")
    assert "frame-ancestors 'self';" in response["Content-Security-Policy"] + ";"
    assert response["Cache-Control"] == "private, no-cache"


def test_a_map_page_and_a_map_block_are_two_uses(home):
    map_ = make_map(shared=False, layers=[layer("A", point(1, 2, "x"))])
    map_page(home, map_)
    page = home.add_child(
        instance=StandardPage(
            title="Bloc",
            slug="bloc",
            body=[{"type": "map", "value": {"map": map_.pk, "height": 400, "caption": ""}}],
        )
    )
    page.save_revision().publish()
    assert len(map_.visibility().uses) == 2


def test_a_draft_that_adds_the_map_to_a_public_page_does_not_publish_it(client, home):
    """Some Wagtail versions index a draft's references (the page in memory when its revision
    is saved): the map counts only if the published page shows it."""
    from django.db import transaction

    map_ = make_map(shared=False)
    page = home.add_child(instance=MapPage(title="Actualités", slug="actualites"))
    page.save_revision().publish()
    page.map = map_
    page.save_revision()  # a draft that shows the map
    with transaction.atomic():  # what such a Wagtail does with the page in memory
        ReferenceIndex.create_or_update_for_object(page)
    assert ReferenceIndex.get_references_to(map_).exists()
    assert not map_.visibility().public
    assert embed_status(client, map_) == 404
    page.get_latest_revision().publish()
    assert embed_status(client, map_) == 200
