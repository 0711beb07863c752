"""The editor's French data helpers in Chromium, against local fakes of the BAN and
geo.api.gouv.fr (tests/french_services.py): a CSV of addresses geocoded into a layer with a
low-score row flagged and a row not found listed; a commune's outline found by name with the
keyboard and added as a layer."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    TIMEOUT,
    hidden_document,
    open_map_editor,
    past_the_side_column,
)
from tests.editor.test_french_data import CSV
from tests.factories import layer, make_map, point, root_page
from tests.french_services import serve_french_services
from wagtail_umap.models import LayerData

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def services(settings):
    yield from serve_french_services(settings)


def open_import_panel(page, live_server, django_user_model):
    root_page()
    map_ = make_map("Équipements", layers=[layer("Lieux", point(2.85, 47.5, "Église"))])
    open_map_editor(page, live_server, django_user_model, map_)
    panel = page.locator(".umap-editor__import")
    panel.locator("summary").click()
    return panel


def test_a_csv_of_addresses_is_geocoded_into_a_layer(
    page, live_server, watch, axe, screenshot, django_user_model, services
):
    panel = open_import_panel(page, live_server, django_user_model)
    geocode = panel.locator("[data-umap-panel=geocode]")
    geocode.get_by_label("Fichier CSV d’adresses").set_input_files(
        {"name": "equipements.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    columns = geocode.locator("[data-umap-geocode-columns]")
    columns.wait_for(timeout=TIMEOUT)
    # The address column is guessed; the commune and postcode columns too.
    assert columns.get_by_label("adresse").is_checked()
    assert not columns.get_by_label("telephone").is_checked()
    assert geocode.get_by_label("Colonne de la commune (facultatif)").input_value() == "commune"
    assert geocode.get_by_label("Colonne du code postal (facultatif)").input_value() == "cp"
    geocode.get_by_role("button", name="Géocoder").focus()
    page.keyboard.press("Enter")  # the keyboard's way
    notes = panel.locator("[data-umap-geocode-notes]")
    notes.wait_for(timeout=TIMEOUT)
    text = notes.inner_text()
    assert "ligne 5 (12 impasse Introuvable) : adresse non trouvée, non placée" in text
    assert "ligne 4 (lieu-dit les Vignes)" in text and "à vérifier" in text
    assert "avec un score de 0,31, sous 0,5" in text  # the French way, a decimal comma
    document = hidden_document(page)
    geocoded = next(x for x in document["layers"] if x["name"] == "Adresses de equipements")
    # Geocoded in a background job: the layer is stored, the form holds its reference.
    features = LayerData.objects.get(digest=geocoded["data"]["digest"]).features()
    by_name = {f["properties"]["nom"]: f["properties"] for f in features}
    assert set(by_name) == {"Mairie", "Marché", "Chez Paulette"}
    assert by_name["Chez Paulette"]["result_review"] is True
    assert by_name["Mairie"]["result_score"] == 0.93
    assert len(services.ban_requests) == 1
    assert axe(page, ".umap-editor__import") == []
    notes.scroll_into_view_if_needed()
    screenshot(page, "geocode-csv")
    watch.assert_clean()


def test_a_commune_outline_is_added_by_name_with_the_keyboard(
    page, live_server, watch, axe, screenshot, django_user_model, services
):
    panel = open_import_panel(page, live_server, django_user_model)
    outline = panel.locator("[data-umap-panel=outline]")
    assert outline.get_by_label("Niveau").input_value() == "commune"
    query = outline.get_by_role("combobox", name="Nom ou code (INSEE, SIREN)")
    query.focus()
    page.keyboard.type("Belleville")
    options = outline.get_by_role("listbox").get_by_role("option")
    options.first.wait_for(timeout=TIMEOUT)
    assert options.all_inner_texts() == [
        "Belleville-sur-Loire (18)",
        "Belleville-en-Beaujolais (69)",
    ]
    assert "2 suggestions" in outline.locator("[role=status]").inner_text()
    page.keyboard.press("ArrowDown")
    assert query.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    assert axe(page, ".umap-editor__import") == []
    assert past_the_side_column(page, "[data-umap-panel=outline]") == []  # nothing cut
    screenshot(page, "outline-commune")
    page.keyboard.press("Enter")
    assert query.input_value() == "Belleville-sur-Loire (18)"
    assert query.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # adds the chosen outline
    page.locator(".umap-editor__layers, .umap-editor__side").get_by_text(
        "Commune : Belleville-sur-Loire"
    ).first.wait_for(timeout=TIMEOUT)
    document = hidden_document(page)
    added = next(x for x in document["layers"] if x["name"] == "Commune : Belleville-sur-Loire")
    assert added["features"][0]["geometry"]["type"] == "Polygon"
    assert added["features"][0]["properties"]["code"] == "18027"
    watch.assert_clean()
