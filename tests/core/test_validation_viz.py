"""The data-visualisation keys of the map document: representation, zooms, filters, popup
layout, slideshow, media."""

import pytest

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document

POINT = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 48]}, "properties": {}}


def document(options=None, **layer):
    return {"options": options or {}, "layers": [{"id": "l1", "name": "Écoles", **layer}]}


def cleaned_layer(**layer):
    return validate_document(document(**layer))["layers"][0]


def messages(doc):
    with pytest.raises(MapDocumentError) as error:
        validate_document(doc)
    return error.value.messages()


def layer_messages(**layer):
    return messages(document(**layer))


def test_defaults():
    layer = cleaned_layer()
    assert layer["representation"] == {"type": "plain"}
    assert (layer["min_zoom"], layer["max_zoom"]) == (None, None)
    assert layer["filters"] == []
    assert layer["popup_layout"] == "default"


def test_each_representation_is_filled_in():
    assert cleaned_layer(representation={"type": "cluster"})["representation"] == {
        "type": "cluster",
        "radius": 60,
    }
    assert cleaned_layer(representation={"type": "heat"})["representation"] == {
        "type": "heat",
        "radius": 25,
        "intensity": 0.6,
        "field": "",
    }
    assert cleaned_layer(representation={"type": "choropleth", "field": "taux"})[
        "representation"
    ] == {
        "type": "choropleth",
        "classes": 5,
        "field": "taux",
        "method": "quantiles",
        "scheme": "blues",
        "unit": "",
        "breaks": [],
    }
    assert cleaned_layer(representation={"type": "circles", "field": "capacity"})[
        "representation"
    ] == {"type": "circles", "min_radius": 4, "max_radius": 40, "field": "capacity", "unit": ""}
    categorized = cleaned_layer(
        representation={
            "type": "categorized",
            "field": "highway",
            "categories": [{"value": "primary", "color": "#1f77b4"}, {"value": 3}],
        }
    )["representation"]
    assert categorized["categories"] == [
        {"value": "primary", "label": "", "color": "#1f77b4", "marker_shape": "", "pictogram": ""},
        {"value": "3", "label": "", "color": "", "marker_shape": "", "pictogram": ""},
    ]


def test_cleaning_is_idempotent():
    doc = document(
        representation={
            "type": "choropleth",
            "field": "t",
            "method": "manual",
            "classes": 3,
            "breaks": [1, 2.5],
        },
        filters=[{"type": "search", "fields": ["name"]}],
        options={"slideshow": {"enabled": True, "layer": "l1"}},
    )
    once = validate_document(doc)
    assert validate_document(once) == once
    assert once["layers"][0]["representation"]["breaks"] == [1, 2.5]
    assert once["options"]["slideshow"]["layer"] == "l1"


