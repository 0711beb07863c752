import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import FIXTURES
from tests.factories import make_map
from wagtail_umap.models import LayerData, Map

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_a_umap_backup_creates_a_published_map():
    out = run("umap_import", str(FIXTURES / "test_upload_data.umap"), "--publish")
    map_ = Map.objects.get()
    assert map_.title == "Imported map" and map_.live
    assert [layer["name"] for layer in map_.layers] == ["Cities", "Tunnels"]
    # The site speaks French (LANGUAGE_CODE), and so do its commands.
    assert "Carte « Imported map » créée : 2 calques, 3 éléments. Publiée." in out
    assert "non affiché : l’option uMap « miniMap » est conservée" in out
    assert "calque « Cities » : 1 Point, 1 Polygon" in out


def test_import_several_files_into_one_map_and_update_it():
    files = [
        str(FIXTURES / "test_upload_data.json"),
        str(FIXTURES / "test_upload_simple_marker.json"),
    ]
    run("umap_import", *files, "--map", "Données", "--publish")
    map_ = Map.objects.get(title="Données")
    assert [layer["name"] for layer in map_.layers] == [
        "test_upload_data",
        "test_upload_simple_marker",
    ]
    run("umap_import", files[1], "--map", "Données", "--replace", "--publish")
    map_.refresh_from_db()
    assert [layer["name"] for layer in map_.layers] == ["test_upload_simple_marker"]
    run("umap_import", files[0], "--map", "Données", "--append")
    map_.refresh_from_db()
    assert len(map_.layers) == 1  # appended as a draft: the live map is unchanged
    assert len(map_.get_latest_revision_as_object().layers) == 2


def test_dry_run_saves_nothing():
    out = run("umap_import", str(FIXTURES / "test_upload_data.umap"), "--dry-run")
    assert "Essai : rien n’a été enregistré." in out
    assert Map.objects.count() == 0
    assert LayerData.objects.count() == 0


def test_a_bad_file_stops_the_whole_run_before_anything_is_saved(tmp_path):
    bad = tmp_path / "ecoles.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [2, 95]},
            }
        )
    )
    with pytest.raises(
        CommandError, match=r"ecoles\.geojson: .*la latitude 95 est hors de -90\.\.90"
    ):
        run("umap_import", str(FIXTURES / "test_upload_data.umap"), str(bad))
    assert Map.objects.count() == 0


def test_export_a_published_map():
    map_ = make_map("Écoles")
    backup = json.loads(run("umap_export", "Écoles", "--format", "umap"))
    assert backup["properties"]["name"] == "Écoles"
    geojson = json.loads(run("umap_export", str(map_.pk), "--format", "geojson"))
    assert geojson["features"][0]["properties"]["name"] == "École A"


def test_export_refuses_a_draft_map(tmp_path):
    make_map("Brouillon", publish=False)
    with pytest.raises(CommandError, match="Aucune carte publiée"):
        run("umap_export", "Brouillon")


def test_export_to_a_file(tmp_path):
    make_map("Écoles")
    target = tmp_path / "ecoles.geojson"
    run("umap_export", "Écoles", "--format", "geojson", "--output", str(target))
    assert json.loads(target.read_text())["type"] == "FeatureCollection"


def test_import_a_umap_backup_with_groups_twice_keeps_both_sets_of_groups():
    backup = str(FIXTURES / "umap_modern" / "groups.umap")
    run("umap_import", backup, "--map", "Écoles", "--publish")
    map_ = Map.objects.get(title="Écoles")
    assert [group["name"] for group in map_.document["groups"]] == ["Écoles", "Privées"]
    run("umap_import", backup, "--map", "Écoles", "--append", "--publish")
    map_.refresh_from_db()
    groups = map_.document["groups"]
    assert [group["name"] for group in groups] == ["Écoles", "Privées"] * 2
    assert len({group["id"] for group in groups}) == 4
    assert {layer.get("group") for layer in map_.layers} - {None} <= {g["id"] for g in groups}
    run("umap_import", str(FIXTURES / "test_upload_simple_marker.json"), "--map", "Écoles",
        "--replace", "--publish")  # fmt: skip
    map_.refresh_from_db()
    assert "groups" not in map_.document
