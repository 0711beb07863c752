"""Pan buttons (WCAG 2.2, 2.5.7) and cluster names (RGAA 4.1): the ``pan`` control is on unless
a map turns it off, without changing documents saved before it; the texts the viewer speaks
for them are translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import document, make_map
from wagtail_umap.core.document import empty_document
from wagtail_umap.core.validation import validate_document
from wagtail_umap.models import Map
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import viewer_config
from wagtail_umap.viewer.strings import cluster_strings, pan_strings


def test_pan_is_on_by_default_and_leaves_older_documents_as_they_were():
    assert "pan" not in empty_document()["options"]["controls"]
    assert "pan" not in validate_document(document())["options"]["controls"]
    assert "pan" not in validate_document(document(controls={"pan": True}))["options"]["controls"]
    off = validate_document(document(controls={"pan": False}))
    assert off["options"]["controls"]["pan"] is False


@pytest.mark.django_db
def test_the_viewer_shows_pan_buttons_unless_the_map_turns_them_off():
    shown = make_map("Carte")
    assert viewer_config(viewer_map_for(Map.objects.get(pk=shown.pk)))["controls"]["pan"] is True
    hidden = make_map("Carte")
    hidden.document["options"]["controls"]["pan"] = False
    hidden.save()
    hidden.save_revision().publish()
    config = viewer_config(viewer_map_for(Map.objects.get(pk=hidden.pk)))
    assert config["controls"]["pan"] is False


def test_pan_and_cluster_texts_are_french_on_a_french_page():
    with translation.override("fr"):
        pan, clusters = pan_strings(), cluster_strings()
    assert pan["panEast"] == "Déplacer la carte vers l’est"
    assert pan["pan"] == "Déplacer la carte"
    assert clusters["clusterWhere"]["ne"] == "nord-est de la carte"
    assert clusters["clusterAt"] % {"places": "17 280 lieux", "where": "nord-est de la carte"} == (
        "17 280 lieux, nord-est de la carte"
    )
    assert clusters["clusterOpened"]["other"] % {"count": 12} == "12 lieux affichés"
    with translation.override("en"):
        assert pan_strings()["panWest"] == "Move the map west"
        assert cluster_strings()["clusterWhere"]["c"] == "centre of the map"
