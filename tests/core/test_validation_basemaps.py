"""Validation of the basemap choice, overlays and limits of a map: clean values pass, bad ones
get a located message and nothing else of the map is lost."""

from __future__ import annotations

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document


def document(**options) -> dict:
    return {"version": 1, "options": {"basemap": "plan_ign", **options}, "layers": []}


def test_good_values_are_kept_and_defaults_left_out():
    cleaned = validate_document(
        document(
            basemap_choice=["ign_orthophotos", "osm", "osm"],
            overlays=[{"id": "cadastre", "opacity": 0.5}, {"id": "admin_limits", "shown": False}],
            limit_bounds={"south": 47.4812345678, "west": 2.8, "north": 47.6, "east": 2.95},
        )
    )["options"]
    assert cleaned["basemap_choice"] == ["ign_orthophotos", "osm"]
    assert cleaned["overlays"] == [
        {"id": "cadastre", "opacity": 0.5, "shown": True},
        {"id": "admin_limits", "opacity": 0.7, "shown": False},
    ]
    assert cleaned["limit_bounds"] == {"south": 47.481235, "west": 2.8, "north": 47.6, "east": 2.95}
    # Sparse: a map without them keeps its document as it was.
    plain = validate_document(document())["options"]
    assert not {"basemap_choice", "overlays", "limit_bounds"} & set(plain)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"basemap_choice": "osm"}, '"basemap_choice" must be a list'),
        ({"basemap_choice": ["osm", "<script>"]}, "the basemap must be a short key"),
        (
            {"overlays": [{"id": "cadastre", "opacity": 3}]},
            '"overlays[1].opacity" must be a number from 0 to 1',
        ),
        (
            {"overlays": [{"id": "cadastre", "colour": "red"}]},
            'unknown key "colour" in "overlays[1]"',
        ),
        (
            {"limit_bounds": {"south": 48, "west": 2, "north": 47, "east": 3}},
            "the limits of the map must be",
        ),
        ({"limit_bounds": [47, 2, 48, 3]}, "the limits of the map must be"),
    ],
)
def test_bad_values_are_refused_with_their_place(options, message):
    with pytest.raises(MapDocumentError) as raised:
        validate_document(document(**options))
    assert message in str(raised.value)
