"""A stored layer's features read a batch at a time from its compressed bytes."""

from __future__ import annotations

import json

import pytest

from tests.factories import point, square
from wagtail_umap.core.content import canonical_json, feature_collection
from wagtail_umap.models import LayerData
from wagtail_umap.models.layer_data import iter_feature_batches, stored_feature_batches


def tricky_features() -> list[dict]:
    return [
        point(2.35, 48.85, "École « A » ] , {", note='"quoted" \\ back', tags=["x", {"y": []}]),
        square(2.3, 48.8, "Zone 30 — été 🚲"),
        {"type": "Feature", "geometry": None, "properties": {"name": "sans géométrie"}},
        point(-1.5, 47.2, "", nested={"features": [1, 2], "a": {"b": '},{"geometry":'}}),
    ] * 7


@pytest.mark.parametrize("piece", [1, 3, 17, 4096])
@pytest.mark.parametrize("size", [1, 5, 1000])
def test_batches_are_the_features_whatever_the_pieces(piece, size):
    features = json.loads(canonical_json(feature_collection(tricky_features())))["features"]
    data = canonical_json(feature_collection(tricky_features()))
    pieces = (data[i : i + piece] for i in range(0, len(data), piece))
    batches = list(iter_feature_batches(pieces, size))
    assert [f for batch in batches for f in batch] == features
    assert all(len(batch) <= size for batch in batches)


def test_an_empty_layer_has_no_batch():
    assert list(iter_feature_batches([canonical_json(feature_collection([]))], 10)) == []


def test_truncated_data_is_an_error():
    data = canonical_json(feature_collection(tricky_features()))
    with pytest.raises(ValueError):
        list(iter_feature_batches([data[:-40]], 10))


@pytest.mark.django_db
def test_stored_layers_are_read_from_their_gzip_bytes():
    stored = LayerData.store(tricky_features())
    batches = list(stored_feature_batches(stored.digest, size=4))
    assert [f for batch in batches for f in batch] == LayerData.objects.get(
        digest=stored.digest
    ).features()
    LayerData.objects.filter(digest=stored.digest).update(geojson_gzip=b"")  # an older row
    again = [f for batch in stored_feature_batches(stored.digest, size=100) for f in batch]
    assert again == LayerData.objects.get(digest=stored.digest).features()
