"""Moves layer features between a full map document and the content-addressed store.

A *full* document carries each layer's features inline (what files, the editor and the API
send); a *stored* document carries a ``data`` reference instead (what the Map row and its
revisions keep). Both pass the same validation in ``wagtail_umap.core.validation``.
"""

from __future__ import annotations

import copy

from django.utils.translation import gettext_noop

from wagtail_umap.conf import get_limits, get_setting
from wagtail_umap.core import messages as m
from wagtail_umap.core.content import count_vertices
from wagtail_umap.core.errors import Issue, Location, MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.models.layer_data import LayerData

# Kept on the Map model's own fields, not in its stored document.
MODEL_FIELDS = ("title", "summary")
LAYER_DATA_MISSING = gettext_noop(
    "the data of this layer is no longer stored (collected as unused); reload the page"
)


def validate_and_store(document: dict) -> dict:
    """Validate a full or stored document (raising ``MapDocumentError``), save its layer data,
    and return its stored form: what a Map's ``document`` field holds."""
    check_layer_features(document)
    cleaned = validate_document(document, get_limits())
    for key in MODEL_FIELDS:
        cleaned.pop(key, None)
    return store_document(cleaned)


def store_imported(document: dict, on_layer=None) -> dict:
    """Store the layers of a document a reader returned (already validated with the import
    limits), each within the per-layer limits, and return it with references in place of
    features. ``on_layer(position, count)`` is called before each layer (a job's progress)."""
    check_layer_features(document)
    vertex_counts = layer_vertex_counts(document.get("layers", []))
    stored = copy.copy(document)
    stored["layers"] = []
    layers = document.get("layers", [])
    for position, (layer, count) in enumerate(zip(layers, vertex_counts, strict=True), start=1):
        if on_layer is not None:
            on_layer(position, len(layers))
        stored["layers"].append(store_layer(layer, count))
    return stored


def check_layer_features(document: object) -> None:
    """Reject a layer with more features than MAX_LAYER_FEATURES, before anything costly."""
    layers = document.get("layers") if isinstance(document, dict) else None
    if not isinstance(layers, list):
        return  # validation says what is wrong
    limit = get_setting("MAX_LAYER_FEATURES")
    issues = []
    for position, layer in enumerate(layers, start=1):
        if not isinstance(layer, dict):
            continue
        features = layer.get("features")
        count = len(features) if isinstance(features, list) else 0
        data = layer.get("data")
        if isinstance(data, dict) and isinstance(data.get("feature_count"), int):
            count += data["feature_count"]
        if count > limit:
            issues.append(
                Issue(
                    m.TOO_MANY_LAYER_FEATURES,
                    {"value": count, "limit": limit},
                    _where(layer, position),
                )
            )
    if issues:
        raise MapDocumentError(issues)


def layer_vertex_counts(layers: list[dict]) -> list[int | None]:
    """Each inline layer's vertex count (None for a stored one), or a located error for a layer
    above MAX_LAYER_VERTICES: checked for every layer before any is stored."""
    limit = get_setting("MAX_LAYER_VERTICES")
    counts, issues = [], []
    for position, layer in enumerate(layers, start=1):
        if "features" not in layer:
            counts.append(None)
            continue
        count = sum(count_vertices(f["geometry"]) for f in layer["features"] if f["geometry"])
        if count > limit:
            issues.append(
                Issue(
                    m.TOO_MANY_LAYER_VERTICES,
                    {"value": count, "limit": limit},
                    _where(layer, position),
                )
            )
        counts.append(count)
    if issues:
        raise MapDocumentError(issues)
    return counts


def _where(layer: dict, position: int) -> Location:
    name = layer.get("name")
    return Location(layer=position, layer_name=name if isinstance(name, str) else None)


def store_document(document: dict) -> dict:
    """Save every inline layer's features and return the stored form of ``document``.

    The data the document only refers to is touched (see ``LayerData.touch``): from now on the
    collection of unreferenced data leaves it alone while this save completes."""
    layers = document.get("layers", [])
    vertex_counts = layer_vertex_counts(layers)
    check_references_held(document)
    stored = copy.copy(document)
    stored["layers"] = [
        store_layer(layer, count) for layer, count in zip(layers, vertex_counts, strict=True)
    ]
    return stored


def check_references_held(document: dict) -> None:
    """Touch the data every stored layer refers to; a located error for data not held."""
    wanted = layer_digests(document)
    held = LayerData.touch(wanted)
    issues = [
        Issue(LAYER_DATA_MISSING, {}, _where(layer, position))
        for position, layer in enumerate(document.get("layers", []), start=1)
        if "data" in layer and layer["data"]["digest"] not in held
    ]
    if issues:
        raise MapDocumentError(issues)


def store_layer(layer: dict, vertex_count: int | None = None) -> dict:
    if "features" not in layer:
        return layer
    stored = {key: value for key, value in layer.items() if key != "features"}
    stored["data"] = LayerData.store(layer["features"], vertex_count).reference
    return stored


def layer_digests(document: dict) -> set[str]:
    return {layer["data"]["digest"] for layer in document.get("layers", []) if "data" in layer}


def missing_digests(document: dict) -> set[str]:
    """Digests the document refers to that the store does not hold."""
    digests = layer_digests(document)
    found = set(LayerData.objects.filter(digest__in=digests).values_list("digest", flat=True))
    return digests - found


def load_layer_data(document: dict) -> dict[str, LayerData]:
    """The stored data of every layer of ``document``, in one query."""
    return LayerData.objects.in_bulk_by_digest(layer_digests(document))


def load_viewer_data(document: dict, inline_max: int | None) -> dict[str, LayerData]:
    """What the viewer needs of every layer, in at most three queries whatever the number of
    layers and features: the counts, types and box of all; the GeoJSON of the layers of at
    most ``inline_max`` bytes (``None``: of all), which travel inside the page; the feature
    index of the others, which load from their data URL and list their features a page at a
    time."""
    return load_viewer_data_of(layer_digests(document), inline_max)


def load_viewer_data_of(digests: set[str], inline_max: int | None) -> dict[str, LayerData]:
    """:func:`load_viewer_data` for the layers of several maps (a page's, ``page_maps``)."""
    rows = LayerData.objects.without_blobs().in_bulk_by_digest(digests)
    small = [d for d, row in rows.items() if inline_max is None or row.size <= inline_max]
    large = [digest for digest in rows if digest not in small]
    for digests, field in ((small, "geojson"), (large, "feature_index")):
        if digests:
            values = LayerData.objects.filter(digest__in=digests).values_list("digest", field)
            for digest, value in values:
                setattr(rows[digest], field, value)
    return rows


def layer_features(layer: dict) -> list[dict]:
    """One layer's features, inline or from the store."""
    if "data" not in layer:
        return layer.get("features", [])
    return LayerData.objects.get(digest=layer["data"]["digest"]).features()


def full_document(document: dict) -> dict:
    """The document with every layer's features inline (for exports and the editor)."""
    stored_data = load_layer_data(document)
    full = copy.copy(document)
    full["layers"] = []
    for layer in document.get("layers", []):
        layer = dict(layer)
        reference = layer.pop("data", None)
        if reference is not None:
            layer["features"] = stored_data[reference["digest"]].features()
        full["layers"].append(layer)
    return full
