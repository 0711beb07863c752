import pytest
from django.core.exceptions import ValidationError

from tests.factories import document, layer, make_map, point, square
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.models import LayerData, Map
from wagtail_umap.viewer.build import viewer_map_for

pytestmark = pytest.mark.django_db


def test_set_document_stores_features_by_reference():
    map_ = make_map(layers=[layer("Écoles", point(2.35, 48.85, "A"), point(2.36, 48.86, "B"))])
    stored_layer = map_.layers[0]
    assert "features" not in stored_layer
    data = LayerData.objects.get(digest=stored_layer["data"]["digest"])
    assert stored_layer["data"]["feature_count"] == data.feature_count == 2
    assert [f["properties"]["name"] for f in data.features()] == ["A", "B"]


def test_same_content_is_stored_once():
    make_map("Un", layers=[layer("L", point(1, 2))])
    make_map("Deux", layers=[layer("Autre nom", point(1, 2))])
    assert LayerData.objects.count() == 1


def test_revisions_hold_references_not_features():
    features = [point(2 + i / 1000, 48, f"Point {i}") for i in range(500)]
    map_ = make_map(layers=[layer("Beaucoup", *features)])
    revision = map_.latest_revision
    assert "features" not in revision.content["document"]["layers"][0]
    assert len(str(revision.content)) < 2000


def test_old_revision_still_resolves_after_new_data():
    map_ = make_map(layers=[layer("L", point(1, 2, "Ancien"))])
    first = map_.latest_revision
    map_.set_document(document(layer("L", point(3, 4, "Nouveau"))))
    map_.save_revision().publish()
    old = first.as_object()
    assert old.full_document()["layers"][0]["features"][0]["properties"]["name"] == "Ancien"
    assert map_.full_document()["layers"][0]["features"][0]["properties"]["name"] == "Nouveau"


def test_set_document_rejects_bad_coordinates_and_keeps_the_old_document():
    map_ = make_map()
    before = map_.document
    with pytest.raises(MapDocumentError) as raised:
        map_.set_document(document(layer("Écoles", point(2, 95, "Nulle part"))))
    assert "95" in raised.value.messages()[0]
    assert map_.document == before


def test_clean_rejects_a_reference_to_missing_data():
    map_ = make_map()
    map_.document["layers"][0]["data"]["digest"] = "0" * 64
    with pytest.raises(ValidationError) as raised:
        map_.full_clean()
    assert "0" * 64 in str(raised.value)


def test_clean_rejects_an_unknown_basemap():
    map_ = make_map()
    map_.document["options"]["basemap"] = "google"
    with pytest.raises(ValidationError, match="google"):
        map_.full_clean()


def test_draft_changes_stay_out_of_the_live_row():
    map_ = make_map(layers=[layer("Publié", point(1, 2, "Publié"))])
    draft = map_.get_latest_revision_as_object()
    draft.title = "Brouillon"
    draft.set_document(document(layer("Brouillon", point(5, 6, "Brouillon"))))
    draft.save_revision()
    live = Map.objects.get(pk=map_.pk)
    assert live.title == "Écoles"
    assert live.layers[0]["name"] == "Publié"
    assert live.has_unpublished_changes


def test_viewer_map_of_a_polygon_layer():
    map_ = make_map(layers=[layer("Zones", square(2, 48, "Zone 30"))])
    viewer_map = viewer_map_for(map_)
    assert viewer_map.title == "Écoles"
    assert viewer_map.layers[0].features[0]["properties"]["name"] == "Zone 30"
    assert viewer_map.layers[0].data_url is None  # small: inline
    assert viewer_map.basemap["id"] == "plan_ign"


def test_large_layers_load_from_the_data_url_unless_inlined(settings):
    settings.WAGTAIL_UMAP = {"INLINE_LAYER_MAX_BYTES": 100}
    map_ = make_map(layers=[layer("L", *[point(1 + i / 100, 2, f"P{i}") for i in range(10)])])
    digest = map_.layers[0]["data"]["digest"]
    assert viewer_map_for(map_).layers[0].data_url == f"/cartes/data/{map_.pk}/{digest}.geojson"
    assert viewer_map_for(map_, inline_data=True).layers[0].data_url is None


def test_search_finds_a_map_by_its_summary(django_capture_on_commit_callbacks):
    # Wagtail 7 indexes on commit, which a test's transaction never reaches: run it now.
    with django_capture_on_commit_callbacks(execute=True):
        make_map("Bureaux de vote")
        works = make_map("Travaux")
        works.summary = "Les chantiers de voirie"
        works.save()
    assert [m.title for m in Map.objects.search("voirie")] == ["Travaux"]
    assert [m.title for m in Map.objects.search("Bureaux")] == ["Bureaux de vote"]
