"""The editor's undo history on a large polygon layer: edits are patches, undo and redo give
back exactly the document they should, the map redraws only what changed, and the history is
bounded (in edits and in bytes)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import TIMEOUT, log_in_as_editor, wait_for_editor
from tests.factories import layer, make_map, root_page, square

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.admin_ui]

PARCELS = 3000
EDITOR = "document.querySelector('.umap-editor').umapEditor"
DOC = f"() => JSON.stringify({EDITOR}.state.doc)"


@pytest.fixture
def parcels(transactional_db, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 600_000  # no autosave in the middle of the history
    root_page()
    features = [
        square(-1 + (i % 60) * 0.02, 45 + (i // 60) * 0.02, f"Parcelle {i}", size=0.015)
        for i in range(PARCELS)
    ]
    return make_map("Parcelles", layers=[layer("Parcelles", *features)])


def open_editor(page, live_server, django_user_model, map_) -> None:
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    log_in_as_editor(page, live_server, django_user_model, url)
    wait_for_editor(page, timeout=6 * TIMEOUT)


def shape_of(page, index: int) -> str:
    """Mark the shape now drawing feature ``index`` (its Leaflet layer, or in a large layer its
    projected coordinates on the layer's canvas); the mark survives only as long as that very
    shape does (a redraw makes a new one)."""
    return page.evaluate(
        f"""(index) => {{
        const editor = {EDITOR};
        const layer = editor.state.layers[0];
        const feature = layer.features[index];
        const bulk = editor.mapView.bulks.get(layer.id);
        const shape = bulk
            ? bulk.byFeature.get(feature).shape
            : editor.mapView.rendered.get(layer.id).get(feature);
        shape.umapTestMark = shape.umapTestMark || 'mark-' + index;
        return shape.umapTestMark;
    }}""",
        index,
    )


def select_by_name(page, name: str) -> None:
    page.get_by_placeholder("Filtrer").fill(name)
    page.locator(".umap-editor__feature-item", has_text=name).first.click()
    page.get_by_label("Nom", exact=True).wait_for()


def test_rename_delete_undo_redo_on_a_large_layer(page, live_server, django_user_model, parcels):
    open_editor(page, live_server, django_user_model, parcels)
    original = json.loads(page.evaluate(DOC))
    assert len(original["layers"][0]["features"]) == PARCELS
    untouched = shape_of(page, 10)

    select_by_name(page, "Parcelle 1500")
    field = page.get_by_label("Nom", exact=True)
    field.fill("Parcelle renommée")
    field.press("Tab")
    page.wait_for_function(
        f"() => {EDITOR}.state.layers[0].features[1500].properties.name === 'Parcelle renommée'"
    )
    renamed = json.loads(page.evaluate(DOC))
    expected = json.loads(json.dumps(original))
    expected["layers"][0]["features"][1500]["properties"]["name"] = "Parcelle renommée"
    assert renamed == expected

    page.get_by_role("button", name="Supprimer cet élément").click()
    page.wait_for_function(f"() => {EDITOR}.state.layers[0].features.length === {PARCELS - 1}")
    deleted = json.loads(page.evaluate(DOC))
    assert "Parcelle renommée" not in json.dumps(deleted)

    undo = page.locator(".umap-editor__toolbar button", has_text="Annuler")
    redo = page.locator(".umap-editor__toolbar button", has_text="Rétablir")
    undo.click()
    page.wait_for_function(f"() => {EDITOR}.state.layers[0].features.length === {PARCELS}")
    assert json.loads(page.evaluate(DOC)) == renamed
    undo.click()
    page.wait_for_function(f"() => {EDITOR}.state.undoStack.length === 0")
    assert json.loads(page.evaluate(DOC)) == original
    # The list and the feature panel say the old name again.
    page.get_by_placeholder("Filtrer").fill("Parcelle 1500")
    expect_item = page.locator(".umap-editor__feature-item", has_text="Parcelle 1500")
    expect_item.first.wait_for(timeout=TIMEOUT)

    redo.click()
    page.wait_for_function(f"() => {EDITOR}.state.undoStack.length === 1")
    assert json.loads(page.evaluate(DOC)) == renamed
    redo.click()
    page.wait_for_function(f"() => {EDITOR}.state.undoStack.length === 2")
    assert json.loads(page.evaluate(DOC)) == deleted

    # Through all of it, the other 2,999 polygons kept their shapes: nothing was redrawn whole.
    assert shape_of(page, 10) == untouched

    # What is saved is what is shown: the layer is sent as the document has it.
    sent = page.evaluate(
        f"""async () => {{
        const editor = {EDITOR};
        const made = window.wagtailUmapEditor.layerBlob;
        const blob = await made(editor.state, editor.state.layers[0].id);
        return blob.blob.text();
    }}"""
    )
    assert json.loads(sent) == deleted["layers"][0]["features"]


def test_style_undo_redo_keeps_the_feature_and_its_shape(
    page, live_server, django_user_model, parcels
):
    open_editor(page, live_server, django_user_model, parcels)
    original = json.loads(page.evaluate(DOC))
    # The style panel's path: the selected feature's _style, changed in place, twice.
    result = page.evaluate(
        f"""() => {{
        const editor = {EDITOR};
        const state = editor.state;
        const feature = state.layers[0].features[42];
        state.select(feature);
        const set = (color) => state.apply('style', () => {{
            feature.properties._style = feature.properties._style || {{}};
            feature.properties._style.color = color;
        }}, {{features: [feature]}});
        set('#aa0000');
        set('#00aa00');
        const after = JSON.stringify(state.doc);
        state.undo();
        const once = feature.properties._style.color;
        state.undo();
        const gone = feature.properties._style === undefined;
        const back = JSON.stringify(state.doc);
        state.redo();
        state.redo();
        return {{after, once, gone, back, again: JSON.stringify(state.doc),
                 same: state.layers[0].features[42] === feature}};
    }}"""
    )
    assert result["once"] == "#aa0000"
    assert result["gone"]
    assert json.loads(result["back"]) == original
    assert result["again"] == result["after"]
    assert result["same"]  # undo and redo put the values back into the same feature


def test_undo_history_is_bounded_in_edits_and_bytes(page, live_server, django_user_model, parcels):
    open_editor(page, live_server, django_user_model, parcels)
    cdp = page.context.new_cdp_session(page)

    def heap_mb() -> float:
        cdp.send("HeapProfiler.collectGarbage")
        return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6

    before = heap_mb()
    kept = page.evaluate(
        f"""() => {{
        const editor = {EDITOR};
        const feature = editor.state.layers[0].features[7];
        for (let i = 0; i < 130; i += 1) {{
            editor.editFeature(feature, 'rename ' + i, (p) => {{ p.name = 'Nom ' + i; }});
        }}
        return editor.state.undoStack.length;
    }}"""
    )
    # Each edit kept a patch of one feature: 130 renames of a 3,000-polygon layer cost little
    # (whole-layer copies cost about 1 MB an edit here).
    assert heap_mb() - before < 25
    assert kept == 100  # the oldest 30 edits were let go
    name = page.evaluate(
        f"""() => {{
        const state = {EDITOR}.state;
        while (state.undo()) {{}}
        return state.layers[0].features[7].properties.name;
    }}"""
    )
    assert name == "Nom 29"  # undoing all that is kept gives the state after the 30th edit

    # The bytes: layer edits (deleting features) keep a snapshot of the layer each; a small
    # budget keeps only the last few, and never more than the budget (but the last edit).
    sizes = page.evaluate(
        f"""() => {{
        const state = {EDITOR}.state;
        state.historyBytes = 1024 * 1024;
        const layer = state.layers[0];
        const sizes = [];
        for (let i = 0; i < 12; i += 1) {{
            state.apply('delete', () => {{ layer.features.splice(0, 1); }}, {{layers: [layer.id]}});
            sizes.push([state.undoStack.length, state.historySize]);
        }}
        return sizes;
    }}"""
    )
    assert all(size <= 1024 * 1024 or count == 1 for count, size in sizes)
    assert sizes[-1][0] < 12
    count = page.evaluate(
        f"""() => {{
        const state = {EDITOR}.state;
        let undone = 0;
        while (state.undo()) undone += 1;
        const features = state.layers[0].features;
        return [undone, features.length, features[0].properties.name];
    }}"""
    )
    undone, length, first = count
    assert length == PARCELS - 12 + undone
    assert first == f"Parcelle {12 - undone}"


def test_a_click_on_a_polygon_of_a_large_layer_selects_it(
    page, live_server, django_user_model, parcels
):
    """A layer of 3,000 polygons is drawn on one canvas, without a Leaflet layer per polygon: a
    click still finds the polygon under it, which gets its named vertex buttons."""
    open_editor(page, live_server, django_user_model, parcels)
    drawn_apart = page.evaluate(
        f"""() => {{
        const editor = {EDITOR};
        const layer = editor.state.layers[0];
        editor.mapView.focusFeature(layer.features[1500]);
        return editor.mapView.bulks.has(layer.id) && editor.mapView.rendered.get(layer.id).size;
    }}"""
    )
    assert drawn_apart == 0  # drawn by the layer's canvas, no Leaflet layer per feature
    map_element = page.locator(".umap-editor__map")
    map_element.scroll_into_view_if_needed()
    page.wait_for_function(f"() => !{EDITOR}.mapView.map._animatingZoom")
    box = map_element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    selected = f"({EDITOR}.state.selection || {{}}).feature === {EDITOR}.state.layers[0].features"
    page.wait_for_function(f"() => {selected}[1500]")
    assert page.get_by_label("Nom", exact=True).input_value() == "Parcelle 1500"
    vertex = page.locator(".umap-editor__map [data-umap-vertex='1']")
    assert vertex.get_attribute("role") == "button"
    assert "Parcelle 1500" in vertex.get_attribute("aria-label")
    # A click beside every polygon selects nothing new.
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    page.wait_for_timeout(200)
    assert page.evaluate(f"() => {selected}[1500]")


def test_a_rename_with_nothing_selected_changes_its_row_and_nothing_else(
    page, live_server, django_user_model, parcels
):
    """The next frame after a rename lays out and paints what changed: the renamed row's text,
    where it is; the feature panel, which says no feature is selected, is not built again, and
    the status line and the undo button follow once the browser is idle."""
    open_editor(page, live_server, django_user_model, parcels)
    panel = page.locator(".umap-editor__feature")
    none_text = "Sélectionnez un élément sur la carte ou dans une liste"
    assert none_text in panel.inner_text()
    marks = f"""() => {{
        const editor = {EDITOR};
        const row = editor.featureList.querySelector('.umap-editor__feature-item');
        return [editor.featurePanel.firstChild.umapTestMark, row.umapTestMark, row.textContent];
    }}"""
    status = page.locator(".umap-editor__status")
    undo = page.locator(".umap-editor__toolbar button", has_text="Annuler")
    status_then, undo_disabled_then = page.evaluate(
        f"""() => {{
        const editor = {EDITOR};
        editor.featurePanel.firstChild.umapTestMark = 'panel';
        editor.featureList.querySelector('.umap-editor__feature-item').umapTestMark = 'row';
        const feature = editor.state.layers[0].features[0];
        editor.editFeature(feature, 'Renommer', (p) => {{ p.name = 'Parcelle renommée'; }});
        return [editor.status.textContent, editor.undoButton.disabled];
    }}"""
    )
    assert (status_then, undo_disabled_then) == ("", True)
    panel_mark, row_mark, row_text = page.evaluate(marks)
    assert (panel_mark, row_mark) == ("panel", "row")
    assert row_text.startswith("Parcelle renommée")
    assert none_text in panel.inner_text()
    expect(status).to_have_text("Renommer", timeout=TIMEOUT)
    expect(undo).to_be_enabled()
    assert "Renommer" in undo.get_attribute("aria-label")

    undo.click()
    page.wait_for_function(f"() => {EDITOR}.state.undoStack.length === 0")
    panel_mark, row_mark, row_text = page.evaluate(marks)
    assert row_text.startswith("Parcelle 0")
    assert none_text in panel.inner_text()

    # A feature selected, then none again: the panel shows the feature, then says none again,
    # and a rename after that still leaves it as it is.
    select_by_name(page, "Parcelle 7")
    assert none_text not in panel.inner_text()
    page.evaluate(f"() => {EDITOR}.state.select(null)")
    page.wait_for_function(
        f"() => {EDITOR}.featurePanel.textContent.includes({none_text!r})", timeout=TIMEOUT
    )
    page.evaluate(
        f"""() => {{
        const editor = {EDITOR};
        const feature = editor.state.layers[0].features[7];
        editor.editFeature(feature, 'Renommer', (p) => {{ p.name = 'Parcelle sept'; }});
    }}"""
    )
    assert none_text in panel.inner_text()
    assert (
        page.evaluate(f"() => {EDITOR}.state.layers[0].features[7].properties.name")
        == "Parcelle sept"
    )
