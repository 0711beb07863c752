"""Moves layer features between a full map document and the content-addressed store.

A *full* document carries each layer's features inline (what files, the editor and the API
send); a *stored* document carries a ``data`` reference instead (what the Map row and its
revisions keep). Both pass the same validation in ``wagtail_umap.core.validation``.
"""

from __future__ import annotations

import copy

from wagtail_umap.models.layer_data import LayerData


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
