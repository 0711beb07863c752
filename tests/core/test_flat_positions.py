"""The whole-line fast path of coordinate checks gives exactly what the per-position path gives."""

from __future__ import annotations

import pytest

from wagtail_umap.core.document import new_layer
from wagtail_umap.core.errors import IssueCollector, Location, MapDocumentError
from wagtail_umap.core.validation import (
    Limits,
    _Coordinates,
    _flat_2d,
    _walk,
    check_depth,
    validate_document,
)

NAN, INF = float("nan"), float("inf")
LINES = [
    [[1, 2], [3.1234567, 4.0000005], [-180, 90]],
    [[NAN, 2], [3, 4]],
    [[1, 2], [3, NAN], [5, 6]],
    [[1, 2], [INF, 4], [5, 6]],
    [[1, 2], [-INF, INF]],
    [[1.7e308, 2], [1.7e308, 4]],  # finite, but they sum past the float range
    [[1, 2], [True, 4]],
    [[1, 2], [3, "4"]],
    [[1, 2], (3, 4)],
    [[1, 2], [3, 4, 5]],
    [[1, 2], [3]],
    [[1, 2], [181, 4], [5, -91]],
    [[NAN, 2], [181, 4]],
    [[1, 2], None],
    [],
]


def _checked(method: str, line: list) -> tuple[object, list]:
    issues = IssueCollector()
    checker = _Coordinates(Location(layer=1, feature=2), issues)
    if method == "fast":
        result = checker.positions(line, (0,))
    else:
        result = checker.parts(line, (0,), checker.position)
    return result, [(i.template, i.params, i.location) for i in issues.issues]


@pytest.mark.parametrize("line", LINES, ids=range(len(LINES)))
def test_a_line_checked_at_once_gives_what_each_position_gives(line: list) -> None:
    assert repr(_checked("fast", line)) == repr(_checked("slow", line))


def test_only_plain_finite_2d_positions_take_the_fast_path() -> None:
    assert _flat_2d([[1, 2.5], [3, 4]]) == [1, 2.5, 3, 4]
    for line in LINES[1:11]:
        assert _flat_2d(line) is None, line


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@pytest.mark.parametrize("line", LINES, ids=range(len(LINES)))
def test_the_depth_walk_sees_through_a_line_checked_at_once(line: list) -> None:
    document = {"layers": [{"features": [{"geometry": {"coordinates": [line]}}]}]}
    depth, bad = _walk(document)
    if bad is None:
        assert depth == _depth(document)
    with pytest.raises(Exception):  # noqa: B017 - any size error
        check_depth(document, Limits(max_depth=_depth(document) - 1))


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [10**400, 1]},
        {"type": "LineString", "coordinates": [[10**400, 1], [2, 3]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 10**400], [0, 0]]]},
    ],
)
def test_an_integer_too_large_for_a_float_is_a_located_error(geometry):
    """JSON allows integers of any length; float() of 10**400 raises OverflowError."""
    feature = {"type": "Feature", "geometry": geometry, "properties": {}}
    document = {"version": 1, "title": "", "layers": [new_layer("a", [feature])]}
    with pytest.raises(MapDocumentError) as raised:
        validate_document(document, Limits())
    [message] = raised.value.messages(lambda text: text)
    assert message.startswith('layer 1 "a", feature 1')
    assert "is not a finite number" in message
