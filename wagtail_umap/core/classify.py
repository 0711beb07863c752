"""Classification of numeric values for choropleths, and the colours and shapes maps use.

Pure Python, no Django. The viewer's server side computes the classes once per layer
(``classify``) and sends the breaks and colours to the script, so the legend, the map and the
feature list all agree.

Conventions: a classification of ``k`` classes has ``k + 1`` bounds ``[min, b1, …, max]``; a
value equal to an inner break falls in the lower class (classes are ``[min, b1]``,
``(b1, b2]``, …), as natural breaks name each class by its largest value.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

METHODS = ("quantiles", "equal", "jenks", "manual")
MIN_CLASSES, MAX_CLASSES = 3, 9
DEFAULT_CLASSES = 5
# Natural breaks cost O(classes × distinct values²): beyond this many distinct values the
# values are first reduced to this many evenly spaced order statistics.
JENKS_MAX_VALUES = 400

# Colour-blind-safe ramps, as a few anchor colours from light to dark (sequential) or from one
# end through a light middle to the other (diverging); ``ramp`` interpolates ``k`` colours.
SEQUENTIAL_SCHEMES = {
    "blues": ("#eef4fa", "#a9c9e4", "#4f8fc4", "#175a9c", "#08306b"),
    "greens": ("#edf7ea", "#a8dca0", "#52ae62", "#1c7a3a", "#00441b"),
    "oranges": ("#fff1e3", "#fdc18a", "#f6813a", "#c9510c", "#7f2704"),
    "purples": ("#f4f2f8", "#c5c3e0", "#948fc4", "#654199", "#3f007d"),
    "viridis": ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"),
}
DIVERGING_SCHEMES = {
    "red_blue": ("#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"),
    "brown_teal": ("#8c510a", "#d8b365", "#f5f5f5", "#5ab4ac", "#01665e"),
    "purple_green": ("#762a83", "#af8dc3", "#f7f7f7", "#7fbf7b", "#1b7837"),
}
SCHEMES = {**SEQUENTIAL_SCHEMES, **DIVERGING_SCHEMES}
DEFAULT_SCHEME = "blues"

# Categories: eight colours, each at least 3:1 on the default basemap and on white (WCAG
# 1.4.11, checked by core/colours.py), chosen for the largest differences with normal vision
# and simulated deuteranopia and protanopia (the light Okabe–Ito colours fell to 1.2–3:1). Colour
# is never the only cue: each category also gets its own marker (shape, then a symbol) or its
# own line dash (lines and polygon outlines), as many as there are categories.
CATEGORY_COLOURS = (
    "#0072b2",  # blue
    "#d55e00",  # vermilion
    "#00875f",  # green
    "#b8478c",  # rose
    "#000000",  # black
    "#8d5524",  # brown
    "#00798f",  # cyan
    "#1a237e",  # navy blue
)
# Features without a value for the field ("No value"): a dark grey, readable too.
OTHER_CATEGORY_COLOUR = "#6b6b6b"
CATEGORY_SHAPES = ("pin", "circle", "square", "drop")
# From the fifth category on, a symbol inside the marker (then letters): no two categories of
# points look alike, whatever their number.
CATEGORY_SYMBOLS = ("▲", "★", "✚", "◆", "✖", "●", "■", "♥")
# Dashes: solid, dashes, dots, long dashes, then dashes and long dashes followed by one dot,
# two dots…: each category's pattern is its own, however many there are, and each shows within
# the legend's swatch.
DASH_LENGTHS = (10, 18)
DOTTED = "2 4"

NUMBER_RE = re.compile(r"\s*[-+]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][-+]?\d+)?\s*")


# --- numbers -------------------------------------------------------------------------------


def as_number(value: object) -> float | None:
    """A finite number from a number or numeric text ("6.7", "6,7"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str) and NUMBER_RE.fullmatch(value):
        number = float(value.strip().replace(",", "."))
    else:
        return None
    try:
        return float(number) if math.isfinite(number) else None
    except OverflowError:  # an integer too large for a float
        return None


def numbers(values: Iterable[object]) -> list[float]:
    """The values that are numbers (see ``as_number``), others skipped."""
    return [n for n in map(as_number, values) if n is not None]


