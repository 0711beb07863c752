"""Lengths and areas of a feature's geometry on the Earth, and their French wording.

The editor's "Measure" tool (``js/editor/tools.js``) computes the same figures in the
browser; ``tests/core/test_measure.py`` pins the formulas and
``tests/browser/test_editing_tools.py`` checks that both agree.

Lengths are great-circle distances (haversine) on the sphere of the Earth's mean radius;
areas are spherical polygons (the excess of each edge's trapezoid to the pole) on the sphere
with the surface of the WGS 84 ellipsoid (its authalic radius). At the scale of a commune both
are within 0.5 % of the ellipsoid's, which is what "how long, how large" asks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MEAN_RADIUS = 6_371_008.8  # metres (IUGG mean radius of WGS 84)
AUTHALIC_RADIUS = 6_371_007.2  # metres (the sphere with the ellipsoid's surface)
NARROW_NBSP = "\u202f"  # French thousands separator, as the browser's Intl writes it
NBSP = "\u00a0"  # between a number and its unit

Position = Sequence[float]


def distance(a: Position, b: Position) -> float:
    """Great-circle distance in metres between two [lng, lat] positions."""
    lng1, lat1, lng2, lat2 = (math.radians(v) for v in (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * MEAN_RADIUS * math.asin(min(1.0, math.sqrt(h)))


def line_length(positions: Sequence[Position]) -> float:
    return sum(distance(positions[i - 1], positions[i]) for i in range(1, len(positions)))


def ring_area(ring: Sequence[Position]) -> float:
    """Area in m² enclosed by a closed ring (positive whichever its direction)."""
    if len(ring) < 4:
        return 0.0
    total = 0.0
    for (lng1, lat1), (lng2, lat2) in zip(
        (p[:2] for p in ring[:-1]), (p[:2] for p in ring[1:]), strict=True
    ):
        total += math.radians(lng2 - lng1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * AUTHALIC_RADIUS * AUTHALIC_RADIUS / 2)


def polygon_area(rings: Sequence[Sequence[Position]]) -> float:
    """The outer ring's area less its holes'."""
    if not rings:
        return 0.0
    return max(0.0, ring_area(rings[0]) - sum(ring_area(hole) for hole in rings[1:]))


def measure(geometry: dict) -> dict | None:
    """``{"kind": "length", "length"}`` of a line, ``{"kind": "area", "area", "perimeter"}``
    of a polygon (the perimeter of its outer rings), None for anything else."""
    kind = geometry.get("type")
    c = geometry.get("coordinates") or []
    if kind == "LineString":
        return {"kind": "length", "length": line_length(c)}
    if kind == "MultiLineString":
        return {"kind": "length", "length": sum(line_length(line) for line in c)}
    if kind == "Polygon":
        return {"kind": "area", "area": polygon_area(c), "perimeter": line_length(c[0]) if c else 0}
    if kind == "MultiPolygon":
        return {
            "kind": "area",
            "area": sum(polygon_area(rings) for rings in c),
            "perimeter": sum(line_length(rings[0]) for rings in c if rings),
        }
    return None


def _french(value: float, digits: int) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_length(metres: float) -> str:
    """ "7,5 m", "850 m", "1,25 km", "12,3 km", "1 234 km" (French numbers)."""
    if metres < 10:
        return f"{_french(metres, 1)}{NBSP}m"
    if metres < 1000:
        return f"{_french(round(metres), 0)}{NBSP}m"
    km = metres / 1000
    return f"{_french(km, 2 if km < 10 else 1 if km < 100 else 0)}{NBSP}km"


def format_area(square_metres: float) -> str:
    """ "850 m²", "12,35 ha" (from 1 ha), "3,45 km²" (from 1 km²)."""
    if square_metres < 10_000:
        return f"{_french(round(square_metres), 0)}{NBSP}m²"
    if square_metres < 1_000_000:
        return f"{_french(square_metres / 10_000, 2)}{NBSP}ha"
    return f"{_french(square_metres / 1_000_000, 2)}{NBSP}km²"
