"""Radio and yes-or-no filters, and the map's own filters: their choices (viewer/viz.py) and
their uMap names (core/schema/umap_links.py)."""

from django.utils import translation

from wagtail_umap.core.schema.umap_links import filters_from_umap, filters_to_umap
from wagtail_umap.viewer.viz import filters_config, map_filters_config, needs_values, yes_or_no


def feature(**properties) -> dict:
    return {"type": "Feature", "geometry": None, "properties": properties}


def test_yes_or_no_reads_booleans_numbers_and_french_words():
    yes = [True, 1, "oui", "Oui ", "vrai", "true", "yes", "1", "x"]
    no = [False, 0, "non", "NON", "faux", "false", "no", "0"]
    assert {yes_or_no(v) for v in yes} == {"yes"}
    assert {yes_or_no(v) for v in no} == {"no"}
    assert {yes_or_no(v) for v in (None, "", "peut-être", 2, ["oui"])} == {""}


def test_radio_choices_and_yes_no_counts():
    features = [
        feature(niveau="maternelle", accessible="oui"),
        feature(niveau="élémentaire", accessible=True),
        feature(niveau="maternelle", accessible="non"),
        feature(niveau="", accessible="?"),
    ]
    radio, yes_no = filters_config(
        [{"type": "radio", "field": "niveau"}, {"type": "yes_no", "field": "accessible"}],
        features,
    )
    assert radio == {
        "id": "f0",
        "type": "radio",
        "label": "niveau",
        "field": "niveau",
        "options": [{"value": "maternelle", "count": 2}, {"value": "élémentaire", "count": 1}],
    }
    assert (yes_no["yes"], yes_no["no"]) == (2, 1)
    assert needs_values({"filters": [{"type": "yes_no", "field": "accessible"}]})


def test_map_filters_are_labelled_and_counted_by_the_script():
    with translation.override("fr"):
        config = map_filters_config(
            [
                {"type": "yes_no", "field": "accessible", "label": "Accessible"},
                {"type": "search", "fields": ["name"], "label": ""},
            ]
        )
    assert config == [
        {"id": "m0", "type": "yes_no", "label": "Accessible", "field": "accessible"},
        {"id": "m1", "type": "search", "label": "Rechercher", "fields": ["name"]},
    ]


def test_umap_radio_and_switch_both_ways():
    options = {
        "filters": [
            {"fieldKey": "jour", "widget": "Radio", "label": "Jour"},
            {"fieldKey": "bio", "widget": "Switch"},
            {"fieldKey": "type", "widget": "Checkbox"},
        ],
        "facetKey": "ouvert|Ouvert|bool,niveau||radio",
    }
    ours = filters_from_umap(options)
    assert ours == [
        {"type": "radio", "field": "jour", "label": "Jour"},
        {"type": "yes_no", "field": "bio", "label": ""},
        {"type": "category", "field": "type", "label": ""},
        {"type": "yes_no", "field": "ouvert", "label": "Ouvert"},
        {"type": "radio", "field": "niveau", "label": ""},
    ]
    written = filters_to_umap(ours)["filters"]
    assert [(f["fieldKey"], f["widget"]) for f in written] == [
        ("jour", "Radio"),
        ("bio", "Switch"),
        ("type", "Checkbox"),
        ("ouvert", "Switch"),
        ("niveau", "Radio"),
    ]
    assert filters_from_umap({"filters": written}) == ours
