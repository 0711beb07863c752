"""The editing tools of issue 17 in Chromium, each driven by the keyboard only (focus, keys;
no mouse event) and each undone: the table's column menu (rename, retype, delete), duplicating
a feature and a layer, measuring, and cutting a hole in a polygon. The document checked is the
hidden field Wagtail's form posts."""

from __future__ import annotations

import pytest

from tests.browser.helpers import TIMEOUT, hidden_document, log_in_as_editor, wait_for_editor
from tests.factories import layer, make_home, make_map, point

pytestmark = pytest.mark.django_db(transaction=True)

SHOW_AT_TOP = "node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }"


@pytest.fixture(autouse=True)
def site(transactional_db):
    return make_home("accueil-outils")


def square(lng: float, lat: float, size: float, name: str, **properties) -> dict:
    ring = [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
    ]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": name, **properties},
    }


@pytest.fixture
def communes(transactional_db):
    features = [
        point(2.80, 47.50, "Aubigny", hab="1 200", ouvert="oui"),
        point(2.82, 47.51, "Blancafort", hab="850", ouvert="non"),
        point(2.84, 47.52, "Clémont", hab="inconnu", ouvert="oui"),
        point(2.86, 47.53, "Dampierre", hab="2 310,5", ouvert="non"),
    ]
    communes = layer(
        "Communes",
        *features,
        label_key="name",
        popup_template='{name} : {hab} habitants ({hab|"?"})',
        filters=[{"type": "range", "field": "hab"}, {"type": "search", "fields": ["name", "hab"]}],
        representation={"type": "choropleth", "field": "hab"},
        rules=[{"field": "hab", "operator": ">", "value": "1000", "style": {"color": "#b30000"}}],
    )
    parc = layer("Parcs", square(2.80, 47.40, 0.02, "Parc du château"))
    return make_map("Communes", layers=[communes, parc])


@pytest.fixture
def editor(page, live_server, django_user_model, communes):
    edit_url = f"/admin/snippets/wagtail_umap/map/edit/{communes.pk}/"
    log_in_as_editor(page, live_server, django_user_model, edit_url)
    wait_for_editor(page)
    return page


def press_on(page, locator, key: str = "Enter") -> None:
    """The keyboard's way: focus the control, press a key."""
    locator.focus()
    page.keyboard.press(key)


# The editor's document, whose layers the form posts (the hidden field itself holds only a
# reference once Wagtail's autosave has sent a layer).
EDITOR_DOC = "document.querySelector('.umap-editor').umapEditor.state.doc"


def editor_document(page) -> dict:
    return page.evaluate(f"JSON.parse(JSON.stringify({EDITOR_DOC}))")


def communes_layer(page) -> dict:
    return editor_document(page)["layers"][0]


def values(page, key: str) -> list:
    return [f["properties"].get(key) for f in communes_layer(page)["features"]]


def undo_button(page):
    return page.locator(".umap-editor__toolbar button", has_text="↶")


def open_table(page):
    press_on(page, page.locator(".umap-editor__layer").first.locator("[data-focus-key^=table-]"))
    table = page.locator("[data-umap-panel=table]")
    table.wait_for(timeout=TIMEOUT)
    return table


def open_column_menu(page, table, column: str):
    press_on(page, table.locator(f"thead button[data-column-menu={column}]"))
    panel = table.locator(".umap-table__column-panel")
    panel.wait_for(timeout=TIMEOUT)
    return panel


