"""core/layer_patch.py: a layer patch read against its base and merged at the byte level, with
no Django and no parsing of the base."""

from __future__ import annotations

import json

import pytest

from wagtail_umap.core.content import canonical_json, feature_collection
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.layer_patch import (
    feature_spans,
    merged_bytes,
    merged_features,
    merged_lines,
    patch_base,
    read_patch,
)

BASE = "a" * 64


def feature(name: str, lng: float = 2.0, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, 47.0]},
        "properties": {"name": name, **properties},
    }


def layer(count: int) -> list[dict]:
    return [feature(f"F{i}", 2 + i / 100) for i in range(count)]


def merge(base: list[dict], items: list) -> bytes:
    data = canonical_json(feature_collection(base))
    patch = read_patch({"base": BASE, "features": items}, len(base))
    spans = feature_spans(data, len(base))
    assert spans is not None
    return merged_bytes(data, spans, patch, [canonical_json(f) for f in patch.features])


def test_a_rename_gives_the_bytes_of_the_whole_layer():
    base = layer(6)
    renamed = feature("Renommé", 2.03)
    expected = canonical_json(feature_collection([*base[:3], renamed, *base[4:]]))
    assert merge(base, [[0, 3], renamed, [4, 6]]) == expected


def test_deletions_additions_and_order():
    base = layer(5)
    new = feature("Nouveau")
    merged = json.loads(merge(base, [new, [3, 5], [0, 1]]))["features"]
    assert [f["properties"]["name"] for f in merged] == ["Nouveau", "F3", "F4", "F0"]
    patch = read_patch({"base": BASE, "features": [new, [3, 5], [0, 1]]}, 5)
    assert patch.removed == [1, 2]
    assert patch.positions == [1] and patch.count == 4


def test_everything_deleted_and_an_empty_base():
    assert json.loads(merge(layer(3), []))["features"] == []
    assert json.loads(merge([], [feature("Seul")]))["features"] == [feature("Seul")]


def test_the_same_merge_on_index_lines_and_on_parsed_features():
    base = layer(4)
    patch = read_patch({"base": BASE, "features": [[2, 4], feature("X"), [0, 1]]}, 4)
    lines = [b"0", b"1", b"2", b"3"]
    assert merged_lines(lines, patch, [b"x"]) == b"2\n3\nx\n0"
    merged = merged_features(base, patch, ["cleaned"])
    assert merged == [base[2], base[3], "cleaned", base[0]]


def test_a_property_that_looks_like_a_boundary_makes_the_scan_give_up():
    base = layer(3)
    base[1]["properties"]["liste"] = [{"a": 1}, {"geometry": None}]
    data = canonical_json(feature_collection(base))
    assert feature_spans(data, 3) is None
    # A string holding the same characters is escaped: no false boundary.
    base[1]["properties"] = {"name": '},{"geometry":'}
    data = canonical_json(feature_collection(base))
    spans = feature_spans(data, 3)
    assert [json.loads(data[a:b]) for a, b in spans] == base


def test_bytes_that_are_not_a_stored_layer():
    assert feature_spans(b"[]", 0) is None
    assert feature_spans(canonical_json(feature_collection(layer(2))), 3) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {"base": "nope", "features": []},
        {"base": BASE},
        {"base": BASE, "features": {}},
    ],
)
def test_what_is_no_patch(value):
    with pytest.raises(MapDocumentError) as caught:
        read_patch(value, 3)
    assert "not a layer patch" in caught.value.messages()[0]


def test_patch_base():
    assert patch_base({"base": BASE}) == BASE
    assert patch_base({"base": BASE.upper()}) is None
    assert patch_base("x") is None


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([[0, 4]], "features 0–4 of the saved layer, which has 3"),
        ([[-1, 2]], "which has 3"),
        ([[2, 2]], "which has 3"),
        ([[0, 2], [1, 3]], "feature 2 of the saved layer twice"),
        ([[0, True]], "where a feature"),
        ([[0, 1, 2]], "where a feature"),
        ([[0.0, 1]], "where a feature"),
        (["x"], "'x' where a feature"),
    ],
)
def test_bad_runs_are_refused(items, expected):
    with pytest.raises(MapDocumentError) as caught:
        read_patch({"base": BASE, "features": items}, 3)
    assert expected in caught.value.messages()[0]
