"""Groups of layers, from the editor to the visitor, by keyboard (issue 17).

An editor makes a group "Écoles" of two layers with the keyboard only (the group's name is
typed in the browser's prompt), publishes; a visitor hides the whole group with its one
checkbox, shows one layer again (the group's box turns mixed), and axe finds nothing wrong.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    MAP_PUBLISHED_URL,
    TIMEOUT,
    hidden_document,
    open_map,
    open_map_editor,
    publish,
    status_text,
    wait_for_autosave_idle,
)
from tests.factories import layer, make_map, point, root_page

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]


def services_map():
    root_page()  # the flush after a live-server test removes Wagtail's root and its locale
    return make_map(
        "Services de Belleville",
        layers=[
            layer("Maternelles", point(2.861, 47.501, "Maternelle Jean-Jaurès"), id="mat"),
            layer("Élémentaires", point(2.858, 47.499, "École Victor-Hugo"), id="elem"),
            layer("Mairie", point(2.86, 47.5, "Hôtel de ville"), id="mairie"),
        ],
    )


def put_in_group(page, layer_name: str) -> None:
    """Make the layer current and choose its group in its settings, by keyboard."""
    pick = page.locator(".umap-editor__layer-pick", has_text=layer_name)
    pick.focus()
    page.keyboard.press("Enter")
    details = page.locator(".umap-editor__layer-details")
    if not details.evaluate("node => node.open"):
        details.locator("summary").focus()
        page.keyboard.press("Enter")
    select = page.get_by_label("Groupe", exact=True)
    select.focus()
    select.select_option(label="Écoles")  # a <select> chosen from the keyboard
    page.wait_for_function(
        "(name) => document.querySelector('[data-umap-status], .umap-editor__status')"
        "?.textContent.includes(name)",
        arg=layer_name,
    )


def test_editor_groups_layers_by_keyboard_and_visitor_hides_the_group(
    page, live_server, watch, axe, screenshot, django_user_model
):
    map_ = services_map()
    open_map_editor(page, live_server, django_user_model, map_)

    # A group, named in the prompt the "Add a group" button opens.
    page.once("dialog", lambda dialog: dialog.accept("Écoles"))
    add = page.locator("[data-focus-key=add-group]")
    add.focus()
    page.keyboard.press("Enter")
    page.locator(".umap-editor__group-name", has_text="Écoles").wait_for(timeout=TIMEOUT)
    groups = hidden_document(page)["groups"]
    assert [group["name"] for group in groups] == ["Écoles"]

    put_in_group(page, "Maternelles")
    put_in_group(page, "Élémentaires")
    document = hidden_document(page)
    by_name = {item["name"]: item for item in document["layers"]}
    assert by_name["Maternelles"]["group"] == by_name["Élémentaires"]["group"] == groups[0]["id"]
    assert "group" not in by_name["Mairie"]
    nested = page.locator(".umap-editor__group .umap-editor__layer-name").all_inner_texts()
    assert nested == ["Maternelles", "Élémentaires"]

    # A new group comes last: ↑ brings it above "Mairie", its layers with it.
    up = page.locator(f"[data-focus-key=up-group-{groups[0]['id']}]")
    up.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.umap-editor__status').textContent.includes('position 1')"
    )
    top = page.locator(".umap-editor__layers:not(.umap-editor__layers--nested) > li")
    assert top.evaluate_all("items => items.map((i) => i.className)") == [
        "umap-editor__group",
        "umap-editor__layer",
    ]
    assert [item["name"] for item in hidden_document(page)["layers"]] == [
        "Maternelles",
        "Élémentaires",
        "Mairie",
    ]

    page.locator(".umap-editor__group").scroll_into_view_if_needed()
    screenshot(page, "editor-layer-groups")

    # Undo takes the last edit back, redo brings it again: like any other edit.
    add.focus()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].name === 'Mairie'"
    )
    page.keyboard.press("Control+Shift+z")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].name === 'Maternelles'"
    )

    # Publish once Wagtail's autosave is idle, as helpers.save_draft does: an autosave of the
    # older content landing after the publish would be refused (a 400 in the console).
    wait_for_autosave_idle(page)
    with page.expect_navigation(timeout=TIMEOUT):
        publish(page, keyboard=True)
    page.wait_for_url(MAP_PUBLISHED_URL, timeout=TIMEOUT)
    map_.refresh_from_db()
    assert [group["name"] for group in map_.document["groups"]] == ["Écoles"]

    # The visitor: the switcher nests the group's layers under its checkbox.
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    switcher = section.locator(".umap-layer-tree")
    group_box = switcher.get_by_role("checkbox", name="Écoles")
    maternelles = switcher.get_by_role("checkbox", name="Maternelles")
    elementaires = switcher.get_by_role("checkbox", name="Élémentaires")
    assert group_box.is_checked() and maternelles.is_checked() and elementaires.is_checked()
    assert "3 éléments" in status_text(section)

    group_box.focus()
    page.keyboard.press("Space")  # one checkbox hides both layers
    assert not maternelles.is_checked() and not elementaires.is_checked()
    assert not group_box.is_checked()
    page.wait_for_function(
        "(id) => document.getElementById(id).querySelector('[data-umap-status]')"
        ".textContent.includes('1 élément')",
        arg=section.get_attribute("id"),
    )
    markers = section.locator(".umap-marker")
    assert markers.evaluate_all("ms => ms.map((m) => m.getAttribute('aria-label'))") == [
        "Hôtel de ville"
    ]

    maternelles.focus()
    page.keyboard.press("Space")  # one layer back: the group is mixed
    assert maternelles.is_checked() and not elementaires.is_checked()
    assert group_box.evaluate("box => box.indeterminate") is True
    assert 'checkbox "Écoles" [checked=mixed]' in switcher.aria_snapshot()
    assert markers.count() == 2

    # The list below the map follows the grouping: the group's heading, its layers under it.
    titles = section.locator(".umap-viewer__group-title, .umap-viewer__layer-title")
    assert titles.all_inner_texts() == ["Écoles", "Maternelles", "Élémentaires", "Mairie"]
    levels = titles.evaluate_all("hs => hs.map((h) => h.tagName)")
    assert levels[1] == levels[2] == levels[3][:1] + str(int(levels[3][1]) + 1)  # one deeper
    assert levels[0] == levels[3]

    assert axe(page) == []
    screenshot(page, "layer-groups")
    watch.assert_clean()


def test_editor_drags_layers_nests_groups_and_deleting_a_group_keeps_its_layers(
    page, live_server, watch, django_user_model
):
    map_ = services_map()
    document = map_.document
    document["groups"] = [{"id": "ecoles", "name": "Écoles", "parent": None}]
    for item in document["layers"]:
        if item["id"] in ("mat", "elem"):
            item["group"] = "ecoles"
    map_.set_document(document)
    map_.save_revision()
    open_map_editor(page, live_server, django_user_model, map_)
    assert page.locator(".umap-editor__group .umap-editor__layer-name").all_inner_texts() == [
        "Maternelles",
        "Élémentaires",
    ]

    # Drag "Mairie" onto the group's name: into the group, last.
    mairie = page.locator(".umap-editor__layer[data-layer-id=mairie]")
    mairie.drag_to(page.locator(".umap-editor__group-row", has_text="Écoles"))
    page.wait_for_function(
        "() => document.querySelector('.umap-editor__status').textContent"
        ".includes('Mairie déplacé dans le groupe Écoles')"
    )
    assert {item["id"]: item.get("group") for item in hidden_document(page)["layers"]} == {
        "mat": "ecoles",
        "elem": "ecoles",
        "mairie": "ecoles",
    }

    # Drag "Mairie" before "Maternelles": first in the group.
    mairie.drag_to(page.locator(".umap-editor__layer[data-layer-id=mat]"))
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".layers[0].id === 'mairie'"
    )

    # A second group, and "Écoles" nested in it with the keyboard ("… est dans le groupe").
    page.once("dialog", lambda dialog: dialog.accept("Services"))
    add = page.locator("[data-focus-key=add-group]")
    add.focus()
    page.keyboard.press("Enter")
    page.locator(".umap-editor__group-name", has_text="Services").wait_for(timeout=TIMEOUT)
    services = next(g for g in hidden_document(page)["groups"] if g["name"] == "Services")
    parent = page.get_by_label("Écoles est dans le groupe")
    parent.focus()
    parent.select_option(label="Services")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value)"
        ".groups.find((g) => g.id === 'ecoles').parent"
    )
    assert {g["id"]: g["parent"] for g in hidden_document(page)["groups"]} == {
        services["id"]: None,
        "ecoles": services["id"],
    }

    # Deleting "Écoles": its layers move up a level, into "Services", in their order.
    delete = page.get_by_role("button", name="Supprimer le groupe : Écoles")
    delete.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('input[name=document]').value).groups.length === 1"
    )
    document = hidden_document(page)
    assert [item["id"] for item in document["layers"]] == ["mairie", "mat", "elem"]
    assert {item.get("group") for item in document["layers"]} == {services["id"]}
    assert "ses calques remontent d’un niveau" in page.locator(".umap-editor__status").inner_text()

    # Deleting "Services" too: the layers are at the top, none lost.
    page.get_by_role("button", name="Supprimer le groupe : Services").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !('groups' in JSON.parse(document.querySelector('input[name=document]').value))"
    )
    document = hidden_document(page)
    assert [item["id"] for item in document["layers"]] == ["mairie", "mat", "elem"]
    assert all("group" not in item for item in document["layers"])
    watch.assert_clean()