@pytest.mark.parametrize(
    ("representation", "message"),
    [
        (
            {"type": "pie"},
            '"representation.type" must be one of plain, cluster, heat, choropleth, categorized, circles, not "pie"',  # noqa: E501
        ),
        (
            {"type": "cluster", "radius": 5},
            '"representation.radius" must be a whole number from 10 to 200, not 5',
        ),
        (
            {"type": "heat", "intensity": 2},
            '"representation.intensity" must be a number from 0.05 to 1, not 2',
        ),
        (
            {"type": "choropleth", "field": "t", "classes": 12},
            '"representation.classes" must be a whole number from 3 to 9, not 12',
        ),
        (
            {"type": "choropleth", "field": "t", "method": "median"},
            '"representation.method" must be one of quantiles, equal, jenks, manual, not "median"',
        ),
        (
            {"type": "choropleth", "field": "t", "scheme": "rainbow"},
            '"representation.scheme" must be one of blues, greens, oranges, purples, viridis, red_blue, brown_teal, purple_green, not "rainbow"',  # noqa: E501
        ),
        (
            {"type": "choropleth"},
            'the choropleth representation needs a "field": the property whose values it shows',
        ),
        (
            {
                "type": "choropleth",
                "field": "t",
                "method": "manual",
                "classes": 3,
                "breaks": [2, 1],
            },
            "manual classes need 2 breaks (one fewer than the classes), numbers in ascending order, not [2, 1]",  # noqa: E501
        ),
        (
            {
                "type": "choropleth",
                "field": "t",
                "method": "manual",
                "classes": 4,
                "breaks": [1, 2],
            },
            "manual classes need 3 breaks (one fewer than the classes), numbers in ascending order, not [1, 2]",  # noqa: E501
        ),
        (
            {
                "type": "choropleth",
                "field": "t",
                "method": "manual",
                "classes": 3,
                "breaks": ["1", 2],
            },
            'manual classes need 2 breaks (one fewer than the classes), numbers in ascending order, not ["1", 2]',  # noqa: E501
        ),
        (
            {"type": "circles", "field": "c", "min_radius": 50, "max_radius": 20},
            "the smallest circle radius (50) is larger than the largest one (20)",
        ),
        (
            {"type": "categorized", "field": "h", "categories": [{"value": "a"}, {"value": "a"}]},
            'the category "a" is listed twice',
        ),
        (
            {
                "type": "categorized",
                "field": "h",
                "categories": [{"value": "a", "color": "url(x)"}],
            },
            'bad colour "url(x)" for "representation.categories[1].color": use #rgb, #rrggbb, #rrggbbaa or a CSS colour name',  # noqa: E501
        ),
        ({"type": "cluster", "colour": "red"}, 'unknown key "colour" in "representation"'),
        ("cluster", '"representation" must be a JSON object, not "cluster"'),
    ],
)
def test_bad_representations(representation, message):
    assert layer_messages(representation=representation) == ['layer 1 "Écoles": ' + message]


def test_zooms():
    layer = cleaned_layer(min_zoom=3, max_zoom=12)
    assert (layer["min_zoom"], layer["max_zoom"]) == (3, 12)
    assert layer_messages(min_zoom=14, max_zoom=12) == [
        'layer 1 "Écoles": "min_zoom" (14) is larger than "max_zoom" (12)'
    ]
    assert layer_messages(max_zoom=23) == [
        'layer 1 "Écoles": "max_zoom" must be a whole number from 0 to 22, or null, not 23'
    ]
    assert layer_messages(min_zoom=True) == [
        'layer 1 "Écoles": "min_zoom" must be a whole number from 0 to 22, or null, not true'
    ]


def test_filters():
    filters = [
        {"type": "category", "field": "type"},
        {"type": "range", "field": "places", "label": "Places"},
        {"type": "date_range", "field": "date"},
        {"type": "search", "fields": ["name", "adresse"]},
    ]
    assert cleaned_layer(filters=filters)["filters"] == [
        {"type": "category", "field": "type", "label": ""},
        {"type": "range", "field": "places", "label": "Places"},
        {"type": "date_range", "field": "date", "label": ""},
        {"type": "search", "fields": ["name", "adresse"], "label": ""},
    ]
    assert layer_messages(filters=[{"type": "slider", "field": "x"}]) == [
        'layer 1 "Écoles": "filters[1].type" must be one of category, range, date_range, search, radio, yes_no, not "slider"'  # noqa: E501
    ]
    assert layer_messages(filters=[{"type": "range"}]) == [
        'layer 1 "Écoles": "filters[1]" needs the property (or properties) it filters on'
    ]
    assert layer_messages(filters=[{"type": "search", "fields": []}]) == [
        'layer 1 "Écoles": "filters[1]" needs the property (or properties) it filters on'
    ]
    assert layer_messages(filters=[{"type": "category", "fields": ["a"], "field": "a"}]) == [
        'layer 1 "Écoles": unknown key "fields" in "filters[1]"'
    ]


def test_popup_layout():
    assert cleaned_layer(popup_layout="panel")["popup_layout"] == "panel"
    assert layer_messages(popup_layout="modal") == [
        'layer 1 "Écoles": "popup_layout" must be one of default, table, panel, not "modal"'
    ]


def test_slideshow():
    options = {"slideshow": {"enabled": True, "autoplay": True, "delay": 8, "sort_field": "ordre"}}
    slideshow = validate_document(document(options=options))["options"]["slideshow"]
    assert slideshow == {
        "enabled": True,
        "layer": None,
        "sort_field": "ordre",
        "autoplay": True,
        "delay": 8,
    }
    assert messages(document(options={"slideshow": {"layer": "nope"}})) == [
        'the slideshow\'s layer "nope" is not a layer of this map'
    ]
    assert messages(document(options={"slideshow": {"delay": 0}})) == [
        '"slideshow.delay" must be a number from 1 to 60, not 0'
    ]
    assert messages(document(options={"slideshow": {"enabled": "yes"}})) == [
        '"slideshow.enabled" must be true or false, not "yes"'
    ]


