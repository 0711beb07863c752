"""The revision comparison of a map, in words: layers and features by name."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_map, point, square
from wagtail_umap.editor.compare import compare_documents, compare_features

pytestmark = pytest.mark.django_db


def test_features_added_removed_and_changed_by_name():
    before = [point(2.35, 48.85, "Mairie"), point(2.36, 48.86, "Poste"), square(2.3, 48.8, "Parc")]
    after = [point(2.351, 48.85, "Mairie"), square(2.3, 48.8, "Parc"), point(2.4, 48.9, "Gare")]
    changes = compare_features(before, after)
    assert changes.added == ["Gare"]
    assert changes.removed == ["Poste"]
    assert changes.changed == ["Mairie"]


def test_identical_features_are_no_change_and_duplicates_count():
    same = [point(1, 2, "A"), point(1, 2, "A")]
    assert not compare_features(same, copy.deepcopy(same))
    assert compare_features(same, same[:1]).removed == ["A"]


def in_french(before: dict, after: dict) -> str:
    with translation.override("fr"):
        return "\n".join(compare_documents(before, after))


def test_document_comparison_names_layers_and_features():
    before = {
        "options": {"basemap": "plan_ign"},
        "layers": [
            {"id": "ecoles", "name": "Écoles", "features": [point(2.35, 48.85, "École A")]},
            {"id": "parcs", "name": "Parcs", "features": [square(2.3, 48.8, "Parc")]},
        ],
    }
    after = copy.deepcopy(before)
    after["layers"].reverse()
    after["layers"][1]["name"] = "Écoles publiques"
    after["layers"][1]["features"].append(point(2.4, 48.9, "École B"))
    after["layers"][0]["style"] = {"color": "#d7263d"}
    after["layers"].append({"id": "gares", "name": "Gares", "features": [point(2, 48, "Gare")]})
    text = in_french(before, after)
    assert "Calque « Écoles » renommé « Écoles publiques »." in text
    assert "Calque « Écoles publiques » : 1 élément ajouté : « École B »." in text
    assert "Calque « Parcs » : réglages modifiés (style)." in text
    assert "Calque « Gares » ajouté en position 3, avec 1 élément : « Gare »." in text
    assert "déplacé en position" in text
    assert "digest" not in text


def test_stored_revisions_are_compared_through_the_store(admin_client):
    map_ = make_map(layers=[{"name": "Écoles", "features": [point(2.35, 48.85, "École A")]}])
    first = map_.latest_revision
    document = map_.full_document()
    document["layers"][0]["features"][0]["properties"]["name"] = "École Jules Ferry"
    document["layers"][0]["features"].append(point(2.36, 48.86, "École B"))
    map_.set_document(document)
    second = map_.save_revision()
    url = reverse(
        "wagtailsnippets_wagtail_umap_map:revisions_compare",
        args=[map_.pk, first.pk, second.pk],
    )
    html = admin_client.get(url).content.decode()
    assert "2 éléments ajoutés" in html or "1 élément ajouté" in html
    assert "École B" in html
    assert '"digest"' not in html


def test_groups_of_layers_are_compared_in_words():
    before = {"options": {}, "layers": []}
    after = {
        "options": {},
        "layers": [],
        "groups": [
            {"id": "e", "name": "Écoles", "parent": None},
            {"id": "m", "name": "Maternelles", "parent": "e"},
        ],
    }
    with translation.override("fr"):
        lines = compare_documents(before, after)
    assert "Groupes de calques : – → Écoles, Écoles › Maternelles" in lines
