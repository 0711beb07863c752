"""The style keys the editor's panels add: ``pictogram`` and ``marker_size``."""

import gettext
import json
from pathlib import Path

import pytest

from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.core.validation import validate_document, validate_style
from wagtail_umap.formats import read_map_file, write_map_file

WHERE = Location(layer=1, layer_name="Écoles")
MO_FILE = Path(__file__).resolve().parents[2] / "wagtail_umap/locale/fr/LC_MESSAGES/django.mo"


def style_messages(style, language=None):
    with pytest.raises(MapDocumentError) as caught:
        validate_style(style, WHERE)
    if language == "fr":
        with MO_FILE.open("rb") as mo:
            return caught.value.messages(gettext.GNUTranslations(mo).gettext)
    return caught.value.messages()


@pytest.mark.parametrize("pictogram", ["", "🚲", "A", "ABC", "👨‍👩‍👧", "12345678"])
def test_pictogram_text_up_to_eight_characters_is_kept(pictogram):
    assert validate_style({"pictogram": pictogram}, WHERE) == {"pictogram": pictogram}


@pytest.mark.parametrize("value", ["123456789", 7, None, ["🚲"], True])
def test_bad_pictogram_is_located(value):
    [message] = style_messages({"pictogram": value})
    assert message.startswith('layer 1 "Écoles": "pictogram" must be text of at most 8 characters')


def test_pictogram_keeps_markup_as_written_text():
    # Escaping is the renderer's job: the viewer inserts it as text, never as HTML.
    assert validate_style({"pictogram": "<b>"}, WHERE) == {"pictogram": "<b>"}


@pytest.mark.parametrize(
    ("value", "cleaned"), [(16, 16), (32, 32), (64, 64), ("40", 40), (24.0, 24)]
)
def test_marker_size_whole_pixels_in_range(value, cleaned):
    result = validate_style({"marker_size": value}, WHERE)
    assert result == {"marker_size": cleaned}
    assert type(result["marker_size"]) is int


@pytest.mark.parametrize("value", [15, 65, 0, 32.5, "big", True, None, float("nan")])
def test_bad_marker_size_is_located(value):
    [message] = style_messages({"marker_size": value})
    assert '"marker_size" must be a whole number of pixels from 16 to 64' in message
    assert message.startswith('layer 1 "Écoles"')


def test_messages_are_french_too():
    [pictogram, size] = style_messages({"pictogram": "trop long !", "marker_size": 99}, "fr")
    assert "« pictogram » doit être un texte d’au plus 8 caractères" in pictogram
    assert "« marker_size » doit être un nombre entier de pixels de 16 à 64, pas 99" in size
    assert pictogram.startswith("calque 1 « Écoles »")


def test_feature_override_and_layer_style_in_a_document():
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
        "properties": {"name": "Vélos", "_style": {"pictogram": "🚲", "marker_size": 48}},
    }
    document = {
        "version": 1,
        "layers": [
            {"name": "L", "style": {"pictogram": "É", "marker_size": 20}, "features": [feature]}
        ],
    }
    cleaned = validate_document(document)
    assert cleaned["layers"][0]["style"] == {"pictogram": "É", "marker_size": 20}
    assert cleaned["layers"][0]["features"][0]["properties"]["_style"] == {
        "pictogram": "🚲",
        "marker_size": 48,
    }


# --- uMap --------------------------------------------------------------------------------------


def umap_backup(layer_options, feature_options):
    return {
        "type": "umap",
        "properties": {"name": "M"},
        "layers": [
            {
                "type": "FeatureCollection",
                "_umap_options": {"name": "L", **layer_options},
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                        "properties": {"name": "P", "_umap_options": feature_options},
                    }
                ],
            }
        ],
    }


def test_umap_text_icon_becomes_the_pictogram_and_exports_back():
    backup = umap_backup({"iconUrl": "B"}, {"iconUrl": "🚲", "markerSize": 40})
    document = read_map_file("m.umap", json.dumps(backup).encode()).document
    layer = document["layers"][0]
    assert layer["style"] == {"pictogram": "B"}
    properties = layer["features"][0]["properties"]
    assert properties["_style"] == {"pictogram": "🚲", "marker_size": 40}
    # An editor changes the pictogram: uMap gets the new one.
    properties["_style"]["pictogram"] = "P"
    written = json.loads(write_map_file(document, "umap"))
    written_layer = written["layers"][0]
    assert written_layer["properties"]["iconUrl"] == "B"
    feature_options = written_layer["features"][0]["properties"]["_umap_options"]
    assert feature_options["iconUrl"] == "P"
    assert feature_options["markerSize"] == 40


def test_umap_picture_address_is_not_a_pictogram():
    backup = umap_backup({"iconUrl": "https://x.fr/a.png"}, {"iconUrl": "/uploads/b.svg"})
    result = read_map_file("m.umap", json.dumps(backup).encode())
    layer = result.document["layers"][0]
    assert "pictogram" not in layer["style"]
    assert layer["umap"]["iconUrl"] == "https://x.fr/a.png"
    assert "_style" not in layer["features"][0]["properties"]


def test_our_pictogram_without_umap_origin_exports_as_icon_url():
    document = validate_document(
        {"version": 1, "layers": [{"name": "L", "style": {"pictogram": "★", "marker_size": 24}}]}
    )
    written = json.loads(write_map_file(document, "umap"))
    options = written["layers"][0]["properties"]
    assert options["iconUrl"] == "★"
    assert options["markerSize"] == 24
    again = read_map_file("m.umap", json.dumps(written).encode()).document
    assert again["layers"][0]["style"] == {"pictogram": "★", "marker_size": 24}
