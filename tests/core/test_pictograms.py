"""The library of pictograms (core/pictograms.py): its catalogue and search, the style's
``icon`` option, and uMap's pictogram addresses read into it and written back."""

import gettext
import json
from pathlib import Path

import pytest

from wagtail_umap.core import pictograms
from wagtail_umap.core.errors import Location, MapDocumentError
from wagtail_umap.core.validation import validate_document, validate_style
from wagtail_umap.formats import read_map_file, umap

ROOT = Path(__file__).resolve().parents[2]
MAKI = ROOT / "wagtail_umap/static/wagtail_umap/vendor/maki"
FIXTURE = ROOT / "tests/fixtures/test_upload_data_with_iconurl.umap"
MO_FILE = ROOT / "wagtail_umap/locale/fr/LC_MESSAGES/django.mo"
WHERE = Location(layer=1, layer_name="Écoles")


# --- the catalogue -------------------------------------------------------------------------


def test_every_pictogram_is_vendored_and_in_the_sprite():
    sprite = (MAKI / "pictograms.svg").read_text()
    assert 60 <= len(pictograms.PICTOGRAMS) <= 120
    for pictogram in pictograms.PICTOGRAMS:
        assert (MAKI / "icons" / f"{pictogram.name}.svg").is_file(), pictogram.name
        assert f'<symbol id="{pictogram.name}" ' in sprite, pictogram.name
        assert pictogram.fr and pictogram.en


def test_the_vendored_library_keeps_its_licence_and_version():
    assert (MAKI / "LICENSE").read_text().startswith("CC0 1.0 Universal")
    versions = (MAKI.parent / "VERSIONS").read_text().splitlines()
    assert "@mapbox/maki 8.2.0" in versions


def test_the_sprite_holds_paths_only():
    sprite = (MAKI / "pictograms.svg").read_text()
    for word in ("<script", "href", " on", "<foreignObject", "<image", "<style"):
        assert word not in sprite


def test_names_are_unique_and_the_common_services_are_there():
    names = [pictogram.name for pictogram in pictograms.PICTOGRAMS]
    assert len(names) == len(set(names))
    for name in ("town-hall", "school", "library", "hospital", "pharmacy", "bus", "rail",
                 "rail-light", "parking", "bicycle", "recycling", "swimming", "park", "post",
                 "police", "fire-station", "toilet", "drinking-water", "information",
                 "religious-christian", "cemetery", "museum", "theatre", "grocery"):  # fmt: skip
        assert name in pictograms.BY_NAME


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("école", "school"),
        ("ECOLE", "school"),
        ("school", "school"),
        ("mairie", "town-hall"),
        ("hôtel de ville", "town-hall"),
        ("town hall", "town-hall"),
        ("déchetterie", "recycling"),
        ("dechet", "recycling"),
        ("piscine", "swimming"),
        ("vélo", "bicycle"),
        ("médiathèque", "library"),
        ("église", "religious-christian"),
        ("cœur", "defibrillator"),
        ("marché", "grocery"),
        ("tram", "rail-light"),
    ],
)
def test_search_by_french_and_english_keywords_ignores_accents_and_case(query, expected):
    found = [pictogram.name for pictogram in pictograms.search(query)]
    assert expected in found, found


def test_search_needs_every_word_and_finds_nothing_for_nonsense():
    assert [p.name for p in pictograms.search("parking payant")] == ["parking-paid"]
    assert pictograms.search("zzzz") == []
    assert len(pictograms.search("")) == len(pictograms.PICTOGRAMS)
    assert pictograms.search("  ")[0] is pictograms.PICTOGRAMS[0]


def test_a_pictogram_is_named_in_the_page_language():
    school = pictograms.BY_NAME["school"]
    assert school.label("fr") == "École"
    assert school.label("fr-FR") == "École"
    assert school.label("en") == "School"


def test_normalise():
    assert pictograms.normalise("  École d'ÉTÉ, Œuvre ") == "ecole d ete oeuvre"


# --- the option --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["school", "town-hall", "recycling", ""])
def test_icon_of_the_library_is_kept(name):
    assert validate_style({"icon": name}, WHERE) == {"icon": name}


@pytest.mark.parametrize(
    "value",
    [
        "no-such-pictogram",
        "School",
        "javascript:alert(1)",
        "../icons/school",
        "https://example.org/school.svg",
        "school.svg",
        7,
        None,
        ["school"],
        "x" * 500,
    ],
)
def test_any_other_icon_is_refused_with_a_located_message(value):
    with pytest.raises(MapDocumentError) as caught:
        validate_style({"icon": value}, WHERE)
    [message] = caught.value.messages()
    assert message.startswith('layer 1 "Écoles": "icon" must be the name of a pictogram')
    with MO_FILE.open("rb") as mo:
        [french] = caught.value.messages(gettext.GNUTranslations(mo).gettext)
    assert "« icon » doit être le nom d’un pictogramme de la bibliothèque" in french


def test_icon_is_sparse_and_inherits_in_a_document():
    document = {
        "version": 1,
        "options": {"style": {"icon": "park"}},
        "layers": [
            {
                "id": "a",
                "name": "A",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                        "properties": {"name": "Square", "_style": {"icon": "playground"}},
                    }
                ],
            }
        ],
    }
    cleaned = validate_document(document)
    assert cleaned["options"]["style"] == {"icon": "park"}
    assert cleaned["layers"][0]["style"] == {}  # sparse: no icon key added
    assert cleaned["layers"][0]["features"][0]["properties"]["_style"] == {"icon": "playground"}


