"""A file imported into a new map gives the same map whether it comes through ``umap_import`` or
the editor's file drop: the same layers and the same map settings (controls, licence, credits,
view, uMap's kept options…), by one rule (``core.document.merge_imported_options``), for each
of uMap's own test files (/work/shared/fixtures/umap/, copied in tests/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wagtail_umap.core.document import empty_document, merge_imported_options
from wagtail_umap.editor.widget import editor_document
from wagtail_umap.formats import read_map_file
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UMAP_FIXTURES = [
    "test_upload_data.umap",
    "test_upload_data.json",
    "test_upload_data.csv",
    "test_upload_data.gpx",
    "test_upload_data.kml",
    "test_upload_simple_marker.json",
    "categorized_highway.geojson",
    "choropleth_region_chomage.geojson",
    "heatmap_data.json",
    "test_circles_layer.geojson",
    *[f"umap_modern/{path.name}" for path in sorted((FIXTURES / "umap_modern").glob("*.umap"))],
]


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("editrice", "e@example.org", "pw")
    client.force_login(user)
    return client


def dropped_in_the_editor(client, name: str) -> dict:
    """What the editor of a new map saves after the file is dropped: the import endpoint's
    layers and merged settings (the new map's settings sent with the file)."""
    start, _refs = editor_document(None)
    upload = SimpleUploadedFile(Path(name).name, (FIXTURES / name).read_bytes())
    response = client.post(
        "/admin/wagtail_umap/editor/import/",
        {"file": upload, "options": json.dumps(start["options"])},
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    document = {**start, "options": answer["options"], "layers": answer["document"]["layers"]}
    if answer["document"].get("groups"):  # the editor adopts the file's groups (groups.js)
        document["groups"] = answer["document"]["groups"]
    map_ = Map(title="Par l’éditeur", summary="-")
    map_.set_document(document)
    return map_.document


def imported_by_the_command(name: str) -> dict:
    call_command("umap_import", str(FIXTURES / name), "--map", "Par la commande", verbosity=0)
    return Map.objects.get(title="Par la commande").document


@pytest.mark.parametrize("name", UMAP_FIXTURES)
def test_the_editor_and_umap_import_give_the_same_map(admin, name):
    from_editor = dropped_in_the_editor(admin, name)
    from_command = imported_by_the_command(name)
    assert from_editor["options"] == from_command["options"]
    assert without_ids(from_editor) == without_ids(from_command)


def without_ids(document: dict) -> dict:
    """The document, its layer and group ids aside (a reader gives a new one to a layer or a
    group without): a group is named by its position."""
    position = {group["id"]: str(n) for n, group in enumerate(document.get("groups") or [])}
    layers = [
        dict(layer, id="", **({"group": position[layer["group"]]} if layer.get("group") else {}))
        for layer in document["layers"]
    ]
    groups = [
        dict(group, id=position[group["id"]], parent=position.get(group.get("parent")))
        for group in document.get("groups") or []
    ]
    return {**document, "layers": layers, **({"groups": groups} if groups else {})}


def test_a_backup_s_settings_are_taken_where_the_map_left_the_default(admin):
    """The controls, licence and credits of uMap's test backup reach the map, as with
    ``umap_import`` (the editor used to keep only the view and the credits)."""
    document = dropped_in_the_editor(admin, "test_upload_data.umap")
    backup = read_map_file("a.umap", (FIXTURES / "test_upload_data.umap").read_bytes())
    defaults = empty_document()["options"]
    for key in ("credits", "licence", "controls", "umap"):
        assert document["options"][key] == backup.document["options"][key]
    assert document["options"]["credits"] != defaults["credits"]
    assert document["options"]["licence"] != defaults["licence"]


def test_settings_the_map_set_are_kept():
    current = {**empty_document()["options"], "credits": "Mairie", "center": [2.0, 47.0]}
    current["zoom"] = 9
    imported = {"credits": "uMap", "center": [3.0, 50.0], "zoom": 4, "controls": {"scale": True}}
    merged = merge_imported_options(current, imported)
    assert merged["credits"] == "Mairie"
    assert (merged["center"], merged["zoom"]) == ([2.0, 47.0], 9)