# --- breaks --------------------------------------------------------------------------------


def quantile_breaks(values: Sequence[float], classes: int) -> list[float]:
    """Bounds that put about as many values in each class (linear interpolation between
    order statistics, as numpy's default)."""
    ordered = sorted(values)
    last = len(ordered) - 1
    bounds = []
    for i in range(classes + 1):
        position = last * i / classes
        low = math.floor(position)
        high = min(low + 1, last)
        fraction = position - low
        bounds.append(ordered[low] + (ordered[high] - ordered[low]) * fraction)
    return bounds


def equal_breaks(values: Sequence[float], classes: int) -> list[float]:
    """Bounds of ``classes`` intervals of equal width from the smallest value to the largest."""
    low, high = min(values), max(values)
    return [low + (high - low) * i / classes for i in range(classes)] + [high]


def jenks_breaks(values: Sequence[float], classes: int) -> list[float]:
    """Natural breaks (Fisher–Jenks): the grouping of the sorted values into ``classes`` runs
    with the least total squared deviation from each run's mean. Exact dynamic programming on
    the distinct values, weighted by how often each occurs."""
    distinct, weights = _weighted_distinct(sorted(values))
    if len(distinct) <= classes:  # one class per distinct value: fewer classes than asked
        return [distinct[0], *distinct]
    ends = _fisher_jenks(distinct, weights, classes)
    return [distinct[0]] + [distinct[end] for end in ends]


def _weighted_distinct(ordered: list[float]) -> tuple[list[float], list[int]]:
    if len(set(ordered)) > JENKS_MAX_VALUES:
        last = len(ordered) - 1
        ordered = [
            ordered[round(last * i / (JENKS_MAX_VALUES - 1))] for i in range(JENKS_MAX_VALUES)
        ]
    distinct: list[float] = []
    weights: list[int] = []
    for value in ordered:
        if distinct and distinct[-1] == value:
            weights[-1] += 1
        else:
            distinct.append(value)
            weights.append(1)
    return distinct, weights


def _fisher_jenks(xs: list[float], ws: list[int], classes: int) -> list[int]:
    """Indices of the last value of each class (the last is always ``len(xs) - 1``)."""
    n = len(xs)
    # Prefix sums of weights, weighted values and weighted squares: the squared deviation of
    # any run xs[i..j] is then computed in constant time.
    sw, swx, swxx = [0.0], [0.0], [0.0]
    for x, w in zip(xs, ws, strict=True):
        sw.append(sw[-1] + w)
        swx.append(swx[-1] + w * x)
        swxx.append(swxx[-1] + w * x * x)

    def cost(i: int, j: int) -> float:  # runs xs[i..j] inclusive
        weight = sw[j + 1] - sw[i]
        total = swx[j + 1] - swx[i]
        return swxx[j + 1] - swxx[i] - total * total / weight

    # best[c][j]: least cost of xs[0..j] in c + 1 classes; cut[c][j]: where its last class starts.
    best = [[cost(0, j) for j in range(n)]]
    cut = [[0] * n]
    for c in range(1, classes):
        row, cuts = [math.inf] * n, [0] * n
        previous = best[c - 1]
        for j in range(c, n):
            for start in range(c, j + 1):
                candidate = previous[start - 1] + cost(start, j)
                if candidate < row[j]:
                    row[j], cuts[j] = candidate, start
        best.append(row)
        cut.append(cuts)
    ends, end = [], n - 1
    for c in range(classes - 1, -1, -1):
        ends.append(end)
        end = cut[c][end] - 1
    return ends[::-1]


def manual_breaks(values: Sequence[float], inner: Sequence[float]) -> list[float]:
    """Bounds from the editor's inner breaks, with the data's extremes at both ends (an end is
    widened to a break when every value lies beyond it)."""
    low, high = min(values), max(values)
    return [min(low, inner[0]), *inner, max(high, inner[-1])]


