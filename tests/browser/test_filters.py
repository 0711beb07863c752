"""Filters on the public map (Chromium): category, date range, number range and text search
change the map, the list and the status text together, by keyboard, and live in the URL."""

from __future__ import annotations

import pytest

from tests.browser.helpers import open_map, status_text
from wagtail_umap.models import MapPage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("viz_demo")]


def festival():
    return [
        f["properties"]
        for f in MapPage.objects.get(slug="fete").map.full_document()["layers"][0]["features"]
    ]


def visible_items(section) -> int:
    return section.locator("[data-umap-feature-item]:visible").count()


def markers(section) -> int:
    return section.locator(".umap-marker").count()


def test_filters_change_map_list_and_status_together(page, watch, live_server, axe, screenshot):
    events = festival()
    total = len(events)
    section = open_map(page, live_server.url + "/fete/")
    form = section.locator("form[data-umap-filters]")
    assert markers(section) == visible_items(section) == total

    # Category: untick "Concert" with the keyboard (Tab to it, Space).
    concert = form.get_by_role("checkbox", name="Concert", exact=False)
    concert.focus()
    page.keyboard.press("Space")
    expected = sum(1 for e in events if e["type"] != "Concert")
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {expected}")
    assert visible_items(section) == expected
    assert status_text(section) == f"{expected} éléments affichés sur {total}"
    assert "fete" in page.url and ".f0=" in page.url  # the state is in the URL

    # Text search, on top of it.
    form.get_by_label("Rechercher").fill("atelier")
    expected = sum(
        1
        for e in events
        if e["type"] != "Concert" and "atelier" in (e["name"] + e["description"]).lower()
    )
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {expected}")
    assert status_text(section) == f"{expected} éléments affichés sur {total}"
    screenshot(page, "viz-filters")
    assert axe(page) == []

    # The URL reproduces the same view for someone else.
    shared = page.url
    page.goto("about:blank")
    section = open_map(page, shared)
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {expected}")
    assert visible_items(section) == expected
    assert (
        not section.locator("form[data-umap-filters]")
        .get_by_role("checkbox", name="Concert", exact=False)
        .is_checked()
    )

    # "Show everything" resets.
    section.get_by_role("button", name="Tout afficher").click()
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {total}")
    assert status_text(section) == f"{total} éléments affichés sur {total}"
    watch.assert_clean()


def test_date_and_number_ranges(page, watch, live_server):
    events = festival()
    section = open_map(page, live_server.url + "/fete/")
    form = section.locator("form[data-umap-filters]")
    day = form.locator("[data-umap-filter=f1]")
    day.get_by_label("De").fill("2026-06-21")
    day.get_by_label("À").fill("2026-06-21")
    day.get_by_label("À").dispatch_event("change")
    expected = sum(1 for e in events if e["date"] == "2026-06-21")
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {expected}")
    places = form.locator("[data-umap-filter=f2]")
    places.get_by_label("De").fill("100")
    places.get_by_label("De").press("Enter")
    expected = sum(1 for e in events if e["date"] == "2026-06-21" and (e.get("places") or 0) >= 100)
    page.wait_for_function(f"() => document.querySelectorAll('.umap-marker').length === {expected}")
    assert visible_items(section) == expected
    watch.assert_clean()
