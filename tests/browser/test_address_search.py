"""The editor toolbar's address search (issue 19), by keyboard only: a combobox on the site's
geocoder. The geocoder is a route of the browser answering as the Base Adresse Nationale
(Géoplateforme ``geocodage/search``) does, never the internet."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import MAP_ADD_URL, TIMEOUT, log_in_by_keyboard, wait_for_editor
from tests.browser.test_keyboard_editor import (
    COUNT_POINTER_EVENTS,
    active,
    expect_status,
    pointer_events,
    type_name,
)
from tests.factories import make_home

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]

HOTEL_DE_VILLE = (4.835948, 45.767585)
BELLECOUR = (4.832011, 45.757814)


def ban_feature(label, lon, lat, kind, name, postcode, city, score):
    """One result as the BAN writes it: a GeoJSON Point and the address's properties."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "id": f"69381_{abs(hash(label)) % 10000:04d}",
            "name": name,
            "postcode": postcode,
            "citycode": "69381",
            "x": 842000.0,
            "y": 6519000.0,
            "city": city,
            "context": "69, Rhône, Auvergne-Rhône-Alpes",
            "type": kind,
            "importance": 0.7,
        },
    }


def ban_answer(query: str) -> dict:
    if "bellecour" in query.lower():
        features = [
            ban_feature(
                "Place Bellecour 69002 Lyon",
                *BELLECOUR,
                "street",
                "Place Bellecour",
                "69002",
                "Lyon",
                0.92,
            )
        ]
    else:
        features = [
            ban_feature(
                "Hôtel de Ville 69001 Lyon",
                *HOTEL_DE_VILLE,
                "locality",
                "Hôtel de Ville",
                "69001",
                "Lyon",
                0.81,
            ),
            ban_feature(
                "Place de la Comédie 69001 Lyon",
                4.836517,
                45.767898,
                "street",
                "Place de la Comédie",
                "69001",
                "Lyon",
                0.63,
            ),
            ban_feature(
                "Lyon",
                4.835,
                45.758,
                "municipality",
                "Lyon",
                "69001",
                "Lyon",
                0.52,
            ),
        ]
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": features,
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "limit": 5,
    }


def centre(page) -> tuple[float, float]:
    found = page.evaluate(
        "() => document.querySelector('.umap-editor').umapEditor.mapView.crosshairLatLng()"
    )
    return found["lng"], found["lat"]


def test_an_address_found_from_the_toolbar_centres_the_map_or_places_a_marker(
    page, live_server, django_user_model, watch, screenshot, axe
):
    page.add_init_script(COUNT_POINTER_EVENTS)
    searched = []

    def geocoder(route):
        query = parse_qs(urlsplit(route.request.url).query)
        searched.append(query)
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(ban_answer(query["q"][0])),
        )

    page.route("https://data.geopf.fr/geocodage/**", geocoder)
    make_home("accueil-adresse")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)

    # A combobox in the toolbar's row, named, its list hidden.
    search = page.get_by_role("combobox", name="Aller à une adresse")
    assert search.get_attribute("aria-expanded") == "false"
    search.focus()
    page.keyboard.type("mairie de Lyon")
    listbox = page.get_by_role("listbox", name="Adresses trouvées")
    listbox.wait_for(timeout=TIMEOUT)
    expect_status(page, "Adresses trouvées : 3")
    assert search.get_attribute("aria-expanded") == "true"
    assert len(searched) == 1, "one request once the typing paused"
    assert searched[0]["q"] == ["mairie de Lyon"] and searched[0]["limit"] == ["5"]

    # ↓ goes to the first place (the focus stays in the field), Enter chooses it.
    page.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert search.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert active(page, "el.getAttribute('role')") == "combobox"
    assert axe(page, ".umap-editor") == []
    screenshot(page, "editor-address-search")
    page.keyboard.press("Enter")
    expect_status(page, "Carte centrée sur Hôtel de Ville 69001 Lyon")
    assert listbox.is_hidden() and search.get_attribute("aria-expanded") == "false"
    assert centre(page) == pytest.approx(HOTEL_DE_VILLE, abs=1e-6)
    assert len(searched) == 1

    # ↑ from the closed list opens it on the last place; Escape closes it, not the editor's.
    page.keyboard.press("ArrowUp")
    assert listbox.get_by_role("option").last.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert listbox.is_hidden()

    # With "Ajouter un marqueur" on, the place chosen gets a marker, its name field focused.
    tool = page.locator(".umap-editor__toolbar button[data-shape=Marker]")
    tool.press("Enter")
    search.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("place Bellecour")
    page.keyboard.press("ArrowDown")  # searches at once, then goes to the first place
    expect_status(page, "Adresses trouvées : 1")
    listbox.get_by_role("option", name="Place Bellecour 69002 Lyon").wait_for(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect_status(page, "Marqueur ajouté")
    type_name(page, "Scène Bellecour")
    features = page.evaluate(
        "() => document.querySelector('.umap-editor').umapEditor.state.layers[0].features"
    )
    assert [f["properties"]["name"] for f in features] == ["Scène Bellecour"]
    assert features[0]["geometry"]["coordinates"] == list(BELLECOUR)
    assert tool.get_attribute("aria-pressed") == "true"
    assert pointer_events(page) == []
    watch.assert_clean()


def test_a_geocoder_that_fails_is_said_and_the_map_stays(
    page, live_server, django_user_model, watch
):
    page.route(
        "https://data.geopf.fr/geocodage/**",
        lambda route: route.fulfill(status=503, body="indisponible"),
    )
    make_home("accueil-adresse-panne")
    log_in_by_keyboard(page, live_server, django_user_model, MAP_ADD_URL)
    wait_for_editor(page)
    before = centre(page)
    search = page.get_by_role("combobox", name="Aller à une adresse")
    search.fill("mairie de Lyon")
    search.press("Enter")
    expect_status(page, "La recherche d’adresse n’a pas répondu")
    assert search.get_attribute("aria-expanded") == "false"
    assert centre(page) == before
    # The browser logs the 503 itself; nothing else went wrong.
    assert [e for e in watch.console_errors if "503" not in e] == []
    assert watch.csp_violations == [] and watch.outside_requests == []
