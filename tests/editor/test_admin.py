import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import loaded_revision, make_map, point
from wagtail_umap.models import Map

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/wagtail_umap/map/add/"


def form_data(**overrides) -> dict:
    data = {
        "title": "Carte importée",
        "summary": "Des villes et des tunnels.",
        "basemap": "plan_ign",
        "center_lat": "",
        "center_lng": "",
        "zoom": "",
        "controls": ["zoom", "scale", "layers"],
        "credits": "",
        "import_into": "new",
        "import_mode": "add",
        "document": "",
    }
    data.update(overrides)
    return data


def edit_data(map_, **overrides) -> dict:
    """The edit form of ``map_`` as Wagtail renders it, with ``overrides``, asking to publish."""
    data = form_data(
        title=map_.title, summary=map_.summary, document=json.dumps(map_.document), **overrides
    )
    data["action-publish"] = "action-publish"
    data.update(loaded_revision(map_))
    return data


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_add_form_renders_in_french(admin):
    response = admin.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    # The visual editor writes the document field (import goes through it now).
    assert 'data-controller="umap-editor"' in html
    assert 'name="document"' in html
    assert 'name="import_file"' not in html
    assert "Fond de carte" in html  # the French catalogue is shipped


def test_upload_a_umap_backup_and_publish(admin, fixture_bytes):
    data = form_data(
        title="",
        summary="",
        import_file=upload("test.umap", fixture_bytes("test_upload_data.umap")),
    )
    data["action-publish"] = "action-publish"
    response = admin.post(ADD_URL, data)
    assert response.status_code == 302, response.context["form"].errors
    map_ = Map.objects.get()
    assert map_.live
    assert map_.title == "Imported map"  # taken from the file as the title field was empty
    assert [layer["name"] for layer in map_.layers] == ["Cities", "Tunnels"]
    assert map_.options["center"] == {"lat": 50.6269, "lng": 3.0528}
    assert map_.feature_count > 0