def feature_messages(media):
    return layer_messages(features=[{**POINT, "properties": {"_media": media}}])


def test_media():
    media = {
        "image": {"id": 3, "alt": "La mairie"},
        "video": "https://www.youtube.com/watch?v=abc",
        "audio": {"id": 7},
    }
    layer = cleaned_layer(features=[{**POINT, "properties": {"_media": media}}])
    assert layer["features"][0]["properties"]["_media"] == {
        "image": {"id": 3, "alt": "La mairie"},
        "video": "https://www.youtube.com/watch?v=abc",
        "audio": {"id": 7, "title": ""},
    }
    where = 'layer 1 "Écoles", feature 1: '
    assert feature_messages({"video": "http://x.fr/v"}) == [
        where + 'a video address must start with https://, not "http://x.fr/v"'
    ]
    assert feature_messages({"video": "javascript:alert(1)"}) == [
        where + 'a video address must start with https://, not "javascript:alert(1)"'
    ]
    assert feature_messages({"image": {"id": "3"}}) == [
        where + '"properties._media.image.id" must be the number of an image or a document, not "3"'
    ]
    assert feature_messages({"sound": 1}) == [where + 'unknown key "sound" in "properties._media"']
    assert feature_messages({"image": {"id": 1, "alt": "x" * 501}}) == [
        where + '"properties._media.image.alt" is too long: 501 characters, the limit is 500'
    ]


def test_messages_are_translated_in_french():
    from wagtail_umap.core import messages as m

    names = [
        "BAD_CHOICE",
        "NUMBER_RANGE",
        "WHOLE_NUMBER_RANGE",
        "TOO_MANY_ITEMS",
        "REPRESENTATION_NEEDS_FIELD",
        "BAD_MANUAL_BREAKS",
        "DUPLICATE_CATEGORY",
        "RADIUS_ORDER",
        "BAD_LAYER_ZOOM",
        "ZOOM_ORDER",
        "FILTER_NEEDS_FIELD",
        "SLIDESHOW_UNKNOWN_LAYER",
        "BAD_VIDEO_URL",
        "BAD_MEDIA_ID",
    ]
    from pathlib import Path

    po = (
        Path(__file__).resolve().parents[2] / "wagtail_umap/locale/fr/LC_MESSAGES/django.po"
    ).read_text()
    for name in names:
        template = getattr(m, name)
        escaped = template.replace('"', '\\"')
        assert escaped[:40] in po, name


def test_radio_and_yes_no_filters_and_the_maps_own():
    filters = [
        {"type": "radio", "field": "niveau", "label": "Niveau"},
        {"type": "yes_no", "field": "accessible"},
    ]
    assert cleaned_layer(filters=filters)["filters"] == [
        {"type": "radio", "field": "niveau", "label": "Niveau"},
        {"type": "yes_no", "field": "accessible", "label": ""},
    ]
    assert layer_messages(filters=[{"type": "yes_no"}]) == [
        'layer 1 "Écoles": "filters[1]" needs the property (or properties) it filters on'
    ]
    # The map's filters: the same declaration, located in the options.
    document = {"version": 1, "options": {"filters": filters}, "layers": []}
    assert validate_document(document)["options"]["filters"] == [
        {"type": "radio", "field": "niveau", "label": "Niveau"},
        {"type": "yes_no", "field": "accessible", "label": ""},
    ]
    bad = {"version": 1, "options": {"filters": [{"type": "switch", "field": "a"}]}, "layers": []}
    with pytest.raises(MapDocumentError) as error:
        validate_document(bad)
    assert error.value.messages() == [
        'options: "filters[1].type" must be one of category, range, date_range, search, radio, '
        'yes_no, not "switch"'
    ]
    # A map without filters keeps its document as it was (a sparse option).
    assert (
        "filters" not in validate_document({"version": 1, "options": {}, "layers": []})["options"]
    )
