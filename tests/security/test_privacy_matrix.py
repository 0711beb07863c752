"""The privacy matrix: each place a map can be kept from the public (a page with a password, for
logged-in users, for some groups; an unpublished page; no page) × each URL of the map × each
kind of visitor (anonymous, who passed the page's restriction, staff of maps).

A map only some people may see answers 404 to everyone else, the same 404 as a map that does
not exist, and privately to those who may see it: never a public, let alone ``immutable``,
cache. The two public controls (a public page; shared publicly) show the matrix can fail.
"""

from __future__ import annotations

import pytest

from tests.security.privacy import (
    PRIVATE_KINDS,
    PUBLIC_KINDS,
    RESTRICTED_KINDS,
    SECRET_FEATURE,
    TITLE,
    api_titles,
    build_scene,
    log_in_as_map_staff,
    map_urls,
    pass_restriction,
    sitemap_locations,
)

pytestmark = pytest.mark.django_db


def fetch(client, url: str):
    """The answer at the end of a URL's redirects: a download redirects to its stored file."""
    return client.get(url, follow=True)


def statuses(client, scene) -> dict[str, int]:
    return {name: fetch(client, url).status_code for name, url in map_urls(scene).items()}


def assert_refused_everywhere(client, scene) -> None:
    answers = {name: fetch(client, url) for name, url in map_urls(scene).items()}
    assert {name: r.status_code for name, r in answers.items() if r.status_code != 404} == {}
    for name, response in answers.items():
        body = response.content.decode("utf-8", "replace")
        assert TITLE not in body and SECRET_FEATURE not in body, name
        # Someone else may see the map at this URL: no shared cache keeps the 404.
        assert "public" not in response.get("Cache-Control", ""), name
    assert TITLE not in api_titles(client)
    assert TITLE not in api_titles(client, "?search=registre")
    assert TITLE not in api_titles(client, "?search=vulnérables&order=title")


def assert_served_privately(client, scene) -> None:
    answers = {name: fetch(client, url) for name, url in map_urls(scene).items()}
    assert {name: r.status_code for name, r in answers.items() if r.status_code != 200} == {}
    for name, response in answers.items():
        cache_control = response["Cache-Control"]
        assert cache_control == "private, no-cache", name
        assert "Cookie" in response["Vary"], name
    assert TITLE in api_titles(client)
    assert TITLE in api_titles(client, "?search=registre")
    listing = client.get("/api/v2/maps/")
    assert listing["Cache-Control"] == "private, no-cache"
    # Its visitors may see it on this site; other sites may not frame it for them.
    assert frame_ancestors(answers["embed"]) == ["'self'"]


def frame_ancestors(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        if name == "frame-ancestors":
            return sources
    return []


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_anonymous_visitors_get_404_on_every_url(client, kind):
    scene = build_scene(kind)
    assert_refused_everywhere(client, scene)
    if scene.page is not None:
        assert not any("/plan/" in location for location in sitemap_locations(client))
    assert not any("/cartes/" in location for location in sitemap_locations(client))


@pytest.mark.parametrize("kind", RESTRICTED_KINDS)
def test_who_passed_the_restriction_gets_every_url_privately(client, kind):
    scene = build_scene(kind)
    pass_restriction(client, scene)
    page = client.get(scene.page.url)
    assert page.status_code == 200 and SECRET_FEATURE in page.content.decode()
    assert_served_privately(client, scene)
    # The sitemap is the public's: a restricted page is never in it, whoever asks.
    assert not any("/plan/" in location for location in sitemap_locations(client))


@pytest.mark.parametrize("kind", ["unpublished", "no_page"])
def test_a_logged_in_user_without_rights_has_nothing_to_pass(client, kind):
    scene = build_scene(kind)
    pass_restriction(client, scene)  # logs in a plain user: no page lets them see the map
    assert_refused_everywhere(client, scene)


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_map_staff_get_every_url_privately(client, kind):
    scene = build_scene(kind)
    log_in_as_map_staff(client)
    assert_served_privately(client, scene)


@pytest.mark.parametrize("kind", RESTRICTED_KINDS)
def test_the_oembed_of_a_restricted_page_is_never_given(client, kind):
    """oEmbed of a page URL is for public pages: other sites ask it without anyone's session."""
    from urllib.parse import quote

    scene = build_scene(kind)
    url = "/cartes/oembed/?url=" + quote(scene.page.full_url, safe="")
    assert client.get(url).status_code == 404
    pass_restriction(client, scene)
    assert client.get(url).status_code == 404


def test_passing_another_page_s_password_is_not_enough(client):
    from wagtail.models import PageViewRestriction

    from example_site.home.models import StandardPage

    scene = build_scene("password")
    other = scene.page.get_parent().add_child(instance=StandardPage(title="Autre", slug="autre"))
    restriction = PageViewRestriction.objects.create(
        page=other, restriction_type="password", password="autre"
    )
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{other.pk}/",
        {"password": "autre", "return_url": other.url},
    )
    assert_refused_everywhere(client, scene)


def test_a_group_restriction_refuses_a_logged_in_user_outside_the_groups(client):
    from django.contrib.auth import get_user_model

    scene = build_scene("groups")
    client.force_login(get_user_model().objects.create_user("stagiaire", password="x"))
    assert_refused_everywhere(client, scene)


@pytest.mark.parametrize("kind", PUBLIC_KINDS)
def test_controls_a_public_map_answers_everyone_and_may_be_cached(client, kind):
    scene = build_scene(kind)
    answers = {name: fetch(client, url) for name, url in map_urls(scene).items()}
    assert {name: r.status_code for name, r in answers.items() if r.status_code != 200} == {}
    for name, response in answers.items():
        assert "public" in response["Cache-Control"], name
    assert "immutable" in answers["layer 1 data"]["Cache-Control"]
    assert frame_ancestors(answers["embed"]) == ["'self'", "https:"]
    assert TITLE in api_titles(client)


def test_a_shared_map_on_a_restricted_page_is_public_as_its_editor_chose(client):
    scene = build_scene("password")
    scene.map.shared_publicly = True
    scene.map.save_revision().publish()
    assert set(statuses(client, scene).values()) == {200}


@pytest.mark.parametrize("kind", RESTRICTED_KINDS)
def test_the_stored_files_of_a_private_map_are_not_public(client, kind):
    """A download redirects to the file of the map's version: that URL is checked too."""
    scene = build_scene(kind)
    staff = client.__class__()
    log_in_as_map_staff(staff)
    files = [
        staff.get(url)["Location"]
        for name, url in map_urls(scene).items()
        if name.startswith(("download", "layer 1 download"))
    ]
    assert len(files) == 10 and all("/downloads/" in url for url in files)
    assert {url: client.get(url).status_code for url in files} == dict.fromkeys(files, 404)