def test_upload_geojson_into_an_existing_map_adds_a_layer(admin, fixture_bytes):
    map_ = make_map()
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    data = edit_data(
        map_, import_file=upload("donnees.geojson", fixture_bytes("test_upload_data.json"))
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    map_.refresh_from_db()
    assert len(map_.layers) == 2
    assert map_.layers[0]["name"] == "Écoles"


def test_bad_file_shows_a_located_error_and_saves_nothing(admin):
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [2, 1]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [2, 95]},
            },
        ],
    }
    data = form_data(import_file=upload("ecoles.geojson", json.dumps(bad).encode()))
    response = admin.post(ADD_URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert any("ecoles.geojson" in e and "95" in e and "2" in e for e in errors), errors
    assert Map.objects.count() == 0


def test_bad_file_on_an_existing_map_keeps_its_layers(admin):
    map_ = make_map()
    before = map_.document
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    data = edit_data(map_, import_file=upload("casse.geojson", b"{not json"), import_mode="replace")
    response = admin.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    map_.refresh_from_db()
    assert map_.document == before


def test_remove_a_layer(admin):
    map_ = make_map()
    url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
    data = edit_data(map_, remove_layers=[map_.layers[0]["id"]])
    assert admin.post(url, data).status_code == 302
    map_.refresh_from_db()
    assert map_.layers == []


def test_options_are_saved_into_the_document(admin):
    data = form_data(
        center_lat="47.5", center_lng="2.85", zoom="14", basemap="osm", credits="Mairie"
    )
    data["action-publish"] = "action-publish"
    assert admin.post(ADD_URL, data).status_code == 302
    options = Map.objects.get().options
    assert options["center"] == {"lat": 47.5, "lng": 2.85}
    assert options["zoom"] == 14
    assert options["basemap"] == "osm"
    assert options["credits"] == "Mairie"
    assert options["controls"]["fullscreen"] is False


def test_listing_search_and_filter(admin):
    make_map("Bureaux de vote")
    make_map("Travaux", publish=False)
    listing = admin.get("/admin/snippets/wagtail_umap/map/")
    assert "Bureaux de vote" in listing.content.decode()
    found = admin.get("/admin/snippets/wagtail_umap/map/?q=Travaux").content.decode()
    assert "Travaux" in found and "Bureaux de vote" not in found
    live_only = admin.get("/admin/snippets/wagtail_umap/map/?live=true").content.decode()
    assert "Bureaux de vote" in live_only and "Travaux" not in live_only


def test_preview_shows_the_draft(admin):
    map_ = make_map()
    url = reverse("wagtailsnippets_wagtail_umap_map:preview_on_edit", args=[map_.pk])
    data = form_data(title="Titre du brouillon", summary="s", document=json.dumps(map_.document))
    assert admin.post(url, data).json()["is_valid"]
    html = admin.get(url).content.decode()
    assert "Titre du brouillon" in html
    assert "École A" in html


def test_history_and_usage_views(admin):
    map_ = make_map()
    for view in ("history", "usage"):
        url = reverse(f"wagtailsnippets_wagtail_umap_map:{view}", args=[map_.pk])
        assert admin.get(url).status_code == 200


def test_compare_revisions_describes_the_change_in_words(admin):
    map_ = make_map()
    first = map_.latest_revision
    map_.set_document(
        {
            "options": {"basemap": "osm"},
            "layers": [{"name": "Collèges", "features": [point(2.4, 48.9, "Collège B")]}],
        }
    )
    second = map_.save_revision()
    url = reverse(
        "wagtailsnippets_wagtail_umap_map:revisions_compare",
        args=[map_.pk, first.pk, second.pk],
    )
    html = admin.get(url).content.decode()
    assert "Fond de carte" in html and "OpenStreetMap" in html
    assert "Collèges" in html and "1 élément" in html
    assert '"digest"' not in html  # no raw JSON


def test_import_notes_tell_what_is_kept_but_not_shown(admin, fixture_bytes):
    data = form_data(import_file=upload("test.umap", fixture_bytes("test_upload_data.umap")))
    data["action-publish"] = "action-publish"
    response = admin.post(ADD_URL, data, follow=True)
    notes = [str(m) for m in response.context["messages"]]
    assert any("miniMap" in note and "conservée" in note for note in notes), notes


@pytest.mark.parametrize(
    ("mode", "expected"), [("add", ["École A", "Portsmouth"]), ("replace", ["Portsmouth"])]
)
def test_import_into_an_existing_layer(admin, fixture_bytes, mode, expected):
    map_ = make_map()
    target = map_.layers[0]["id"]
    data = edit_data(
        map_,
        import_file=upload("pin.json", fixture_bytes("test_upload_simple_marker.json")),
        import_into=target,
        import_mode=mode,
    )
    response = admin.post(reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    map_.refresh_from_db()
    assert [layer["id"] for layer in map_.layers] == [target]  # no new layer
    names = [f["properties"].get("name") for f in map_.full_document()["layers"][0]["features"]]
    assert names == expected


def test_replace_into_new_layers_replaces_every_layer(admin, fixture_bytes):
    map_ = make_map()
    data = edit_data(
        map_,
        import_file=upload("pin.json", fixture_bytes("test_upload_simple_marker.json")),
        import_mode="replace",
    )
    assert (
        admin.post(
            reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk]), data
        ).status_code
        == 302
    )
    map_.refresh_from_db()
    assert [layer["name"] for layer in map_.layers] == ["pin"]


def test_upload_a_umap_backup_with_groups_keeps_its_groups(admin, fixture_bytes):
    data = form_data(
        title="", summary="", import_file=upload("g.umap", fixture_bytes("umap_modern/groups.umap"))
    )
    data["action-publish"] = "action-publish"
    response = admin.post(ADD_URL, data)
    assert response.status_code == 302, response.context["form"].errors
    map_ = Map.objects.get()
    groups = {group["id"]: group["name"] for group in map_.document["groups"]}
    assert sorted(groups.values()) == ["Privées", "Écoles"]
    assert [groups.get(layer.get("group")) for layer in map_.layers] == [
        "Écoles",
        "Écoles",
        "Privées",
        None,
    ]