def test_table_columns_rename_retype_delete_by_keyboard(editor, watch, screenshot, axe):
    page = editor
    table = open_table(page)
    menu_button = table.locator("thead button[data-column-menu=hab]")
    assert menu_button.get_attribute("aria-expanded") == "false"
    panel = open_column_menu(page, table, "hab")
    assert menu_button.get_attribute("aria-expanded") == "true"
    rename = panel.locator(".umap-table__column-rename")
    assert page.evaluate("document.activeElement.className") == rename.get_attribute("class")
    panel.evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-table-column-menu")
    assert axe(page, "[data-umap-panel=table]") == []

    # --- rename: a name taken is refused next to the field, then "population" -----------------
    page.keyboard.press("Control+A")
    page.keyboard.type("ouvert")
    page.keyboard.press("Enter")
    error = panel.locator(".umap-panel__error")
    assert error.is_visible()
    assert "ouvert" in error.inner_text()
    assert rename.get_attribute("aria-invalid") == "true"
    assert "features" not in hidden_document(page)["layers"][0]  # unchanged: still a reference
    assert values(page, "hab")[0] == "1 200"
    page.keyboard.press("Control+A")
    page.keyboard.type("population")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('button[data-column-menu=hab]')")
    renamed = communes_layer(page)
    assert [f["properties"].get("population") for f in renamed["features"]] == [
        "1 200",
        "850",
        "inconnu",
        "2 310,5",
    ]
    assert all("hab" not in f["properties"] for f in renamed["features"])
    # The key keeps its place among the properties (hab, name, ouvert as the store sorted them).
    assert list(renamed["features"][0]["properties"]) == ["population", "name", "ouvert"]
    # The layer's settings that named it follow.
    assert renamed["popup_template"] == '{name} : {population} habitants ({population|"?"})'
    assert [f.get("field") or f.get("fields") for f in renamed["filters"]] == [
        "population",
        ["name", "population"],
    ]
    assert renamed["representation"]["field"] == "population"
    assert renamed["rules"][0]["field"] == "population"
    assert renamed["label_key"] == "name"
    # The focus is on the renamed column's menu button.
    assert page.evaluate("document.activeElement.dataset.columnMenu") == "population"
    page.keyboard.press("Control+z")
    page.wait_for_function("() => document.querySelector('button[data-column-menu=hab]')")
    undone = communes_layer(page)
    assert values(page, "hab") == ["1 200", "850", "inconnu", "2 310,5"]
    assert undone["filters"][0]["field"] == "hab"
    assert undone["popup_template"] == '{name} : {hab} habitants ({hab|"?"})'
    page.keyboard.press("Control+Shift+z")
    page.wait_for_function("() => document.querySelector('button[data-column-menu=population]')")

    # --- retype to number: the value that cannot convert is said with its row -----------------
    panel = open_column_menu(page, table, "population")
    type_select = panel.locator(".umap-table__column-type")
    assert type_select.input_value() == "text"
    type_select.focus()
    page.keyboard.press("ArrowDown")
    assert type_select.input_value() == "number"
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    press_on(page, panel.get_by_role("button", name="Changer le type"))
    report = panel.locator(".umap-table__retype-report")
    report.wait_for(timeout=TIMEOUT)
    assert "ligne 3, Clémont : « inconnu »" in report.inner_text()
    assert len(dialogs) == 1 and "devenir nombre : 1 " in dialogs[0]
    assert values(page, "population") == ["1 200", "850", "inconnu", "2 310,5"]  # cancelled

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    press_on(page, panel.get_by_role("button", name="Changer le type"))
    page.wait_for_function(
        f"() => {EDITOR_DOC}.layers[0].features[0].properties.population === 1200"
    )
    assert values(page, "population") == [1200, 850, "inconnu", 2310.5]
    assert "population" in page.locator(".umap-editor__status").inner_text()
    page.keyboard.press("Escape")  # closes the menu, not the table
    assert page.locator("[data-umap-panel=table]").is_visible()
    assert page.evaluate("document.activeElement.dataset.columnMenu") == "population"
    page.keyboard.press("Control+z")
    page.wait_for_function(
        f"() => {EDITOR_DOC}.layers[0].features[0].properties.population === '1 200'"
    )

    # --- yes or no ---------------------------------------------------------------------------
    panel = open_column_menu(page, table, "ouvert")
    type_select = panel.locator(".umap-table__column-type")
    type_select.focus()
    page.keyboard.press("End")
    assert type_select.input_value() == "boolean"
    press_on(page, panel.get_by_role("button", name="Changer le type"))
    page.wait_for_function(f"() => {EDITOR_DOC}.layers[0].features[0].properties.ouvert === true")
    assert values(page, "ouvert") == [True, False, True, False]

    # --- delete, with a confirmation; undo brings it back --------------------------------------
    page.once("dialog", accept)
    press_on(page, panel.get_by_role("button", name="Supprimer la colonne ouvert"))
    page.wait_for_function("() => !document.querySelector('button[data-column-menu=ouvert]')")
    assert values(page, "ouvert") == [None, None, None, None]
    assert "ouvert" in dialogs[-1] and "4" in dialogs[-1]
    assert page.evaluate("document.activeElement.type") == "search"  # the table's filter
    press_on(page, undo_button(page))  # the search box keeps Ctrl+Z for its own text
    page.wait_for_function("() => document.querySelector('button[data-column-menu=ouvert]')")
    assert values(page, "ouvert") == [True, False, True, False]
    assert watch.console_errors == []