def breaks(
    values: Sequence[float], method: str, classes: int, manual: Sequence[float] = ()
) -> list[float]:
    """The ``classes + 1`` bounds of ``values`` by ``method`` (one of METHODS)."""
    if not values:
        return []
    if method == "manual":
        return manual_breaks(values, manual) if manual else equal_breaks(values, classes)
    if method == "jenks":
        return jenks_breaks(values, classes)
    if method == "equal":
        return equal_breaks(values, classes)
    return quantile_breaks(values, classes)


def class_of(value: float, bounds: Sequence[float]) -> int:
    """The 0-based class of ``value`` (equal to an inner break: the lower class)."""
    return bisect.bisect_left(bounds, value, 1, len(bounds) - 1) - 1


# --- colours -------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def ramp(scheme: str, count: int) -> list[str]:
    """``count`` colours spread along the scheme's anchors, as #rrggbb."""
    anchors = [_rgb(c) for c in SCHEMES.get(scheme, SCHEMES[DEFAULT_SCHEME])]
    if count == 1:
        return ["#{:02x}{:02x}{:02x}".format(*anchors[len(anchors) // 2])]
    colours = []
    for i in range(count):
        position = i * (len(anchors) - 1) / (count - 1)
        low = min(int(position), len(anchors) - 2)
        fraction = position - low
        mixed = (
            round(a + (b - a) * fraction)
            for a, b in zip(anchors[low], anchors[low + 1], strict=True)
        )
        colours.append("#{:02x}{:02x}{:02x}".format(*tuple(mixed)))
    return colours


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    r, g, b = (_linear(c / 255) for c in _rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.179 else "#ffffff"


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4


@dataclass(frozen=True)
class CategoryStyle:
    colour: str
    marker_shape: str
    dash_array: str
    pictogram: str = ""


def category_symbol(position: int) -> str:
    """No symbol for the first categories (their shapes differ), then a symbol, then letters."""
    shapes = len(CATEGORY_SHAPES)
    if position < shapes:
        return ""
    rank = position - shapes
    if rank < len(CATEGORY_SYMBOLS):
        return CATEGORY_SYMBOLS[rank]
    rank -= len(CATEGORY_SYMBOLS)
    letters = ""
    while True:  # A…Z, AA…ZZ, AAA…: always one more, never the same twice
        letters = chr(ord("A") + rank % 26) + letters
        rank = rank // 26 - 1
        if rank < 0:
            return letters


def category_dash(position: int) -> str:
    """Solid for the first category, dotted for the third, then a dash pattern of its own for
    each of the others."""
    if position == 0:
        return ""
    if position == 2:
        return DOTTED
    rank = 0 if position == 1 else position - 2
    length = DASH_LENGTHS[rank % len(DASH_LENGTHS)]
    return " ".join([f"{length} 4", *[DOTTED] * (rank // len(DASH_LENGTHS))])


def category_style(position: int) -> CategoryStyle:
    """The automatic style of the ``position``-th category (0-based). Colour is never the only
    difference: each category has its own marker (shape, or shape and symbol) and its own dash
    (lines, and polygons' outlines)."""
    return CategoryStyle(
        colour=CATEGORY_COLOURS[position % len(CATEGORY_COLOURS)],
        marker_shape=CATEGORY_SHAPES[position % len(CATEGORY_SHAPES)],
        dash_array=category_dash(position),
        pictogram=category_symbol(position),
    )


# --- proportional circles ------------------------------------------------------------------


def circle_radius(value: float, largest: float, min_radius: float, max_radius: float) -> float:
    """The radius whose disc's area is proportional to ``value`` (the largest value gets
    ``max_radius``); small values are kept visible at ``min_radius``."""
    if largest <= 0 or value <= 0:
        return float(min_radius)
    return max(float(min_radius), max_radius * math.sqrt(value / largest))


def legend_values(largest: float) -> list[float]:
    """Up to three round reference values for a circle legend: the largest value, then
    about a half and a tenth of it, rounded to one significant digit."""
    if largest <= 0:
        return []
    values = [largest]
    for fraction in (0.5, 0.1):
        rounded = _one_significant_digit(largest * fraction)
        if 0 < rounded < values[-1]:
            values.append(rounded)
    return values


def _one_significant_digit(value: float) -> float:
    if value <= 0:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(value))
    return round(round(value / magnitude) * magnitude, 12)  # 0.7, not 0.7000000000000001
