"""The export formats written a batch of features at a time give the same bytes as the
writers given the whole document."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.factories import document, layer, point, square
from wagtail_umap.formats import EXPORT_FORMATS, read_map_file, write_map_file
from wagtail_umap.formats.stream import stream_map_file

FIXTURES = Path(__file__).parents[1] / "fixtures"
FILES = [
    "test_upload_data.umap",
    "test_upload_data.json",
    "test_upload_data.csv",
    "test_upload_data.kml",
    "test_upload_data.gpx",
    "categorized_highway.geojson",
    "choropleth_region_chomage.geojson",
    "test_circles_layer.geojson",
    "test_upload_simple_marker.json",
]


def line(name: str, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[2, 47], [2.1, 47.1, 12.5]]},
        "properties": {"name": name, **properties},
    }


def generated() -> dict:
    """Typed fields (KML's schema), mixed types, styles, an empty layer, lines and points."""
    full = document(
        layer(
            "Écoles",
            point(2.35, 48.85, "École <A> & co", eleves=120, ouverte=True, note=4.5),
            point(2.36, 48.86, "École B", eleves=80, ouverte=False, note=3),
            point(2.37, 48.87, "", eleves="beaucoup", _style={"color": "#ff0000"}),
            style={"color": "#1f5fa8", "weight": 3},
            id="ecoles",
            description="Les écoles",
        ),
        layer("Vide", id="vide", shown_on_load=False),
        layer(
            "Rues",
            line("Rue 1", longueur=1.5, layer="homonyme"),
            square(2.3, 48.8, "Zone", size=0.02),
            id="rues",
        ),
        center={"lat": 48.85, "lng": 2.35},
        zoom=12,
    )
    full["title"], full["summary"] = "Carte « test »", "Résumé\nsur deux lignes"
    return full


def documents() -> list[tuple[str, dict]]:
    found = [(name, read_map_file(name, (FIXTURES / name).read_bytes()).document) for name in FILES]
    found.append(("generated", generated()))
    one = generated()
    one["layers"] = one["layers"][:1]
    found.append(("one layer", one))
    empty = generated()
    empty["layers"] = [empty["layers"][1]]
    found.append(("one empty layer", empty))
    return found


def streamed(full: dict, format_name: str, size: int) -> bytes:
    features = {id(layer_): layer_.get("features", []) for layer_ in full["layers"]}
    bare = copy.copy(full)
    bare["layers"] = [
        {k: v for k, v in layer_.items() if k != "features"} for layer_ in full["layers"]
    ]
    by_id = dict(zip((layer_["id"] for layer_ in bare["layers"]), features.values(), strict=True))

    def batches(layer_: dict):
        items = by_id[layer_["id"]]
        for start in range(0, len(items), size):
            yield items[start : start + size]

    return b"".join(stream_map_file(bare, format_name, batches))


@pytest.mark.parametrize("format_name", list(EXPORT_FORMATS))
@pytest.mark.parametrize("size", [1, 2, 1000])
def test_the_streamed_file_is_the_written_file(format_name, size):
    for name, full in documents():
        expected = write_map_file(copy.deepcopy(full), format_name)
        assert streamed(full, format_name, size) == expected, name
