"""The French data helpers against local fakes of the BAN and geo.api.gouv.fr: a CSV of
addresses geocoded in batches in a background job (only the chosen columns sent), the score and
label kept, low scores flagged, rows not found reported; administrative outlines by name or
code."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.french_services import serve_french_services

pytestmark = pytest.mark.django_db

CSV = (
    "nom;adresse;commune;cp;telephone\n"
    "Mairie;10 rue de la Mairie;Belleville-sur-Loire;18240;02 48 00 00 01\n"
    "Marché;3 place du Marché;Belleville-sur-Loire;18240;02 48 00 00 02\n"
    "Chez Paulette;lieu-dit les Vignes;Belleville-sur-Loire;18240;06 00 00 00 03\n"
    "Inconnue;12 impasse Introuvable;Belleville-sur-Loire;18240;06 00 00 00 04\n"
).encode()


@pytest.fixture
def services(settings):
    yield from serve_french_services(settings)


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    return client


def geocode(client, choice, data=CSV, name="equipements.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    answer = client.post(
        reverse("wagtail_umap_editor_geocode"),
        {"file": upload, "choice": json.dumps(choice), "options": "{}"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    return answer


def finished(client, answer):
    assert answer.status_code == 202, answer.content
    return client.get(answer.json()["job"]["url"]).json()


def test_a_csv_of_addresses_becomes_a_layer_with_scores_and_reviews(admin, services, settings):
    settings.LANGUAGE_CODE = "fr"
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "GEOCODE_BATCH_ROWS": 3}
    choice = {"columns": ["adresse"], "city": "commune", "postcode": "cp"}
    result = finished(admin, geocode(admin, choice))
    layer = result["document"]["layers"][0]
    assert layer["name"] == "Adresses de equipements"
    points = {f["properties"]["nom"]: f for f in layer["features"]}
    assert set(points) == {"Mairie", "Marché", "Chez Paulette"}  # the fourth not placed
    mairie = points["Mairie"]
    assert mairie["geometry"]["coordinates"] == [2.8527, 47.5016]
    assert mairie["properties"]["result_label"] == "10 Rue de la Mairie 18240 Belleville-sur-Loire"
    assert mairie["properties"]["result_score"] == 0.93
    assert mairie["properties"]["telephone"] == "02 48 00 00 01"  # kept, never sent
    assert "result_review" not in mairie["properties"]
    assert points["Chez Paulette"]["properties"]["result_review"] is True
    notes = result["notes"]
    assert any("ligne 5" in note and "non trouvée" in note for note in notes), notes
    # Numbers written the French way: a decimal comma (the page's language).
    low = next(note for note in notes if "ligne 4" in note)
    assert "avec un score de 0,31, sous 0,5 : à vérifier" in low, low
    # Two batches of at most 3 rows; the chosen columns only, the query from address + city.
    assert len(services.ban_requests) == 2
    first = services.ban_requests[0]
    assert first["columns"] == ["adresse", "commune"] and first["postcode"] == "cp"
    assert first["data"].splitlines()[0] == "wu_row,adresse,commune,cp"
    assert "02 48" not in first["data"]
    assert result["job"]["progress"] == 100


def test_columns_that_do_not_exist_are_refused_at_once(admin, services):
    answer = geocode(admin, {"columns": ["rue"]})
    assert answer.status_code == 400
    assert "rue" in answer.json()["errors"][0]
    assert geocode(admin, {"columns": []}).status_code == 400
    assert services.ban_requests == []


def test_a_service_down_is_a_located_failure(admin, services, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "GEOCODE_CSV_URL": services.url + "/nope/"}
    result = finished(admin, geocode(admin, {"columns": ["adresse"]}))
    assert result["job"]["status"] == "failed"
    assert result["errors"][0].startswith("equipements.csv: ")
    assert "404" in result["errors"][0]


def test_outline_suggestions_by_name_and_by_code(admin, services):
    url = reverse("wagtail_umap_editor_outlines")
    found = admin.get(url, {"level": "commune", "q": "Belleville"}).json()["results"]
    assert [r["label"] for r in found] == [
        "Belleville-sur-Loire (18)",
        "Belleville-en-Beaujolais (69)",
    ]
    by_code = admin.get(url, {"level": "commune", "q": "18027"}).json()["results"]
    assert [r["code"] for r in by_code] == ["18027"]
    epci = admin.get(url, {"level": "epci", "q": "200066470"}).json()["results"]
    assert epci[0]["nom"].startswith("CC Pays Fort")


@pytest.mark.parametrize(
    ("level", "code", "name"),
    [
        ("commune", "18027", "Commune : Belleville-sur-Loire"),
        ("epci", "200066470", "EPCI (intercommunalité) : CC Pays Fort Sancerrois Val de Loire"),
        ("departement", "18", "Département : Cher"),
    ],
)
def test_an_outline_is_added_as_a_layer(admin, services, settings, level, code, name):
    settings.LANGUAGE_CODE = "fr"
    answer = admin.post(reverse("wagtail_umap_editor_outline"), {"level": level, "code": code})
    assert answer.status_code == 200, answer.content
    layer = answer.json()["document"]["layers"][0]
    assert layer["name"] == name
    feature = layer["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["code"] == code


def test_an_unknown_outline_says_so(admin, services, settings):
    settings.LANGUAGE_CODE = "fr"
    answer = admin.post(
        reverse("wagtail_umap_editor_outline"), {"level": "commune", "code": "99999"}
    )
    assert answer.status_code == 400
    assert "99999" in answer.json()["errors"][0]
    answer = admin.post(reverse("wagtail_umap_editor_outline"), {"level": "pays", "code": "18"})
    assert answer.status_code == 400


def test_a_low_score_is_written_the_way_of_the_editor_language():
    from django.utils import translation

    from wagtail_umap.core.errors import Issue
    from wagtail_umap.editor.french_data import _numbers_localised
    from wagtail_umap.formats.geocode import LOW_SCORE

    issue = Issue(
        LOW_SCORE, {"line": 4, "value": "x", "label": "y", "score": 0.3, "threshold": 0.5}
    )
    with translation.override("fr"):
        assert "un score de 0,30, sous 0,5" in _numbers_localised(issue).render(translation.gettext)
    with translation.override("en"):
        assert "a score of 0.30, below 0.5" in _numbers_localised(issue).render(translation.gettext)
    # A row without a score keeps its dash.
    dashed = Issue(LOW_SCORE, {**issue.params, "score": "—"})
    with translation.override("fr"):
        assert "un score de —, sous 0,5" in _numbers_localised(dashed).render(translation.gettext)
