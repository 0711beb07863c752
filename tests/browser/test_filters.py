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


def schools_map():
    """Three layers: schools and gyms share "accessible" (said as oui/non or true/false), parks
    have no such property; the schools also filter on their level, one at a time."""
    from tests.factories import layer, make_map, point

    schools = layer(
        "Écoles",
        point(2.80, 47.50, "École Jaurès", niveau="maternelle", accessible="oui"),
        point(2.81, 47.50, "École Curie", niveau="élémentaire", accessible="non"),
        point(2.82, 47.50, "École Zola", niveau="maternelle", accessible="non"),
        point(2.83, 47.50, "École Hugo", niveau="élémentaire", accessible="oui"),
        filters=[{"type": "radio", "field": "niveau", "label": "Niveau"}],
    )
    gyms = layer(
        "Gymnases",
        point(2.80, 47.51, "Gymnase Nord", accessible=True),
        point(2.81, 47.51, "Gymnase Sud", accessible=False),
    )
    parks = layer("Parcs", point(2.80, 47.52, "Parc du lavoir"), point(2.81, 47.52, "Square"))
    map_ = make_map("Écoles et sports", layers=[schools, gyms, parks])
    document = map_.full_document()
    document["options"]["filters"] = [
        {"type": "yes_no", "field": "accessible", "label": "Accessible en fauteuil"}
    ]
    map_.set_document(document)
    map_.save()
    map_.save_revision().publish()
    return map_


def test_map_wide_yes_no_and_radio_filters_by_keyboard(page, watch, live_server, axe, screenshot):
    from wagtail.models import Site

    from tests.browser.helpers import page_showing

    home = Site.objects.get(is_default_site=True).root_page
    page_showing(home, schools_map(), "Écoles et sports", "ecoles-sports")
    section = open_map(page, live_server.url + "/ecoles-sports/")
    form = section.locator("form[data-umap-filters]")
    assert markers(section) == visible_items(section) == 8

    # The map's filter: a fieldset of native radios, "Tous" first and checked, with counts
    # over the two layers that have the property.
    across = form.locator("fieldset[data-umap-map-filters]")
    assert across.locator("legend").first.inner_text() == "Tous les calques"
    group = across.locator("fieldset[data-umap-filter=m0]")
    assert group.locator("legend").inner_text() == "Accessible en fauteuil"
    labels = [label.inner_text().strip() for label in group.locator("label").all()]
    assert labels == ["Tous", "Oui (3)", "Non (3)"]
    assert group.get_by_role("radio", name="Tous").is_checked()

    # Keyboard: the arrow key moves to "Oui" and chooses it.
    group.get_by_role("radio", name="Tous").focus()
    page.keyboard.press("ArrowDown")
    assert group.get_by_role("radio", name="Oui (3)").is_checked()
    # Schools Jaurès and Hugo, the northern gym; the parks have no such property: kept.
    page.wait_for_function("() => document.querySelectorAll('.umap-marker').length === 5")
    assert visible_items(section) == 5
    assert status_text(section) == "3 éléments affichés sur 6"
    assert ".map.m0=yes" in page.url

    # The schools' own radio filter, on top of it: "maternelle" only.
    level = form.locator("fieldset[data-umap-filter=f0]")
    level.get_by_role("radio", name="Tous").focus()
    page.keyboard.press("ArrowDown")
    assert level.get_by_role("radio", name="maternelle (2)").is_checked()
    page.wait_for_function("() => document.querySelectorAll('.umap-marker').length === 4")
    assert status_text(section) == "2 éléments affichés sur 6"
    names = section.locator("[data-umap-feature-item]:visible").all_inner_texts()
    assert any("Jaurès" in name for name in names) and not any("Hugo" in name for name in names)
    form.evaluate("node => node.scrollIntoView({block: 'center'})")
    screenshot(page, "viz-filters-radio")
    assert axe(page) == []

    # The URL brings the same choice back; "Tout afficher" resets both.
    shared = page.url
    page.goto("about:blank")
    section = open_map(page, shared)
    page.wait_for_function("() => document.querySelectorAll('.umap-marker').length === 4")
    form = section.locator("form[data-umap-filters]")
    assert (
        form.locator("fieldset[data-umap-filter=m0]")
        .get_by_role("radio", name="Oui (3)")
        .is_checked()
    )
    form.get_by_role("button", name="Tout afficher").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.umap-marker').length === 8")
    watch.assert_clean()
