import pytest

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import (
    MAX_ISSUES,
    Issue,
    IssueCollector,
    Location,
    MapDocumentError,
    shown,
)

FRENCH = {
    m.LOCATION_LAYER_NAMED: "couche %(layer)s « %(layer_name)s »",
    m.LOCATION_FEATURE: "objet %(feature)s",
    m.LOCATED_MESSAGE: "%(where)s : %(message)s",
    m.LATITUDE_RANGE: "la latitude %(value)s est hors de -90..90",
}


def french(message: str) -> str:
    return FRENCH.get(message, message)


def test_render_with_layer_and_feature():
    issue = Issue(m.LATITUDE_RANGE, {"value": 95}, Location(2, "Écoles", 17))
    assert issue.render() == 'layer 2 "Écoles", feature 17: latitude 95 is outside -90..90'


def test_render_translates_message_and_location():
    issue = Issue(m.LATITUDE_RANGE, {"value": 95}, Location(2, "Écoles", 17))
    assert (
        issue.render(french) == "couche 2 « Écoles », objet 17 : la latitude 95 est hors de -90..90"
    )


def test_render_without_location_is_the_bare_message():
    assert Issue(m.NO_GEOMETRY, {}).render() == "feature has no geometry"


def test_render_layer_without_name_and_detail():
    issue = Issue(m.NO_GEOMETRY, {}, Location(layer=3, feature=1, detail="coordinates[0]"))
    assert issue.render() == "layer 3, feature 1, at coordinates[0]: feature has no geometry"


def test_broken_translation_falls_back_to_english():
    issue = Issue(m.LATITUDE_RANGE, {"value": 95})
    assert issue.render(lambda s: "%(oops)s") == "latitude 95 is outside -90..90"


def test_error_needs_issues_and_gives_messages():
    with pytest.raises(ValueError):
        MapDocumentError([])
    error = MapDocumentError([Issue(m.NO_GEOMETRY, {}, Location(1, "A", 2))])
    assert error.messages() == ['layer 1 "A", feature 2: feature has no geometry']
    assert str(error) == 'layer 1 "A", feature 2: feature has no geometry'
    assert isinstance(error, ValueError)


def test_collector_stops_at_the_cap():
    collector = IssueCollector()
    with pytest.raises(MapDocumentError) as caught:
        for _ in range(1000):
            collector.add(m.NO_GEOMETRY)
    assert len(caught.value.issues) == MAX_ISSUES + 1
    assert caught.value.messages()[-1] == "checking stopped after 20 errors: fix these first"


def test_shown_quotes_strings_and_truncates():
    assert shown("Foo") == '"Foo"'
    assert shown(95) == "95"
    assert shown("x" * 100).endswith("…")
    assert len(shown("x" * 100)) == 60
