"""The content-addressed store of layer data.

A layer's features are saved once, as canonical GeoJSON bytes keyed by their SHA-256. Map
documents (and so every revision) hold only the digest: revisions stay small, an old revision
still resolves, and a data URL never changes content, so it can be cached forever.
"""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_umap.core.content import (
    canonical_json,
    content_digest,
    count_vertices,
    feature_collection,
)


class LayerDataQuerySet(models.QuerySet):
    def in_bulk_by_digest(self, digests: set[str]) -> dict[str, LayerData]:
        """Every stored layer among ``digests``, in one query."""
        return self.in_bulk(list(digests)) if digests else {}


class LayerData(models.Model):
    digest = models.CharField(_("SHA-256 digest"), max_length=64, primary_key=True)
    geojson = models.BinaryField(_("GeoJSON"))
    size = models.PositiveIntegerField(_("size in bytes"))
    feature_count = models.PositiveIntegerField(_("number of features"))
    vertex_count = models.PositiveIntegerField(_("number of vertices"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LayerDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("layer data")
        verbose_name_plural = _("layer data")

    def __str__(self) -> str:
        return self.digest

    @classmethod
    def store(cls, features: list[dict]) -> LayerData:
        """Save validated features (idempotent: the same content gives the same row)."""
        data = canonical_json(feature_collection(features))
        digest = content_digest(data)
        layer_data, _created = cls.objects.get_or_create(
            digest=digest,
            defaults={
                "geojson": data,
                "size": len(data),
                "feature_count": len(features),
                "vertex_count": sum(count_vertices(f["geometry"]) for f in features),
            },
        )
        return layer_data

    @property
    def reference(self) -> dict:
        """What a map document's layer holds in place of its features."""
        return {
            "digest": self.digest,
            "feature_count": self.feature_count,
            "vertex_count": self.vertex_count,
            "size": self.size,
        }

    def features(self) -> list[dict]:
        return json.loads(bytes(self.geojson))["features"]
