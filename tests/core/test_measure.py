"""The measuring formulas (core/measure.py; tools.js computes the same in the editor)."""

import math

import pytest

from wagtail_umap.core.measure import (
    AUTHALIC_RADIUS,
    MEAN_RADIUS,
    distance,
    format_area,
    format_length,
    measure,
    ring_area,
)


def test_a_degree_of_a_meridian_is_the_radius_times_its_angle():
    assert distance([2.0, 47.0], [2.0, 48.0]) == pytest.approx(MEAN_RADIUS * math.pi / 180)
    assert distance([0, 0], [0, 0]) == 0


def test_paris_to_lyon_is_the_known_great_circle_distance():
    # Notre-Dame de Paris to Lyon's Place Bellecour: 391.5 km as the crow flies.
    paris, lyon = [2.3499, 48.8530], [4.8320, 45.7578]
    assert distance(paris, lyon) == pytest.approx(391_500, rel=0.003)
    assert distance(paris, lyon) == pytest.approx(distance(lyon, paris))


def test_a_line_sums_its_segments_and_a_multiline_its_lines():
    line = [[2.0, 47.0], [2.0, 47.5], [2.0, 48.0]]
    one_degree = MEAN_RADIUS * math.pi / 180
    assert measure({"type": "LineString", "coordinates": line})["length"] == pytest.approx(
        one_degree
    )
    multi = {"type": "MultiLineString", "coordinates": [line, line]}
    assert measure(multi) == {"kind": "length", "length": pytest.approx(2 * one_degree)}


def test_the_area_between_two_parallels_is_exact_on_the_sphere():
    # A band 1° wide from the equator to 1° north: R² · Δλ · sin(1°).
    ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    expected = AUTHALIC_RADIUS**2 * math.radians(1) * math.sin(math.radians(1))
    assert ring_area(ring) == pytest.approx(expected, rel=1e-9)
    assert ring_area(list(reversed(ring))) == pytest.approx(expected, rel=1e-9)


def test_a_hectare_square_and_a_hole():
    # About 100 m a side at 47° north.
    side_lat = 100 / (MEAN_RADIUS * math.pi / 180)
    side_lng = side_lat / math.cos(math.radians(47))
    outer = [
        [2, 47],
        [2 + side_lng, 47],
        [2 + side_lng, 47 + side_lat],
        [2, 47 + side_lat],
        [2, 47],
    ]
    assert ring_area(outer) == pytest.approx(10_000, rel=0.005)
    hole = [[p[0] / 2 + 1, p[1] / 2 + 23.5] for p in outer]  # a quarter, inside
    polygon = measure({"type": "Polygon", "coordinates": [outer, hole]})
    assert polygon["area"] == pytest.approx(ring_area(outer) - ring_area(hole))
    assert polygon["area"] == pytest.approx(7_500, rel=0.01)
    assert polygon["perimeter"] == pytest.approx(400, rel=0.005)
    multi = measure({"type": "MultiPolygon", "coordinates": [[outer], [outer, hole]]})
    assert multi["area"] == pytest.approx(ring_area(outer) + polygon["area"])


def test_points_are_not_measured():
    assert measure({"type": "Point", "coordinates": [2, 47]}) is None


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (7.46, "7,5\u00a0m"),
        (850.4, "850\u00a0m"),
        (1254, "1,25\u00a0km"),
        (12_340, "12,3\u00a0km"),
        (1_234_000, "1\u202f234\u00a0km"),
    ],
)
def test_lengths_in_french(metres, text):
    assert format_length(metres) == text


@pytest.mark.parametrize(
    ("square_metres", "text"),
    [
        (850.4, "850\u00a0m²"),
        (9_999.4, "9\u202f999\u00a0m²"),
        (123_456, "12,35\u00a0ha"),
        (3_450_000, "3,45\u00a0km²"),
        (1_234_560_000, "1\u202f234,56\u00a0km²"),
    ],
)
def test_areas_in_french(square_metres, text):
    assert format_area(square_metres) == text
