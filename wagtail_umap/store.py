"""Moves layer features between a full map document and the content-addressed store.

A *full* document carries each layer's features inline (what files, the editor and the API
send); a *stored* document carries a ``data`` reference instead (what the Map row and its
revisions keep). Both pass the same validation in ``wagtail_umap.core.validation``.
"""

from __future__ import annotations

import copy

from wagtail_umap.conf import get_limits
from wagtail_umap.core.validation import validate_document
from wagtail_umap.models.layer_data import LayerData

# Kept on the Map model's own fields, not in its stored document.
MODEL_FIELDS = ("title", "summary")


def validate_and_store(document: dict) -> dict:
    """Validate a full or stored document (raising ``MapDocumentError``), save its layer data,
    and return its stored form: what a Map's ``document`` field holds."""
    cleaned = validate_document(document, get_limits())
    for key in MODEL_FIELDS:
        cleaned.pop(key, None)
    return store_document(cleaned)


def store_document(document: dict) -> dict:
    """Save every inline layer's features and return the stored form of ``document``."""
    stored = copy.copy(document)
    stored["layers"] = [store_layer(layer) for layer in document.get("layers", [])]
    return stored


def store_layer(layer: dict) -> dict:
    if "features" not in layer:
        return layer
    stored = {key: value for key, value in layer.items() if key != "features"}
    stored["data"] = LayerData.store(layer["features"]).reference
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
