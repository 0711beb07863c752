"""``manage.py umap_import`` never changes a map that has the title without ``--replace`` or
``--append``: it stops before saving anything and says what exists."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_map
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def geojson(tmp_path):
    def write(name: str, title: str | None = None, feature: str = "Nouveau") -> str:
        data = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [2.3, 48.8]},
                    "properties": {"name": feature},
                }
            ],
        }
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return str(path)

    return write


def latest(map_) -> Map:
    return Map.objects.get(pk=map_.pk).get_latest_revision_as_object()


def layer_names(map_) -> list[str]:
    return [item["name"] for item in latest(map_).layers]


def test_a_file_named_like_a_map_does_not_replace_it(geojson):
    existing = make_map("Écoles")
    with pytest.raises(CommandError, match=r"existe déjà \(id \d+\) : ajoutez --replace"):
        run("umap_import", geojson("Écoles.geojson"))
    assert layer_names(existing) == ["Écoles"]
    assert Map.objects.count() == 1


def test_map_option_does_not_replace_either(geojson):
    existing = make_map("Écoles")
    with pytest.raises(CommandError, match="--replace"):
        run("umap_import", geojson("a.geojson"), "--map", "Écoles")
    assert layer_names(existing) == ["Écoles"]


def test_nothing_is_saved_when_one_map_of_the_run_exists(geojson):
    make_map("Écoles")
    with pytest.raises(CommandError):
        run("umap_import", geojson("Parcs.geojson"), geojson("Écoles.geojson"))
    assert not Map.objects.filter(title="Parcs").exists()


def test_replace_replaces_and_append_adds(geojson):
    existing = make_map("Écoles")
    run("umap_import", geojson("Écoles.geojson"), "--replace")
    assert layer_names(existing) == ["Écoles"]  # the file's layer, named after the file
    (features,) = [item["features"] for item in latest(existing).full_document()["layers"]]
    assert features[0]["properties"]["name"] == "Nouveau"
    run("umap_import", geojson("Ajout.geojson"), "--map", "Écoles", "--append")
    assert layer_names(existing) == ["Écoles", "Ajout"]


def test_replace_and_append_together_are_refused(geojson):
    with pytest.raises(CommandError):
        run("umap_import", geojson("a.geojson"), "--replace", "--append")


def test_a_title_several_maps_share_is_refused(geojson):
    make_map("Écoles")
    make_map("Écoles")
    with pytest.raises(CommandError, match="Plusieurs cartes"):
        run("umap_import", geojson("Écoles.geojson"), "--replace")


def test_a_new_title_creates_a_map_without_any_option(geojson):
    make_map("Écoles")
    run("umap_import", geojson("Parcs.geojson"))
    assert Map.objects.filter(title="Parcs").exists()
