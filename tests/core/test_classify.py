"""Classification maths, checked against breaks computed by hand."""

import json
from itertools import combinations
from pathlib import Path

import pytest

from wagtail_umap.core import classify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"  # real uMap files


def chomage() -> dict[str, float]:
    """Region name → unemployment rate, from the uMap choropleth fixture (rates are text)."""
    data = json.loads((FIXTURES / "choropleth_region_chomage.geojson").read_text())
    return {
        f["properties"]["nom"]: classify.as_number(f["properties"]["taux"])
        for f in data["features"]
    }


# The 13 rates, sorted (by hand from the file):
# 5.6 5.8 6.1 6.2 6.2 6.3 6.7 6.7 6.7 7.1 7.8 8.5 8.9
SORTED_RATES = [5.6, 5.8, 6.1, 6.2, 6.2, 6.3, 6.7, 6.7, 6.7, 7.1, 7.8, 8.5, 8.9]


def test_fixture_rates_are_read_as_numbers():
    assert sorted(chomage().values()) == SORTED_RATES


def test_as_number():
    assert classify.as_number("6.7") == 6.7
    assert classify.as_number("6,7") == 6.7  # French decimal comma
    assert classify.as_number(3) == 3.0
    for bad in ("", "abc", None, True, float("nan"), "1 234", [1], 10**400, "1e999"):
        assert classify.as_number(bad) is None


def test_quantiles_on_a_simple_series():
    # 0..8, 4 classes: positions 0, 2, 4, 6, 8 of the sorted list.
    assert classify.quantile_breaks(list(range(9)), 4) == [0, 2, 4, 6, 8]
    # 1..4, 3 classes: positions 0, 1, 2, 3 → exactly the values.
    assert classify.quantile_breaks([4, 1, 3, 2], 3) == [1, 2, 3, 4]
    # 1..4, 2 classes: position 1.5 → halfway between 2 and 3.
    assert classify.quantile_breaks([1, 2, 3, 4], 2) == [1, 2.5, 4]


def test_equal_intervals():
    assert classify.equal_breaks([0, 10, 3], 5) == [0, 2, 4, 6, 8, 10]
    assert classify.equal_breaks([5.6, 8.9], 3) == pytest.approx([5.6, 6.7, 7.8, 8.9])


def test_jenks_on_two_obvious_groups():
    values = [1, 2, 3, 10, 11, 12, 30, 31]
    assert classify.jenks_breaks(values, 3) == [1, 3, 12, 31]


def test_jenks_fewer_distinct_values_than_classes():
    assert classify.jenks_breaks([2, 2, 5], 4) == [2, 2, 5]  # two classes: {2}, {5}


def _brute_force_jenks(ordered, classes):
    """The class ends of the grouping with the least squared deviation, by trying them all."""
    best = None
    n = len(ordered)
    for cuts in combinations(range(1, n), classes - 1):
        edges = (0, *cuts, n)
        groups = [ordered[edges[i] : edges[i + 1]] for i in range(classes)]
        cost = sum(sum((x - sum(g) / len(g)) ** 2 for x in g) for g in groups)
        if best is None or cost < best[0] - 1e-12:
            best = (cost, [g[-1] for g in groups])
    return best[1]


@pytest.mark.parametrize("classes", [3, 4, 5])
def test_jenks_matches_brute_force_on_the_fixture(classes):
    expected = _brute_force_jenks(SORTED_RATES, classes)
    assert classify.jenks_breaks(SORTED_RATES, classes)[1:] == expected


def test_chomage_quantiles_4_classes():
    # Positions 12·i/4 = 0, 3, 6, 9, 12 of SORTED_RATES: 5.6, 6.2, 6.7, 7.1, 8.9.
    rates = chomage()
    bounds = classify.breaks(list(rates.values()), "quantiles", 4)
    assert bounds == [5.6, 6.2, 6.7, 7.1, 8.9]
    # A value equal to a break is in the lower class.
    assert classify.class_of(rates["Pays de la Loire"], bounds) == 0  # 5.6
    assert classify.class_of(rates["Corse"], bounds) == 0  # 6.2 = first break
    assert classify.class_of(rates["Bourgogne-Franche-Comté"], bounds) == 1  # 6.3
    assert classify.class_of(rates["Île-de-France"], bounds) == 1  # 6.7 = second break
    assert classify.class_of(rates["Grand Est"], bounds) == 2  # 7.1
    assert classify.class_of(rates["Hauts-de-France"], bounds) == 3  # 8.9
    counts = [0] * 4
    for rate in rates.values():
        counts[classify.class_of(rate, bounds)] += 1
    assert counts == [5, 4, 1, 3]


