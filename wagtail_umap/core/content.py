"""Content addressing of layer data: one canonical byte form, one digest."""

from __future__ import annotations

import hashlib
import json


def canonical_json(value: object) -> bytes:
    """The one byte form of ``value``: equal data always gives equal bytes (and digest)."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def count_vertices(geometry: dict) -> int:
    """Positions in a validated geometry (a closing ring position counts too)."""
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return sum(count_vertices(member) for member in geometry["geometries"])
    coordinates = geometry["coordinates"]
    if kind == "Point":
        return 1
    if kind in ("MultiPoint", "LineString"):
        return len(coordinates)
    if kind in ("MultiLineString", "Polygon"):
        return sum(len(part) for part in coordinates)
    if kind == "MultiPolygon":
        return sum(len(ring) for polygon in coordinates for ring in polygon)
    raise ValueError(f"unknown geometry type {kind!r}")