# --- uMap's pictograms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/uploads/pictogram/car-24.png", "car"),
        ("https://umap.openstreetmap.fr/uploads/pictogram/school-24.svg", "school"),
        ("https://umap.openstreetmap.fr/uploads/pictogram/town-hall-24_1.svg", "town-hall"),
        ("/uploads/pictogram/star.svg", "star"),
        ("/uploads/pictogram/toilets-24.png", "toilet"),
        ("/uploads/pictogram/church-24.svg", "religious-christian"),
        ("/uploads/pictogram/unknown-thing-24.svg", None),
        ("https://example.org/school.svg", None),  # not one of uMap's pictograms
        ("javascript:alert('/uploads/pictogram/school.svg')", None),
        ("🚲", None),
        (None, None),
    ],
)
def test_umap_pictogram_addresses(url, expected):
    assert pictograms.umap_pictogram(url) == expected


def test_a_real_umap_backup_with_a_pictogram_gets_ours_and_writes_uMaps_back():
    result = read_map_file(FIXTURE.name, FIXTURE.read_bytes())
    [layer] = result.document["layers"]
    assert layer["style"]["icon"] == "car"
    assert "pictogram" not in layer["style"]
    # No "cannot show" note: the address was read.
    assert not [note for note in result.notes if note.params.get("name") == "iconUrl"]
    written = json.loads(umap.write(result.document))
    options = written["layers"][0]["properties"]
    # uMap's own address goes back as it came (resolved against the file's server).
    assert options["iconUrl"] == (
        "https://umap.incubateur.anct.gouv.fr/uploads/pictogram/car-24.png"
    )
    again = umap.read(json.dumps(written).encode())
    assert again.document["layers"][0]["style"]["icon"] == "car"


def test_a_pictogram_changed_here_travels_under_our_key_and_comes_back():
    result = read_map_file(FIXTURE.name, FIXTURE.read_bytes())
    document = result.document
    document["layers"][0]["style"]["icon"] = "bus"
    document = validate_document(document)
    written = json.loads(umap.write(document))
    options = written["layers"][0]["properties"]
    # uMap would show a name as text: iconUrl is not written, ours is under our key.
    assert "iconUrl" not in options
    assert options["wagtail_umap"]["options"]["style.icon"] == "bus"
    again = umap.read(json.dumps(written).encode())
    assert again.document["layers"][0]["style"]["icon"] == "bus"


def test_a_text_pictogram_written_beside_a_removed_icon_is_kept():
    result = read_map_file(FIXTURE.name, FIXTURE.read_bytes())
    document = result.document
    style = document["layers"][0]["style"]
    del style["icon"]
    style["pictogram"] = "P"
    document = validate_document(document)
    options = json.loads(umap.write(document))["layers"][0]["properties"]
    assert options["iconUrl"] == "P"
    again = umap.read(umap.write(document))
    assert again.document["layers"][0]["style"].get("pictogram") == "P"
    assert not again.document["layers"][0]["style"].get("icon")


def test_another_picture_address_is_kept_with_a_located_note():
    value = {
        "type": "umap",
        "properties": {},
        "layers": [
            {
                "type": "FeatureCollection",
                "features": [],
                "properties": {"name": "Parcs", "iconUrl": "https://example.org/arbre.png"},
            }
        ],
    }
    result = umap.read(json.dumps(value).encode())
    layer = result.document["layers"][0]
    assert "icon" not in layer["style"] and "pictogram" not in layer["style"]
    assert layer["umap"]["iconUrl"] == "https://example.org/arbre.png"
    [note] = [note for note in result.notes if note.params.get("name") == "iconUrl"]
    assert note.location.layer == 1 and note.location.layer_name == "Parcs"
    options = json.loads(umap.write(result.document))["layers"][0]["properties"]
    assert options["iconUrl"] == "https://example.org/arbre.png"


def test_the_map_and_a_feature_read_umaps_pictograms_too():
    value = {
        "type": "umap",
        "uri": "https://umap.openstreetmap.fr/fr/map/x_1",
        "properties": {"iconUrl": "/uploads/pictogram/town-hall-24.svg"},
        "layers": [
            {
                "type": "FeatureCollection",
                "properties": {"name": "Lieux"},
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [2.0, 47.0]},
                        "properties": {
                            "name": "Arrêt",
                            "_umap_options": {"iconUrl": "/uploads/pictogram/bus-24.svg"},
                        },
                    }
                ],
            }
        ],
    }
    result = umap.read(json.dumps(value).encode())
    assert result.document["options"]["style"] == {"icon": "town-hall"}
    feature = result.document["layers"][0]["features"][0]
    assert feature["properties"]["_style"] == {"icon": "bus"}
    written = json.loads(umap.write(result.document))
    assert written["properties"]["iconUrl"] == (
        "https://umap.openstreetmap.fr/uploads/pictogram/town-hall-24.svg"
    )
    assert written["layers"][0]["features"][0]["properties"]["_umap_options"] == {
        "iconUrl": "https://umap.openstreetmap.fr/uploads/pictogram/bus-24.svg"
    }