def test_chomage_jenks_3_classes():
    # By hand: {5.6 … 6.3} (mean 6.033, SDCM 0.333), {6.7, 6.7, 6.7, 7.1} (mean 6.8, 0.12),
    # {7.8, 8.5, 8.9} (mean 8.4, 0.62): total 1.073, less than any other split (the brute
    # force above confirms it).
    rates = chomage()
    bounds = classify.breaks(list(rates.values()), "jenks", 3)
    assert bounds == [5.6, 6.3, 7.1, 8.9]
    assert classify.class_of(rates["Bretagne"], bounds) == 0  # 5.8
    assert classify.class_of(rates["Bourgogne-Franche-Comté"], bounds) == 0  # 6.3
    assert classify.class_of(rates["Normandie"], bounds) == 1  # 6.7
    assert classify.class_of(rates["Grand Est"], bounds) == 1  # 7.1
    assert classify.class_of(rates["Provence-Alpes-Côte d'Azur"], bounds) == 2  # 7.8
    assert classify.class_of(rates["Occitanie"], bounds) == 2  # 8.5


def test_manual_breaks_take_the_data_extremes():
    assert classify.breaks([5.6, 8.9], "manual", 3, [6, 7]) == [5.6, 6, 7, 8.9]
    # A break beyond the data widens the end.
    assert classify.breaks([5.6, 8.9], "manual", 3, [6, 9.5]) == [5.6, 6, 9.5, 9.5]


def test_class_of_outside_the_bounds():
    bounds = [0, 10, 20]
    assert classify.class_of(-5, bounds) == 0
    assert classify.class_of(25, bounds) == 1
    assert classify.class_of(10, bounds) == 0
    assert classify.class_of(10.01, bounds) == 1


def test_breaks_of_no_values():
    assert classify.breaks([], "quantiles", 5) == []


@pytest.mark.parametrize("scheme", list(classify.SCHEMES))
@pytest.mark.parametrize("count", range(3, 10))
def test_ramps_have_distinct_hex_colours(scheme, count):
    colours = classify.ramp(scheme, count)
    assert len(colours) == count == len(set(colours))
    assert all(len(c) == 7 and c.startswith("#") for c in colours)


def test_ramp_ends_are_the_anchors():
    assert classify.ramp("blues", 5)[0] == classify.SCHEMES["blues"][0]
    assert classify.ramp("blues", 7)[-1] == classify.SCHEMES["blues"][-1]
    # The middle of an odd diverging ramp is its light centre.
    assert classify.ramp("red_blue", 5)[2] == "#f7f7f7"


def test_sequential_ramps_get_darker():
    def luminance(colour):
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    for name in ("blues", "greens", "oranges", "purples"):
        levels = [luminance(c) for c in classify.ramp(name, 9)]
        assert levels == sorted(levels, reverse=True), name


def test_text_colour_on():
    assert classify.text_colour_on("#08306b") == "#ffffff"
    assert classify.text_colour_on("#eef4fa") == "#000000"


def test_category_styles_never_rest_on_colour_alone():
    styles = [classify.category_style(i) for i in range(60)]
    # Without their colours, the categories still differ: each has its own marker (shape, then
    # shape and symbol) and its own dash (RGAA 3.1).
    assert len({(s.marker_shape, s.pictogram) for s in styles}) == 60
    assert len({s.dash_array for s in styles}) == 60
    # Neighbours differ in shape (points) and dash (lines) too, not only in colour.
    assert styles[0].marker_shape != styles[1].marker_shape
    assert styles[0].dash_array != styles[1].dash_array


def test_circle_area_is_proportional_to_value():
    big = classify.circle_radius(100, 100, 2, 40)
    quarter = classify.circle_radius(25, 100, 2, 40)
    assert big == 40
    assert quarter == pytest.approx(20)  # a quarter of the area: half the radius
    assert (quarter / big) ** 2 == pytest.approx(0.25)
    assert classify.circle_radius(0.01, 100, 2, 40) == 2  # kept visible
    assert classify.circle_radius(-3, 100, 2, 40) == 2


def test_legend_values():
    assert classify.legend_values(120) == [120, 60, 10]
    assert classify.legend_values(7) == [7, 4, 0.7]
    assert classify.legend_values(0) == []
