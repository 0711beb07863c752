"""The editing tools of issue 17 in Chromium, each driven by the keyboard only (focus, keys;
no mouse event) and each undone: the table's column menu (rename, retype, delete), duplicating
a feature and a layer, measuring, and cutting a hole in a polygon. The document checked is the
hidden field Wagtail's form posts."""

from __future__ import annotations

import pytest

from tests.browser.helpers import TIMEOUT, hidden_document, log_in_as_editor, wait_for_editor
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.core.measure import format_area, format_length, measure

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
    sentier = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[2.80, 47.45], [2.83, 47.45]]},
        "properties": {"name": "Sentier"},
    }
    parc = layer("Parcs", square(2.80, 47.40, 0.02, "Parc du château"), sentier)
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
    # Numbers are shown and typed the French way in the cells.
    cell = table.locator("tr[data-row='3'] input[data-column=population]")
    assert cell.input_value() == "2310,5"
    cell.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2 400,25")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => {EDITOR_DOC}.layers[0].features[3].properties.population === 2400.25"
    )
    press_on(page, undo_button(page))  # the cell's edit (a text field keeps Ctrl+Z for its text)
    page.wait_for_function(
        f"() => {EDITOR_DOC}.layers[0].features[3].properties.population === 2310.5"
    )
    table.locator("thead button[data-column-menu=population]").focus()
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


def status(page) -> str:
    return page.locator(".umap-editor__status").inner_text()


def expect_status(page, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('.umap-editor__status').textContent.includes(text)",
        arg=text,
        timeout=TIMEOUT,
    )


def select_feature(page, layer_name: str, feature_name: str) -> None:
    """By keyboard: the layer's button, then the feature in its list."""
    press_on(page, page.locator(".umap-editor__layer-pick", has_text=layer_name))
    press_on(page, page.locator(".umap-editor__feature-item", has_text=feature_name))
    expect_status(page, f"Sélectionné : {feature_name}")


def test_duplicate_a_feature_and_a_layer_by_keyboard(editor, watch, screenshot):
    page = editor
    select_feature(page, "Communes", "Aubigny")
    press_on(page, page.locator("[data-focus-key=tools-duplicate]"))
    expect_status(page, "Aubigny dupliqué : Aubigny (copie), sélectionné")
    features = communes_layer(page)["features"]
    assert [f["properties"]["name"] for f in features] == [
        "Aubigny",
        "Aubigny (copie)",
        "Blancafort",
        "Clémont",
        "Dampierre",
    ]
    original, copy = features[0], features[1]
    assert {k: v for k, v in copy["properties"].items() if k != "name"} == {
        k: v for k, v in original["properties"].items() if k != "name"
    }
    # Beside it: a few pixels right (east) and down (south), not on top of it.
    (lng, lat), (copy_lng, copy_lat) = (
        original["geometry"]["coordinates"],
        copy["geometry"]["coordinates"],
    )
    assert 0 < copy_lng - lng < 0.05 and 0 < lat - copy_lat < 0.05
    # Selected, its name field focused for a new name.
    name_field = page.locator("[data-focus-key=feature-name]")
    assert name_field.input_value() == "Aubigny (copie)"
    assert page.evaluate("document.activeElement.dataset.focusKey") == "feature-name"
    page.locator(".umap-editor__toolbar").evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-duplicate")
    press_on(page, undo_button(page))
    expect_status(page, "Annulé : Élément Aubigny dupliqué")
    assert len(communes_layer(page)["features"]) == 4

    # --- the layer: "Copie de Communes", its settings and features, after it ----------------
    details = page.locator(".umap-editor__layer-details")
    press_on(page, details.locator("summary"))
    button = page.get_by_role("button", name="Dupliquer le calque Communes")
    press_on(page, button)
    expect_status(page, "Calque Copie de Communes ajouté, avec 4 éléments")
    layers = editor_document(page)["layers"]
    assert [layer["name"] for layer in layers] == ["Communes", "Copie de Communes", "Parcs"]
    source, duplicate = layers[0], layers[1]
    assert duplicate["id"] != source["id"]
    assert duplicate["features"] == source["features"]
    for key in ("popup_template", "filters", "representation", "rules", "label_key"):
        assert duplicate[key] == source[key], key
    # The copy is the current layer, its button focused.
    current = page.locator(".umap-editor__layer.is-current .umap-editor__layer-name")
    assert current.inner_text() == "Copie de Communes"
    assert page.evaluate("document.activeElement.dataset.focusKey") == f"pick-{duplicate['id']}"
    # Saved as it is sent: the hidden field holds the copy's features inline.
    sent = hidden_document(page)["layers"][1]
    assert sent["name"] == "Copie de Communes" and "data" not in sent
    press_on(page, undo_button(page))
    expect_status(page, "Annulé : Calque Communes dupliqué")
    assert [layer["name"] for layer in editor_document(page)["layers"]] == ["Communes", "Parcs"]
    assert watch.console_errors == []


