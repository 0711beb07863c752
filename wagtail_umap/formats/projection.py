"""Lambert-93 (EPSG:2154) to WGS 84 and back, in pure Python.

Lambert-93 is the official projection of mainland France: a Lambert Conformal Conic with two
standard parallels (the "2SP" form) on the GRS80 ellipsoid of RGF93. RGF93 and WGS 84 agree to
a few centimetres, far below what a web map shows, so no datum shift is applied.

The formulas are the textbook ones (Snyder, "Map Projections: A Working Manual", 1987, pp.
104-110; IGN, "Projection cartographique conique conforme de Lambert", NT/G 71): written here
from those, not copied from any library. The inverse finds the latitude by fixed-point
iteration on the isometric latitude, to 1e-12 radian (about 6 micrometres).
"""

from __future__ import annotations

import math

# GRS80, as RGF93 uses it.
A = 6378137.0
F = 1 / 298.257222101
E = math.sqrt(2 * F - F * F)

# EPSG:2154 parameters.
LATITUDE_ORIGIN = math.radians(46.5)
LONGITUDE_ORIGIN = math.radians(3.0)
PARALLEL_1 = math.radians(49.0)
PARALLEL_2 = math.radians(44.0)
FALSE_EASTING = 700000.0
FALSE_NORTHING = 6600000.0

# Where Lambert-93 coordinates of France (Corsica included) fall, with a margin: X from the
# tip of Brittany to the Alps and Corsica, Y from Corsica's south cape to Dunkirk.
X_RANGE = (50_000.0, 1_350_000.0)
Y_RANGE = (6_000_000.0, 7_200_000.0)


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (E * math.sin(phi)) ** 2)


def _t(phi: float) -> float:
    e_sin = E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - e_sin) / (1 + e_sin)) ** (E / 2)


N = (math.log(_m(PARALLEL_1)) - math.log(_m(PARALLEL_2))) / (
    math.log(_t(PARALLEL_1)) - math.log(_t(PARALLEL_2))
)
_AF = A * _m(PARALLEL_1) / (N * _t(PARALLEL_1) ** N)
RHO_ORIGIN = _AF * _t(LATITUDE_ORIGIN) ** N


def to_lambert93(longitude: float, latitude: float) -> tuple[float, float]:
    """(X, Y) in metres of a WGS 84 (RGF93) longitude and latitude in degrees."""
    phi = math.radians(latitude)
    rho = _AF * _t(phi) ** N
    theta = N * (math.radians(longitude) - LONGITUDE_ORIGIN)
    return (
        FALSE_EASTING + rho * math.sin(theta),
        FALSE_NORTHING + RHO_ORIGIN - rho * math.cos(theta),
    )


def from_lambert93(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in WGS 84 degrees of a Lambert-93 point (X, Y in metres)."""
    dx = x - FALSE_EASTING
    dy = RHO_ORIGIN - (y - FALSE_NORTHING)
    rho = math.hypot(dx, dy)  # N > 0: the cone opens to the north
    t = (rho / _AF) ** (1 / N)
    theta = math.atan2(dx, dy)
    longitude = theta / N + LONGITUDE_ORIGIN
    phi = math.pi / 2 - 2 * math.atan(t)
    for _ in range(50):
        e_sin = E * math.sin(phi)
        following = math.pi / 2 - 2 * math.atan(t * ((1 - e_sin) / (1 + e_sin)) ** (E / 2))
        if abs(following - phi) < 1e-12:
            phi = following
            break
        phi = following
    return math.degrees(longitude), math.degrees(phi)


def looks_like_lambert93(x: float, y: float) -> bool:
    """Whether (X, Y) lies in the range of Lambert-93 coordinates of France."""
    return X_RANGE[0] <= x <= X_RANGE[1] and Y_RANGE[0] <= y <= Y_RANGE[1]


def convert_positions(value: object, outside: list | None = None) -> object:
    """GeoJSON coordinates (a position, or nested lists of them) from Lambert-93 to WGS 84;
    anything that is not a pair of numbers of a sane size is left for validation to refuse.
    ``outside``, when given, receives every position out of France's Lambert-93 range."""
    if isinstance(value, list):
        if (
            len(value) in (2, 3)
            and all(type(item) in (int, float) for item in value)
            and all(math.isfinite(item) and abs(item) < 1e9 for item in value)
        ):
            if outside is not None and not looks_like_lambert93(value[0], value[1]):
                outside.append(value)
            longitude, latitude = from_lambert93(value[0], value[1])
            return [longitude, latitude, *value[2:]]
        return [convert_positions(item, outside) for item in value]
    return value
