"""Maps in several languages with wagtail-localize: what is translated, what is synchronised, and
which map a page in each language shows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue

from example_site.home.management.commands.load_demo import translate
from tests.factories import layer, make_map, point, square
from wagtail_umap.models import LayerData, Map, MapPage
from wagtail_umap.viewer.build import map_downloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    return Locale.objects.get_or_create(language_code="en")[0]


def cycle_map() -> Map:
    return make_map(
        "Réseau cyclable",
        layers=[
            layer(
                "Stationnement vélo",
                point(2.853, 47.5019, "Arceaux de la mairie", description="8 places", places=8),
                point(2.8588, 47.4988, "Arceaux de l’école", description="12 places"),
                id="parking",
                description="Arceaux et abris",
                popup_template="{name}\n{places} places",
                style={"color": "#0063cb"},
            ),
            layer("Zone 30", square(2.8495, 47.5, "Zone 30 du centre-bourg"), id="zone30"),
        ],
    )


ENGLISH = {
    "Réseau cyclable": "Cycle network",
    "Résumé de Réseau cyclable": "Summary of the cycle network",
    "Stationnement vélo": "Bike parking",
    "Arceaux et abris": "Racks and shelters",
    "{name}\n{places} places": "{name}\n{places} spaces",
    "Arceaux de la mairie": "Town hall bike racks",
    "8 places": "8 spaces",
    "Arceaux de l’école": "School bike racks",
    "12 places": "12 spaces",
    "Zone 30": "30 km/h zone",
    "Zone 30 du centre-bourg": "Town centre 30 km/h zone",
}


def test_segments_of_a_map():
    map_ = cycle_map()
    map_.document["options"]["credits"] = "Mairie"
    segments = [
        (segment.path, segment.render_text())
        for segment in extract_segments(map_)
        if isinstance(segment, StringSegmentValue)
    ]
    assert segments == [
        ("title", "Réseau cyclable"),
        ("summary", "Résumé de Réseau cyclable"),
        ("document.options.credits", "Mairie"),
        ("document.layers.parking.name", "Stationnement vélo"),
        ("document.layers.parking.description", "Arceaux et abris"),
        ("document.layers.parking.popup_template", "{name}\n{places} places"),
        ("document.layers.parking.features.0.name", "Arceaux de la mairie"),
        ("document.layers.parking.features.0.description", "8 places"),
        ("document.layers.parking.features.1.name", "Arceaux de l’école"),
        ("document.layers.parking.features.1.description", "12 places"),
        ("document.layers.zone30.name", "Zone 30"),
        ("document.layers.zone30.features.0.name", "Zone 30 du centre-bourg"),
    ]
    # Nothing else: geometries, styles, other properties and options are not for translators.
    assert len(extract_segments(map_)) == len(segments)


def test_translate_french_to_english(english):
    french = cycle_map()
    french_data = LayerData.objects.count()
    french_rows = {row.digest: bytes(row.geojson) for row in LayerData.objects.all()}

    map_en = translate(french, english, ENGLISH)
    map_en.get_latest_revision().publish()
    map_en.refresh_from_db()

    assert map_en.locale == english and map_en.translation_key == french.translation_key
    assert map_en.live
    assert (map_en.title, map_en.summary) == ("Cycle network", "Summary of the cycle network")
    parking_en, zone_en = map_en.full_document()["layers"]
    parking_fr, zone_fr = french.full_document()["layers"]
    assert (parking_en["name"], parking_en["description"]) == ("Bike parking", "Racks and shelters")
    assert parking_en["popup_template"] == "{name}\n{places} spaces"
    assert [f["properties"]["name"] for f in parking_en["features"]] == [
        "Town hall bike racks",
        "School bike racks",
    ]
    assert parking_en["features"][0]["properties"] == {
        "name": "Town hall bike racks",
        "description": "8 spaces",
        "places": 8,  # other properties are synchronised
    }
    assert zone_en["features"][0]["properties"]["name"] == "Town centre 30 km/h zone"
    # Synchronised: geometries, styles, options.
    for english_layer, french_layer in ((parking_en, parking_fr), (zone_en, zone_fr)):
        assert [f["geometry"] for f in english_layer["features"]] == [
            f["geometry"] for f in french_layer["features"]
        ]
        assert english_layer["style"] == french_layer["style"]
        assert english_layer["id"] == french_layer["id"]
    assert map_en.options == french.options
    # The English features are new content-addressed rows; the French ones are untouched.
    english_digests = {layer["data"]["digest"] for layer in map_en.layers}
    french_digests = {layer["data"]["digest"] for layer in french.layers}
    assert english_digests.isdisjoint(french_digests)
    assert LayerData.objects.count() == french_data + 2
    for digest, geojson in french_rows.items():
        assert bytes(LayerData.objects.get(digest=digest).geojson) == geojson
    french.refresh_from_db()
    assert french.title == "Réseau cyclable"
    assert french.layers[0]["name"] == "Stationnement vélo"


def test_untranslated_strings_keep_the_source_text_and_data(english):
    french = make_map("Écoles", layers=[layer("Écoles", point(2.35, 48.85, "École A"), id="e")])
    map_en = translate(french, english, {"Écoles": "Schools"})
    assert map_en.title == "Schools"
    assert map_en.layers[0]["name"] == "Schools"
    # No feature text was translated: the layer keeps the French data, by the same digest.
    assert map_en.layers[0]["data"] == french.layers[0]["data"]


def test_updating_the_source_resynchronises_geometries(english):
    french = cycle_map()
    translate(french, english, ENGLISH)
    moved = french.full_document()
    moved["layers"][1]["features"][0]["geometry"] = square(3.0, 47.0)["geometry"]
    french.set_document(moved)
    french.save_revision().publish()
    map_en = translate(Map.objects.get(pk=french.pk), english, {})
    zone = map_en.full_document()["layers"][1]
    assert zone["features"][0]["geometry"] == square(3.0, 47.0)["geometry"]
    # Translation memory keeps the translations made before.
    assert zone["features"][0]["properties"]["name"] == "Town centre 30 km/h zone"
    assert map_en.title == "Cycle network"


def test_the_translation_source_round_trips_the_document(english):
    french = cycle_map()
    source, _created = TranslationSource.get_or_create_from_instance(french)
    assert source.as_instance().document == french.document
    translation = Translation.objects.create(source=source, target_locale=english)
    po = translation.export_po()
    assert {StringValue(entry.msgid).render_text() for entry in po} == set(ENGLISH)


@pytest.fixture
def demo():
    call_command("load_demo", no_large=True, stdout=io.StringIO())


def test_demo_has_an_english_cycle_map_and_page(demo, client):
    map_fr = Map.objects.get(title="Réseau cyclable")
    map_en = Map.objects.get(title="Cycle network")
    assert map_en.live and map_en.locale.language_code == "en"
    assert map_en.translation_key == map_fr.translation_key
    assert [layer["name"] for layer in map_en.layers] == [
        "Cycle paths",
        "Bike parking",
        "30 km/h zone",
    ]
    page_en = MapPage.objects.get(locale__language_code="en")
    assert page_en.live and page_en.map == map_en
    assert page_en.url == "/en/velo/"

    english = client.get("/en/velo/")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "Cycle network" in html and "Loire riverside greenway" in html
    assert "Réseau cyclable" not in html and "Voie verte des bords de Loire" not in html
    # The language switcher links to the French page.
    assert 'href="/velo/" hreflang="fr" lang="fr"' in html

    french = client.get("/velo/")
    assert french.status_code == 200
    html = french.content.decode()
    assert '<html lang="fr">' in html
    assert "Réseau cyclable" in html and "Voie verte des bords de Loire" in html
    assert "Cycle network" not in html and "Loire riverside greenway" not in html
    assert 'href="/en/velo/" hreflang="en" lang="en"' in html

    # Data and downloads stay outside the language prefix.
    download = map_downloads(map_en)[0].url
    assert download.startswith("/cartes/")
    assert client.get(download, follow=True).status_code == 200  # the file of this version
    assert client.get("/en/").status_code == 200


def test_a_draft_translation_falls_back_to_the_source_map(demo, client):
    map_en = Map.objects.get(title="Cycle network")
    map_en.unpublish()
    html = client.get("/en/velo/").content.decode()
    assert "Réseau cyclable" in html and "Voie verte des bords de Loire" in html
    assert "Cycle network" not in html


def test_a_newer_draft_of_the_translation_is_not_shown(demo, client):
    map_en = Map.objects.get(title="Cycle network")
    draft = map_en.get_latest_revision_as_object()
    draft.title = "Cycle network (draft)"
    draft.save_revision()
    html = client.get("/en/velo/").content.decode()
    assert "Cycle network" in html and "(draft)" not in html


def test_a_french_page_on_an_english_map_shows_the_french_map(demo, client):
    """A page picks the map in its own language, whichever translation the editor chose."""
    page = MapPage.objects.get(locale__language_code="fr", slug="velo")
    page.map = Map.objects.get(title="Cycle network")
    page.save_revision().publish()
    html = client.get("/velo/").content.decode()
    assert "Réseau cyclable" in html and "Cycle network" not in html


def test_pages_without_translation_stay_french_only(demo, client):
    assert client.get("/mairie-et-travaux/").status_code == 200
    assert client.get("/en/mairie-et-travaux/").status_code == 404
    assert Page.objects.filter(locale__language_code="en").count() == 2


def test_editors_translate_a_map_in_wagtail_localize_admin(client, django_user_model, english):
    """The admin route: "Translate" on a map makes a draft English copy, and its edit view is
    wagtail-localize's editor with the map's strings."""
    client.force_login(django_user_model.objects.create_superuser("ed", "e@example.org", "pw"))
    french = cycle_map()
    url = reverse(
        "wagtail_localize:submit_snippet_translation", args=["wagtail_umap", "map", french.pk]
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    map_en = Map.objects.get(locale=english)
    assert not map_en.live  # a draft until the translator publishes it

    editor = client.get(reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_en.pk]))
    assert editor.status_code == 200
    html = editor.content.decode()
    for path in (
        "document.layers.parking.name",
        "document.layers.parking.features.0.name",
        "document.layers.zone30.features.0.name",
    ):
        assert f"&quot;contentPath&quot;: &quot;{path}&quot;" in html


def test_loading_the_demo_again_replaces_the_translations(demo, client):
    call_command("load_demo", no_large=True, stdout=io.StringIO())
    assert Map.objects.filter(title="Cycle network").count() == 1
    assert MapPage.objects.filter(locale__language_code="en").count() == 1
    assert "Cycle network" in client.get("/en/velo/").content.decode()


def test_group_names_are_translated():
    from wagtail_umap.models.localize import document_text, translate_document

    document = {
        "version": 1,
        "options": {},
        "groups": [{"id": "ecoles", "name": "Écoles", "parent": None}],
        "layers": [{"id": "mat", "name": "Maternelles", "group": "ecoles", "features": []}],
    }
    assert ("groups.ecoles.name", "Écoles") in document_text(document)
    translated = translate_document(document, {"groups.ecoles.name": "Schools"})
    assert translated["groups"][0]["name"] == "Schools"
    assert document["groups"][0]["name"] == "Écoles"