def test_measure_a_line_and_an_area_by_keyboard(editor, watch, screenshot):
    page = editor
    doc = editor_document(page)
    parc, sentier = doc["layers"][1]["features"]
    select_feature(page, "Parcs", "Sentier")
    press_on(page, page.locator("[data-focus-key=tools-measure]"))
    length = format_length(measure(sentier["geometry"])["length"])
    assert length == "2,26\u00a0km"  # 0.03° of longitude at 47.45° north
    expect_status(page, f"Longueur de Sentier : {length}.")
    select_feature(page, "Parcs", "Parc du château")
    press_on(page, page.locator("[data-focus-key=tools-measure]"))
    figures = measure(parc["geometry"])
    area, perimeter = format_area(figures["area"]), format_length(figures["perimeter"])
    assert area == "3,35\u00a0km²"  # 0.02° by 0.02° at 47.4° north
    expected = f"Surface de Parc du château : {area} ; périmètre : {perimeter}."
    expect_status(page, expected)
    shown = page.locator(".umap-tools__measure")
    assert shown.inner_text() == expected
    page.locator("[data-umap-panel=tools]").evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-measure")
    # The same formulas as core/measure.py, to the millimetre.
    js = page.evaluate(
        "geometry => window.wagtailUmapEditor.tools.measure(geometry)", parc["geometry"]
    )
    assert js["area"] == pytest.approx(figures["area"], abs=1e-3)
    assert js["perimeter"] == pytest.approx(figures["perimeter"], abs=1e-3)
    assert watch.console_errors == []


def goto_vertex(page, lat: str, lng: str) -> None:
    """Typed coordinates move the crosshair; the button places a vertex there."""
    goto = page.locator(".umap-editor__goto")
    latitude = goto.get_by_label("Latitude")
    latitude.fill(lat)
    latitude.press("Enter")
    longitude = goto.get_by_label("Longitude")
    longitude.fill(lng)
    longitude.press("Enter")
    shown = lambda text: text.rstrip("0").rstrip(",")  # noqa: E731 - "2,810" is said "2,81"
    expect_status(page, f"Carte centrée sur latitude {shown(lat)}, longitude {shown(lng)}")
    press_on(page, goto.get_by_role("button", name="Placer un sommet au viseur"))
    expect_status(page, "placé")


def test_a_hole_in_a_polygon_by_typed_coordinates(editor, watch, screenshot):
    page = editor
    select_feature(page, "Parcs", "Parc du château")
    press_on(page, page.locator("[data-focus-key=tools-hole]"))
    expect_status(page, "Tracez le trou dans Parc du château")
    goto_vertex(page, "47,405", "2,805")
    goto_vertex(page, "47,405", "2,815")
    # Drawing measures: the length so far follows the vertex's announcement.
    expect_status(page, "Mesure en cours : 753\u00a0m.")
    goto_vertex(page, "47,415", "2,810")
    live = page.locator("[data-umap-live-measure]")
    assert live.inner_text().startswith("Mesure en cours : ") and "surface" in live.inner_text()
    press_on(page, page.get_by_role("button", name="Terminer la forme"))
    expect_status(page, "Trou 1 ajouté à Parc du château")
    rings = editor_document(page)["layers"][1]["features"][0]["geometry"]["coordinates"]
    assert len(rings) == 2
    assert rings[1] == [[2.805, 47.405], [2.815, 47.405], [2.81, 47.415], [2.805, 47.405]]
    # The polygon is selected again, the tool focused; its hole can be removed by keyboard.
    assert page.evaluate("document.activeElement.dataset.focusKey") == "tools-hole"
    assert page.get_by_role("button", name="Supprimer le trou 1").count() == 1
    hole_area = format_area(measure({"type": "Polygon", "coordinates": [rings[1]]})["area"])
    assert f"({hole_area})" in status(page)
    page.locator(".umap-editor__toolbar").evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-hole")

    # A hole across the edge is refused, and nothing changes.
    press_on(page, page.locator("[data-focus-key=tools-hole]"))
    goto_vertex(page, "47,41", "2,79")
    goto_vertex(page, "47,41", "2,81")
    goto_vertex(page, "47,418", "2,80")
    press_on(page, page.get_by_role("button", name="Terminer la forme"))
    expect_status(page, "Trou non ajouté : il doit être tout entier dans Parc du château")
    assert len(editor_document(page)["layers"][1]["features"][0]["geometry"]["coordinates"]) == 2

    # Escape while drawing gives the polygon back.
    press_on(page, page.locator("[data-focus-key=tools-hole]"))
    page.keyboard.press("Escape")
    expect_status(page, "Trou annulé.")
    assert page.locator("[data-focus-key=feature-name]").input_value() == "Parc du château"

    press_on(page, undo_button(page))
    expect_status(page, "Annulé : Trou ajouté à Parc du château")
    rings = editor_document(page)["layers"][1]["features"][0]["geometry"]["coordinates"]
    assert len(rings) == 1
    press_on(page, page.locator(".umap-editor__toolbar button", has_text="↷"))
    expect_status(page, "Rétabli")
    press_on(page, page.get_by_role("button", name="Supprimer le trou 1"))
    expect_status(page, "Trou 1 de Parc du château supprimé")
    rings = editor_document(page)["layers"][1]["features"][0]["geometry"]["coordinates"]
    assert len(rings) == 1
    assert watch.console_errors == []


