"""Hostile and broken modern uMap files: a value this site cannot use is kept with a located
note, never a failed import (tests/fixtures/umap_modern/hostile); a bad strict option (the
title, the centre, the zoom) is refused with validation's located message
(tests/fixtures/bad/umap_modern)."""

import json
from pathlib import Path

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import read_map_file, write_map_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BAD = FIXTURES / "bad" / "umap_modern"
HOSTILE = FIXTURES / "umap_modern" / "hostile"
LONG = "x" * 38 + "…"
NOTES = {
    "namespace_tampered.umap": [],
    "unusable_options.umap": [
        'uMap option "defaultView" has a value this site cannot show ("north"): it is kept as is',
        'uMap option "showLabel" has a value this site cannot show ("yes"): it is kept as is',
        'uMap option "labelDirection" has a value this site cannot show (3): it is kept as is',
        'layer 1 "Lieux": uMap option "fromZoom" has a value this site cannot show (30): it is '
        "kept as is",
        'layer 1 "Lieux": uMap option "popupTemplate" has a value this site cannot show ("OSM"): '
        "it is kept as is",
        f'layer 1 "Lieux": uMap option "labelKey" has a value this site cannot show ("{LONG}): '
        "it is kept as is",
        'layer 1 "Lieux": uMap option "rules" has a value this site cannot show ("type=a"): it '
        "is kept as is",
    ],
    "rules_hostile.umap": [
        'layer 1 "Lieux": uMap option "rules" has a value this site cannot show ([{"condition": '
        '"nom=<img src=x onerror=…): it is kept as is'
    ],
    "too_many_filters.umap": [
        'layer 1 "Lieux": uMap\'s filters ["champ10", "champ11"] were not imported: a layer has '
        "at most 10 filters"
    ],
}
ERRORS = {"layer_rules_bad_zoom.umap": ['"title" must be text, not ["a", "list"]']}


def read(name):
    folder = BAD if name in ERRORS else HOSTILE
    return read_map_file(name, (folder / name).read_bytes())


def test_every_file_has_an_expectation():
    assert {path.name for path in HOSTILE.glob("*.umap")} == set(NOTES)
    assert {path.name for path in BAD.glob("*.umap")} == set(ERRORS)


@pytest.mark.parametrize("name", sorted(NOTES))
def test_imports_with_located_notes_and_round_trips(name):
    result = read(name)
    assert [note.render() for note in result.notes] == NOTES[name]
    document = result.document
    assert read_map_file("again.umap", write_map_file(document, "umap")).document == document


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_refused_with_a_located_message(name):
    with pytest.raises(MapDocumentError) as caught:
        read(name)
    assert caught.value.messages() == ERRORS[name]


def test_a_tampered_namespace_is_ignored():
    document = read("namespace_tampered.umap").document
    assert document["options"]["basemap"] == "plan_ign"  # not the address in our key
    assert document["options"]["controls"]["permalink"] is True
    first, second = document["layers"]
    assert first["filters"] == [] and "label_key" not in first  # the checks do not match
    assert second["umap"] == {}


def test_hostile_rules_stay_text_and_safe_styles():
    (layer,) = read("rules_hostile.umap").document["layers"]
    (rule,) = layer["rules"]
    # uMap splits on ">" first: the same rule here, as text (escaped wherever it is shown).
    assert rule["field"] == "nom=<img src=x onerror=alert(1)"
    assert (rule["operator"], rule["value"]) == (">", "")
    assert rule["label"] == "<script>alert(1)</script>"
    assert rule["style"] == {"weight": 3}  # the colour with CSS in it is not a colour
    assert len(layer["umap"]["rules"]) == 4  # uMap's rules go back as they came


def test_unusable_values_are_kept_for_umap():
    document = read("unusable_options.umap").document
    assert document["options"]["umap"] == {
        "defaultView": "north",
        "showLabel": "yes",
        "labelDirection": 3,
    }
    (layer,) = document["layers"]
    assert (layer["min_zoom"], layer["popup_layout"], "label_key" in layer) == (
        None,
        "default",
        False,
    )
    written = json.loads(write_map_file(document, "umap"))["layers"][0]["properties"]
    assert written["popupTemplate"] == "OSM" and written["fromZoom"] == 30
    assert written["choropleth"] == {"property": "t", "classes": 42}
