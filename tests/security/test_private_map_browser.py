"""In Chromium: a map shown only on a password page is nowhere for an anonymous visitor (404 on
every URL of the map); once the visitor has typed the page's password, the page shows the whole
map, its large layer loaded from a data URL that answers them privately."""

from __future__ import annotations

import re

import pytest
from wagtail.models import PageViewRestriction

from tests.browser.helpers import viewer_of, wait_until_ready
from tests.factories import layer, make_home, make_map, point
from tests.security.privacy import PASSWORD, Scene, map_urls
from wagtail_umap.models import MapPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Plan communal de sauvegarde"
LARGE = 150  # features of the large layer: about 20 kB, over the inline limit below


@pytest.fixture
def password_page(transactional_db, live_server, settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 2_000}
    home = make_home()
    map_ = make_map(
        TITLE,
        shared=False,
        layers=[
            layer("Points de rassemblement", point(2.85, 47.5, "Gymnase")),
            layer(
                "Personnes à contacter",
                *[point(2.8 + n / 1000, 47.45 + n / 2000, f"Foyer {n + 1}") for n in range(LARGE)],
            ),
        ],
    )
    page = home.add_child(instance=MapPage(title="Plan de crise", slug="plan", map=map_))
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password=PASSWORD
    )
    return Scene("password", map_, page, restriction)


def get_statuses(page, live_server, urls: dict[str, str]) -> dict[str, int]:
    """What the browser gets at each URL, with its cookies (page.request shares them)."""
    return {name: page.request.get(live_server.url + url).status for name, url in urls.items()}


def test_only_the_page_s_password_opens_the_map(page, watch, live_server, password_page):
    urls = map_urls(password_page, live_server.url)
    statuses = get_statuses(page, live_server, urls)
    assert {name: status for name, status in statuses.items() if status != 404} == {}
    api = page.request.get(live_server.url + "/api/v2/maps/").json()
    assert TITLE not in [item["title"] for item in api["items"]]
    response = page.goto(live_server.url + urls["embed"])
    assert response.status == 404
    assert TITLE not in page.content()
    watch.console_errors.clear()  # the browser logs that 404: expected

    # The page asks for its password; nothing of the map is in it.
    page.goto(live_server.url + "/plan/")
    assert page.locator("section[data-umap-viewer]").count() == 0
    assert "Foyer 1" not in page.content()

    data_answers = []
    page.on(
        "response",
        lambda response: data_answers.append(response) if "/cartes/data/" in response.url else None,
    )
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/plan/")
    section = wait_until_ready(page, viewer_of(page, TITLE), timeout=20_000)

    # The large layer came from its data URL, for this visitor only; the small one is inline.
    (answer,) = data_answers
    assert answer.status == 200
    assert answer.headers["cache-control"] == "private, no-cache"
    assert "immutable" not in answer.headers["cache-control"]
    assert re.search(
        rf"{LARGE + 1}\s+éléments affichés", section.locator("[data-umap-status]").inner_text()
    )
    assert section.locator(".leaflet-marker-icon").count() > 0
    assert "Foyer 1" in section.inner_text()  # the accessible list

    # Every URL of the map answers them now, privately.
    statuses = get_statuses(page, live_server, urls)
    assert {name: status for name, status in statuses.items() if status != 200} == {}
    api = page.request.get(live_server.url + "/api/v2/maps/").json()
    assert TITLE in [item["title"] for item in api["items"]]
    watch.assert_clean()
