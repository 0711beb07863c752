"""The declared schema: one declaration per option, and what validation, defaults and the
browser side read from it."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_umap.core import schema
from wagtail_umap.core.document import (
    CONTROL_NAMES,
    DEFAULT_CONTROLS,
    MARKER_SHAPES,
    STYLE_KEYS,
    empty_document,
    new_layer,
)
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.schema import MISSING, Option
from wagtail_umap.core.validation import validate_document

POINT = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 48]}, "properties": {}}


def messages(document):
    with pytest.raises(MapDocumentError) as caught:
        validate_document(document)
    return caught.value.messages()


def layer(**keys):
    return {"id": "l1", "name": "Écoles", "features": [POINT], **keys}


# --- the declarations ------------------------------------------------------------------------


def test_every_option_is_declared_once_with_a_label():
    names = [(item.name, item.representations) for item in schema.OPTIONS]
    assert len(names) == len(set(names))
    for item in schema.OPTIONS:
        assert isinstance(item, Option)
        assert item.scope in schema.SCOPES, item.name
        assert item.type in schema.TYPES, item.name
        assert item.label and item.label == item.label.strip(), item.name
        if item.choices and item.choice_labels:
            assert len(item.choices) == len(item.choice_labels), item.name
        if item.type in ("object", "list") and item.of:
            assert item.of in schema.SCOPES, item.name
        if item.min is not None and item.max is not None:
            assert item.min <= item.max, item.name
        if item.type == "choice" and item.default not in (None, ""):
            assert item.default in item.choices, item.name


def test_labels_are_extracted_for_translation():
    # makemessages finds the labels through the gettext_noop keyword (imported as _).
    import ast
    from pathlib import Path

    source = (Path(schema.__file__).parent / "options.py").read_text()
    assert "from wagtail_umap.core.messages import gettext_noop as _" in source
    marked = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
    }
    for item in schema.OPTIONS:
        for text in (item.label, item.help, item.unit, *item.choice_labels):
            assert not text or text in marked, text


def test_the_french_catalogue_translates_every_label():
    from pathlib import Path

    po = (
        Path(schema.__file__).resolve().parents[3] / "wagtail_umap/locale/fr/LC_MESSAGES/django.po"
    ).read_text()
    entries = dict(re.findall(r'^msgid "(.*)"\nmsgstr "(.+)"$', po, flags=re.MULTILINE))
    for item in schema.OPTIONS:
        for text in (item.label, item.help, item.unit, *item.choice_labels):
            if text and "\n" not in text and len(text) < 70:
                assert entries.get(text.replace('"', '\\"')), text


def test_first_release_constants_are_read_from_the_schema():
    assert tuple(item.key for item in schema.options_in("controls")) == CONTROL_NAMES
    assert {item.key: item.default for item in schema.options_in("controls")} == DEFAULT_CONTROLS
    assert schema.option("style", "marker_shape").choices == MARKER_SHAPES
    assert set(STYLE_KEYS) == {item.key for item in schema.options_in("style") if not item.sparse}


def test_options_of_one_representation():
    keys = [item.key for item in schema.options_in("representation", "choropleth")]
    assert keys == ["type", "field", "method", "classes", "scheme", "unit", "breaks"]
    assert schema.option("representation", "radius", "heat").default == 25
    assert schema.option("representation", "radius", "cluster").default == 60


def test_new_options_are_sparse_so_old_documents_keep_their_form():
    first_release = {
        "map": {"basemap", "center", "zoom", "controls", "credits", "licence", "slideshow", "umap"},
        "layer": {
            *("id", "name", "description", "shown_on_load", "style", "popup_template"),
            *("features", "data", "umap", "representation", "min_zoom", "max_zoom"),
            *("filters", "popup_layout"),
        },
    }
    for scope, keys in first_release.items():
        for item in schema.options_in(scope):
            assert item.sparse == (item.key not in keys), item.name
    assert set(empty_document()["options"]) == first_release["map"] - {"data"}
    assert "label_key" not in new_layer("A") and "rules" not in new_layer("A")


# --- what the browser side reads -------------------------------------------------------------


def test_viewer_defaults_are_json_data():
    defaults = schema.viewer_defaults()
    json.dumps(defaults)
    assert defaults["controls"] == DEFAULT_CONTROLS
    # The viewer draws with these when a style leaves a key out (style-and-markers.js).
    assert defaults["style"]["color"] == "#1f5fa8"
    assert defaults["style"]["weight"] == 3
    assert defaults["style"]["opacity"] == 0.9
    assert defaults["style"]["fill_opacity"] == 0.3
    assert defaults["style"]["show_label"] == "never"
    assert defaults["representation"]["heat"] == {"field": "", "radius": 25, "intensity": 0.6}
    assert defaults["slideshow"]["delay"] == 5
    assert defaults["map"]["default_view"] == "center"


def test_editor_fields_describe_each_setting():
    fields = schema.editor_fields("style")
    json.dumps(fields)
    by_key = {field["key"]: field for field in fields}
    assert by_key["weight"] == {
        "scope": "style",
        "key": "weight",
        "name": "style.weight",
        "type": "number",
        "label": "Line width (pixels)",
        "help": "",
        "default": 3,
        "nullable": False,
        "required": False,
        "inherits": True,
        "min": 0,
        "max": 50,
        "step": 1,
        "unit": "pixels",
    }
    assert by_key["marker_shape"]["choices"][0] == {"value": "pin", "label": "Pin"}
    translated = schema.editor_fields("style", translate=str.upper)
    assert translated[0]["label"] == "COLOUR"
    everything = schema.editor_fields()
    assert not any(field["type"] == "json" for field in everything)
    assert {"map", "layer", "controls", "representation", "rule", "filter"} <= {
        field["scope"] for field in everything
    }


# --- inheritance and rules -------------------------------------------------------------------


RULES = [
    {"field": "type", "operator": "=", "value": "école", "label": "", "style": {"color": "red"}},
    {"field": "places", "operator": ">", "value": "100", "label": "", "style": {"color": "blue"}},
]


@pytest.mark.parametrize(
    ("operator", "value", "properties", "expected"),
    [
        ("=", "école", {"type": "école"}, True),
        ("=", "école", {"type": "mairie"}, False),
        ("!=", "école", {"type": "mairie"}, True),
        ("!=", "école", {}, True),
        ("=", "", {}, True),
        ("=", "", {"type": ""}, True),
        ("!=", "", {"type": "x"}, True),
        ("=", "6", {"type": 6.0}, True),
        ("=", "6,5", {"type": "6.5"}, True),
        ("=", "true", {"type": True}, True),
        (">", "100", {"type": 150}, True),
        (">", "100", {"type": "99"}, False),
        ("<", "100", {"type": "99,5"}, True),
        ("<", "2024-01-01", {"type": "2023-12-31"}, True),
        (">", "b", {"type": "a"}, False),
        (">", "100", {}, False),
        ("<", "100", {"type": None}, False),
    ],
)
def test_rule_matches(operator, value, properties, expected):
    rule = {"field": "type", "operator": operator, "value": value}
    assert schema.rule_matches(rule, properties) is expected


def test_resolve_style_follows_umap_precedence():
    map_options = {
        "style": {"color": "green", "weight": 5, "show_label": "always"},
        "rules": [{"field": "x", "operator": "=", "value": "1", "style": {"weight": 9}}],
    }
    layer_ = {"style": {"color": "navy"}, "rules": RULES}
    plain = schema.resolve_style(map_options, layer_)
    assert (plain["color"], plain["weight"], plain["show_label"]) == ("navy", 5, "always")
    assert plain["opacity"] == 0.9  # the default
    school = schema.resolve_style(map_options, layer_, {"type": "école", "x": "1"})
    assert (school["color"], school["weight"]) == ("red", 9)
    own = schema.resolve_style(map_options, layer_, {"type": "école", "_style": {"color": "pink"}})
    assert own["color"] == "pink"
    big = schema.resolve_style(map_options, layer_, {"places": "150"})
    assert big["color"] == "blue"


# --- validation of the options added by issue 12 ---------------------------------------------


def test_new_options_are_kept_and_filled():
    rules = [{"field": "type", "value": 3, "style": {"color": "Red", "weight": "4"}}]
    cleaned = validate_document(
        {
            "options": {
                "default_view": "data",
                "style": {"color": "Navy", "show_label": "hover"},
                "rules": rules,
            },
            "layers": [layer(label_key="{nom} ({ville})", rules=rules)],
        }
    )
    options, cleaned_layer = cleaned["options"], cleaned["layers"][0]
    assert options["default_view"] == "data"
    assert options["style"] == {"color": "Navy", "show_label": "hover"}
    expected_rule = {
        "field": "type",
        "operator": "=",
        "value": "3",
        "label": "",
        "style": {"color": "Red", "weight": 4},
    }
    assert options["rules"] == [expected_rule]
    assert cleaned_layer["label_key"] == "{nom} ({ville})"
    assert cleaned_layer["rules"] == [expected_rule]
    assert validate_document(cleaned) == cleaned


def test_new_options_at_their_default_are_left_out():
    cleaned = validate_document(
        {
            "options": {"default_view": "center", "style": {}, "rules": []},
            "layers": [layer(label_key="", rules=[])],
        }
    )
    assert "default_view" not in cleaned["options"] and "style" not in cleaned["options"]
    assert "rules" not in cleaned["options"]
    assert "label_key" not in cleaned["layers"][0] and "rules" not in cleaned["layers"][0]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"default_view": "north"},
            'options: "default_view" must be one of center, data, latest, locate, not "north"',
        ),
        (
            {"style": {"color": "bleu"}},
            'options.style: bad colour "bleu" for "color": use #rgb, #rrggbb, #rrggbbaa or a '
            "CSS colour name",
        ),
        ({"style": {"stroke": True}}, 'options.style: unknown style key "stroke"'),
        (
            {"style": {"show_label": "sometimes"}},
            'options.style: "show_label" must be one of never, always, hover, not "sometimes"',
        ),
        (
            {"style": {"label_direction": "up"}},
            'options.style: "label_direction" must be one of auto, left, right, top, bottom, '
            'not "up"',
        ),
        (
            {"style": {"label_interactive": "yes"}},
            'options.style: "label_interactive" must be true or false, not "yes"',
        ),
        ({"rules": {}}, 'options: "rules" must be a list, not {}'),
        (
            {"rules": [{"field": "a", "operator": "~"}]},
            'options: "rules[1].operator" must be one of =, !=, <, >, not "~"',
        ),
        (
            {"rules": [{"field": "a", "style": {"weight": 99}}]},
            'options.rules[1].style: "weight" must be a number from 0 to 50, not 99',
        ),
    ],
)
def test_bad_map_options(options, message):
    assert messages({"options": options}) == [message]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"label_key": 5}, '"label_key" must be text, not 5'),
        (
            {"label_key": "x" * 201},
            '"label_key" is too long: 201 characters, the limit is 200',
        ),
        ({"rules": [{"value": "a"}]}, '"rules[1]" needs the property it tests'),
        ({"rules": ["x"]}, '"rules[1]" must be a JSON object, not "x"'),
        ({"rules": [{"field": "a", "colour": "red"}]}, 'unknown key "colour" in "rules[1]"'),
        (
            {"rules": [{"field": "a", "value": ["x"]}]},
            '"rules[1].value" must be text, not ["x"]',
        ),
        (
            {"rules": [{"field": "a", "style": {"color": "x"}}]},
            'at rules[1].style: bad colour "x" for "color": use #rgb, #rrggbb, #rrggbbaa or a '
            "CSS colour name",
        ),
        (
            {"rules": [{"field": "a"}] * 51},
            '"rules" has too many entries: 51, the limit is 50',
        ),
    ],
)
def test_bad_layer_options(keys, message):
    found = messages({"layers": [layer(**keys)]})
    prefix = 'layer 1 "Écoles"'
    assert found == [prefix + ("," if message.startswith("at ") else ":") + " " + message]


def test_feature_style_labels():
    style = {"show_label": "always", "label_direction": "top"}
    feature = {**POINT, "properties": {"_style": style}}
    cleaned = validate_document({"layers": [layer(features=[feature])]})
    assert cleaned["layers"][0]["features"][0]["properties"]["_style"] == {
        "show_label": "always",
        "label_direction": "top",
    }


def test_missing_is_falsy_and_unique():
    assert not MISSING and repr(MISSING) == "MISSING"
    from wagtail_umap.core.schema.model import _Missing

    assert _Missing() is MISSING


# --- generated near misses for the options added by issue 12 ---------------------------------


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-100, 100),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
NEW_STYLE = st.fixed_dictionaries(
    {},
    optional={
        "show_label": st.sampled_from(["never", "always", "hover"]) | JSON,
        "label_direction": st.sampled_from(["auto", "top"]) | JSON,
        "label_interactive": st.booleans() | JSON,
        "color": st.sampled_from(["Navy", "#abc"]) | JSON,
    },
)
RULE = (
    st.fixed_dictionaries(
        {},
        optional={
            "field": st.text(max_size=5) | JSON,
            "operator": st.sampled_from(["=", "!=", "<", ">", "~"]) | JSON,
            "value": st.text(max_size=5) | JSON,
            "label": st.text(max_size=5) | JSON,
            "style": NEW_STYLE | JSON,
        },
    )
    | JSON
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "default_view": st.sampled_from(["center", "data", "latest", "locate"]) | JSON,
            "style": NEW_STYLE | JSON,
            "rules": st.lists(RULE, max_size=3) | JSON,
        },
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "label_key": st.text(max_size=10) | JSON,
            "rules": st.lists(RULE, max_size=3) | JSON,
            "style": NEW_STYLE | JSON,
        },
    ),
)
def test_new_options_only_raise_located_errors(options, layer_keys):
    document = {"options": options, "layers": [layer(**layer_keys)]}
    try:
        cleaned = validate_document(document)
    except MapDocumentError as error:
        assert error.messages()
        return
    assert validate_document(cleaned) == cleaned
