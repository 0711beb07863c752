import hashlib

import pytest

from wagtail_umap.core.content import (
    canonical_json,
    content_digest,
    count_vertices,
    feature_collection,
)


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_canonical_json_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})


def test_equal_content_gives_equal_digest():
    one = canonical_json({"a": 1, "b": [1, 2]})
    two = canonical_json({"b": [1, 2], "a": 1})
    assert content_digest(one) == content_digest(two) == hashlib.sha256(one).hexdigest()
    assert len(content_digest(one)) == 64


def test_feature_collection():
    assert feature_collection([]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("geometry", "count"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, 1),
        ({"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]}, 2),
        ({"type": "LineString", "coordinates": [[1, 2], [3, 4], [5, 6]]}, 3),
        ({"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]}, 4),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, 4),
        ({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] * 2}, 8),
        (
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "Point", "coordinates": [1, 2]}] * 3,
            },
            3,
        ),
    ],
)
def test_count_vertices(geometry, count):
    assert count_vertices(geometry) == count
