"""Lambert-93 (EPSG:2154) ↔ WGS 84, written here (formats/projection.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wagtail_umap.formats.projection import (
    convert_positions,
    from_lambert93,
    looks_like_lambert93,
    to_lambert93,
)

# Reference coordinates computed with PROJ 9 (pyproj, EPSG:4326 → EPSG:2154), to 0.1 mm; the
# first is the projection's own origin, exact by definition.
REFERENCE = [
    ((3.0, 46.5), (700000.0, 6600000.0)),
    ((2.2945, 48.8584), (648237.3015, 6862271.6816)),  # Tour Eiffel
    ((-4.4861, 48.3904), (146632.9785, 6836262.3267)),  # Brest
    ((9.45, 42.7), (1228546.0453, 6199420.644)),  # Corse
    ((7.75, 48.58), (1050163.9436, 6841622.7155)),  # Strasbourg
    ((2.37, 51.03), (655705.5567, 7103986.1411)),  # Dunkerque
]
METRE_IN_DEGREES = 1 / 111_000  # a metre of latitude, an upper bound for longitude in France


@pytest.mark.parametrize(("lonlat", "xy"), REFERENCE)
def test_forward_matches_the_reference_within_a_millimetre(lonlat, xy):
    x, y = to_lambert93(*lonlat)
    assert abs(x - xy[0]) < 0.001 and abs(y - xy[1]) < 0.001


@pytest.mark.parametrize(("lonlat", "xy"), REFERENCE)
def test_inverse_matches_the_reference_within_a_metre(lonlat, xy):
    longitude, latitude = from_lambert93(*xy)
    assert abs(latitude - lonlat[1]) < METRE_IN_DEGREES / 1000
    assert abs(longitude - lonlat[0]) < METRE_IN_DEGREES / 1000


@given(
    st.floats(min_value=-5.5, max_value=10.0),
    st.floats(min_value=41.0, max_value=51.5),
)
def test_round_trip_within_a_millimetre(longitude, latitude):
    x, y = to_lambert93(longitude, latitude)
    back = to_lambert93(*from_lambert93(x, y))
    assert math.dist((x, y), back) < 0.001


@given(
    st.floats(min_value=100_000, max_value=1_250_000),
    st.floats(min_value=6_050_000, max_value=7_150_000),
)
def test_inverse_then_forward_within_a_millimetre(x, y):
    assert math.dist((x, y), to_lambert93(*from_lambert93(x, y))) < 0.001


def test_range_of_france():
    assert looks_like_lambert93(652000, 6862000)
    assert not looks_like_lambert93(2.35, 48.85)
    assert not looks_like_lambert93(652000, 862000)


def test_nested_positions_are_converted_and_anything_else_left():
    converted = convert_positions([[[700000, 6600000], [700000, 6600000, 35]], "x"])
    assert converted[1] == "x"
    (lon, lat), (_, _, z) = converted[0]
    assert (round(lon, 9), round(lat, 9), z) == (3.0, 46.5, 35)
