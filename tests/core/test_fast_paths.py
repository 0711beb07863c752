"""The speed paths of validation give exactly what the general paths give."""

from __future__ import annotations

import gc
import json

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import Limits, _rough_vertex_count, validate_document


def _outcome(document: dict, max_vertices: int = 3, **kwargs: object) -> object:
    try:
        cleaned = validate_document(document, Limits(max_vertices=max_vertices), **kwargs)
    except MapDocumentError as error:
        return error.messages()
    for layer in cleaned["layers"]:
        layer.pop("id")
    return cleaned


def _document(*geometries: object) -> dict:
    features = [{"type": "Feature", "geometry": g, "properties": {"p": [1]}} for g in geometries]
    return {"version": 1, "layers": [{"name": "A", "features": features}]}


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "LineString", "coordinates": [[1, 2], [3, 4.00000049]]},
        {"type": "LineString", "coordinates": [[1, 2, 3.5], [3, 4]]},
        {"type": "LineString", "coordinates": [[1, 2], (3, 4)]},
        {"type": "LineString", "coordinates": [[1, 2], [True, 4], [200, "x"]]},
        {"type": "LineString", "coordinates": [[1, 2], [3, 4, float("inf")]]},
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 95], []]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0.0000001]]]},
    ],
)
def test_a_source_size_changes_nothing_but_speed(geometry: dict) -> None:
    document = _document(geometry)
    size = len(json.dumps(document).encode())
    assert _outcome(document, 100, source_bytes=size) == _outcome(document, 100)


def test_the_vertex_count_still_runs_when_the_source_could_hold_too_many() -> None:
    document = _document({"type": "MultiPoint", "coordinates": [[0], [0], [0], [0]]})
    expected = ["too many points in geometries: 4, the limit is 3"]
    assert _outcome(document, source_bytes=12) == expected  # 12 bytes could hold 4 vertices
    assert _outcome(document) == expected


def test_a_vertex_takes_at_least_three_bytes_of_json() -> None:
    # The densest text for the early count: every "[0]" is a vertex of its own.
    text = json.dumps({"type": "MultiPoint", "coordinates": [[0]] * 1000}, separators=(",", ":"))
    count = _rough_vertex_count({"geometry": json.loads(text)})
    assert count == 1000 and 3 * count <= len(text)


def test_the_garbage_collector_is_back_after_a_read() -> None:
    from wagtail_umap.formats import FormatError, read_map_file

    point = b'{"type": "Point", "coordinates": [1, 2]}'
    read_map_file("a.geojson", point)
    assert gc.isenabled()
    with pytest.raises(FormatError):
        read_map_file("a.geojson", b"{")
    assert gc.isenabled()
    gc.disable()
    try:
        read_map_file("a.geojson", point)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