def test_filters_of_the_whole_map_by_keyboard(editor, watch, screenshot):
    page = editor
    settings = page.locator(".umap-editor__map-settings")
    press_on(page, settings.locator("summary"))
    press_on(page, settings.get_by_role("button", name="Ajouter un filtre de toute la carte"))
    expect_status(page, "Filtre de toute la carte ajouté")
    assert editor_document(page)["options"]["filters"] == [
        {"type": "category", "field": "hab", "label": ""}
    ]
    # The focus is on the new filter's kind: the keyboard chooses "Oui ou non".
    assert page.evaluate("document.activeElement.dataset.focusKey") == "mapfilter-1-type"
    page.keyboard.press("End")
    page.wait_for_function(
        f"() => ({EDITOR_DOC}.options.filters || [])[0].type === 'yes_no'", timeout=TIMEOUT
    )
    field = settings.get_by_label("Propriété filtrée")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("ouvert")
    page.keyboard.press("Tab")
    page.wait_for_function(
        f"() => {EDITOR_DOC}.options.filters[0].field === 'ouvert'", timeout=TIMEOUT
    )
    # What the form posts: the map's options are always in the hidden field.
    assert hidden_document(page)["options"]["filters"] == [
        {"type": "yes_no", "field": "ouvert", "label": ""}
    ]
    field.evaluate(SHOW_AT_TOP)
    screenshot(page, "editor-map-filters")
    # An empty property is refused next to the field, nothing changed.
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Tab")
    assert field.get_attribute("aria-invalid") == "true"
    assert editor_document(page)["options"]["filters"][0]["field"] == "ouvert"

    press_on(page, settings.get_by_role("button", name="Supprimer le filtre 1"))
    expect_status(page, "Filtre 1 de toute la carte supprimé")
    assert "filters" not in editor_document(page)["options"]
    press_on(page, undo_button(page))
    expect_status(page, "Annulé : Filtre 1 de toute la carte supprimé")
    assert editor_document(page)["options"]["filters"] == [
        {"type": "yes_no", "field": "ouvert", "label": ""}
    ]
    assert watch.console_errors == []


def test_the_tools_pure_functions(editor):
    """The logic behind the tools, called as the editor calls it (tools.js)."""
    page = editor
    run = lambda expression, *args: page.evaluate(  # noqa: E731
        f"([a, b, c]) => {{ const t = window.wagtailUmapEditor.tools; return {expression}; }}",
        list(args) + [None] * (3 - len(args)),
    )
    # Numbers the French way or the computer's; anything else is refused.
    assert run(
        "['1 200', '2\\u202f310,5', '-3', '\\u22121,5', '12.5', ',5', '1e3'].map(t.parseNumber)"
    ) == [
        1200,
        2310.5,
        -3,
        -1.5,
        12.5,
        0.5,
        1000,
    ]
    assert run("['inconnu', '1,2,3', '', '12 km', null].map(t.parseNumber)") == [None] * 5
    convert = "a.map((v) => t.convertValue(v, b))"
    assert run(convert, ["oui", "NON", " vrai", 1, 0, True, "peut-être", 2], "boolean") == [
        {"ok": True, "value": True},
        {"ok": True, "value": False},
        {"ok": True, "value": True},
        {"ok": True, "value": True},
        {"ok": True, "value": False},
        {"ok": True, "same": True, "value": True},
        {"ok": False},
        {"ok": False},
    ]
    assert run(convert, [True, 12.5, "x", None], "text") == [
        {"ok": True, "value": "oui"},
        {"ok": True, "value": "12.5"},
        {"ok": True, "same": True, "value": "x"},
        {"ok": True, "same": True, "value": None},
    ]
    # Templates: the property renamed, quoted text and other names kept.
    assert (
        run("t.renameInTemplate(a, 'hab', 'population')", '{name} {hab} {x|hab|"hab"} {habitat}')
        == '{name} {population} {x|population|"hab"} {habitat}'
    )
    # Holes: inside the outer ring, or refused with the reason.
    square_ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    polygon = {"type": "Polygon", "coordinates": [square_ring, [[1, 1], [2, 1], [2, 2], [1, 1]]]}
    assert run("t.holePlace(a, b)", polygon, [[5, 5], [6, 5], [6, 6]]) == {"part": 0}
    assert run("t.holePlace(a, b)", polygon, [[5, 5], [12, 5], [6, 6]]) == {
        "problem": "tools_hole_outside"
    }
    assert run("t.holePlace(a, b)", polygon, [[0.5, 0.5], [3, 0.5], [3, 3], [0.5, 3]]) == {
        "problem": "tools_hole_overlaps"
    }
    assert run("t.holePlace(a, b)", polygon, [[5, 5], [6, 5]]) == {
        "problem": "tools_hole_too_short"
    }
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[square_ring], [[[20, 0], [30, 0], [30, 10], [20, 0]]]],
    }
    assert run("t.holePlace(a, b)", multi, [[25, 1], [27, 1], [27, 3]]) == {"part": 1}
