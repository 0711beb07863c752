"""Basemaps: the presets of the settings and the custom ones of the "Basemaps" settings screen."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_map
from wagtail_umap import conf
from wagtail_umap.models import BasemapSettings, CustomBasemap
from wagtail_umap.models import basemaps as basemap_models
from wagtail_umap.models.basemaps import get_basemap, get_basemaps, validate_tile_url
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import basemap_config

PRESETS = ["plan_ign", "plan_ign_gris", "ign_orthophotos", "osm_fr", "osm"]


def test_presets_with_attribution_and_referrer_policy():
    basemaps = conf.get_preset_basemaps()
    assert list(basemaps) == PRESETS
    for basemap in basemaps.values():
        assert basemap["url"].startswith("https://")
        assert basemap["attribution"]
        assert basemap["referrer_policy"] == "strict-origin-when-cross-origin"
    assert conf.get_setting("DEFAULT_BASEMAP") == "plan_ign"
    assert "LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&" in basemaps["plan_ign"]["url"]
    assert "LAYER=ORTHOIMAGERY.ORTHOPHOTOS&" in basemaps["ign_orthophotos"]["url"]
    # OpenStreetMap tiles: the licence's attribution, the tile policy's zoom limit.
    assert "openstreetmap.org/copyright" in basemaps["osm"]["attribution"]
    assert basemaps["osm"]["max_zoom"] == 19


def test_grey_plan_is_the_plan_ign_drawn_in_greys():
    grey = get_basemap("plan_ign_gris")
    assert grey["url"] == get_basemap("plan_ign")["url"]
    assert basemap_config(grey)["grayscale"] is True
    assert basemap_config(get_basemap("plan_ign"))["grayscale"] is False


@pytest.mark.django_db
def test_a_preset_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get_basemap("osm")["id"] == "osm"
        assert get_basemap(None)["id"] == "plan_ign"


@pytest.mark.parametrize(
    "url",
    [
        "https://tiles.example.fr/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.fr/{z}/{x}/{y}{r}.png?key=public",
    ],
)
def test_valid_tile_urls(url):
    validate_tile_url(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://tiles.example.fr/{z}/{x}/{y}.png", "https://"),
        ("javascript:alert(1)//{z}/{x}/{y}", "https://"),
        ("data:image/png;base64,{z}{x}{y}", "https://"),
        ("//tiles.example.fr/{z}/{x}/{y}.png", "https://"),
        ("https://tiles.example.fr/{z}/{x}.png", "{y}"),
        ("https://tiles.example.fr/{z}/{x}/{y}/{token}.png", "{token}"),
        ("https://user:secret@tiles.example.fr/{z}/{x}/{y}.png", "password"),
    ],
)
def test_invalid_tile_urls(url, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_tile_url(url)
    assert message in " ".join(error.value.messages)


def test_invalid_tile_url_message_in_french():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_tile_url("http://tiles.example.fr/{z}/{x}/{y}.png")
    assert "https://" in error.value.messages[0]
    assert "Saisissez" in error.value.messages[0]


def add_custom(name="Cadastre régional", url="https://data.geopf.fr/{z}/{x}/{y}.png", **fields):
    setting = BasemapSettings.load()
    return CustomBasemap.objects.create(
        setting=setting, name=name, url=url, **{"attribution": "© Région", **fields}
    )


@pytest.mark.django_db
def test_custom_basemaps_follow_the_presets_in_one_query():
    second = add_custom("Second", sort_order=2)
    first = add_custom("Premier", attribution='<img src=x onerror="alert(1)">', sort_order=1)
    get_basemaps()  # the first call of a process also checks that the table exists
    with CaptureQueriesContext(connection) as queries:
        basemaps = get_basemaps()
    assert len(queries) == 1
    assert list(basemaps)[: len(PRESETS)] == PRESETS
    assert list(basemaps)[len(PRESETS) :] == [f"custom-{first.pk}", f"custom-{second.pk}"]
    custom = basemaps[f"custom-{first.pk}"]
    assert custom["label"] == "Premier"
    # Plain text from the admin: escaped, never trusted HTML.
    assert custom["attribution"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert custom["referrer_policy"] == "strict-origin-when-cross-origin"
    assert custom["max_zoom"] == 19


@pytest.mark.django_db
def test_a_map_can_use_a_custom_basemap_and_falls_back_when_it_is_removed(client):
    custom = add_custom("Fond régional", max_zoom=17)
    map_ = make_map("Carte régionale")
    map_.document["options"]["basemap"] = f"custom-{custom.pk}"
    map_.full_clean()
    map_.save()
    viewer_basemap = viewer_map_for(map_).basemap
    assert viewer_basemap["id"] == f"custom-{custom.pk}"
    assert viewer_basemap["max_zoom"] == 17
    custom.delete()
    assert viewer_map_for(map_).basemap["id"] == "plan_ign"
    with pytest.raises(ValidationError):
        map_.full_clean()  # an unknown basemap


@pytest.mark.django_db
def test_a_custom_basemap_host_the_csp_blocks_is_refused(settings):
    setting = BasemapSettings.load()
    basemap = CustomBasemap(
        setting=setting,
        name="Ailleurs",
        url="https://tiles.elsewhere.example/{z}/{x}/{y}.png",
        attribution="© Ailleurs",
    )
    with pytest.raises(ValidationError) as error:
        basemap.full_clean()
    assert "tiles.elsewhere.example" in str(error.value.message_dict["url"])
    settings.CONTENT_SECURITY_POLICY = None
    basemap.full_clean()  # no CSP: any https host


@pytest.mark.django_db
def test_the_settings_screen_adds_a_custom_basemap(admin_client):
    url = "/admin/settings/wagtail_umap/basemapsettings/"
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    edit_url = response.redirect_chain[-1][0] if response.redirect_chain else url
    data = {
        "custom_basemaps-TOTAL_FORMS": "1",
        "custom_basemaps-INITIAL_FORMS": "0",
        "custom_basemaps-MIN_NUM_FORMS": "0",
        "custom_basemaps-MAX_NUM_FORMS": "1000",
        "custom_basemaps-0-name": "Plan de la métropole",
        "custom_basemaps-0-url": "http://data.geopf.fr/{z}/{x}/{y}.png",
        "custom_basemaps-0-attribution": "© Métropole",
        "custom_basemaps-0-max_zoom": "18",
        "custom_basemaps-0-ORDER": "1",
        "custom_basemaps-0-id": "",
        "custom_basemaps-0-DELETE": "",
    }
    response = admin_client.post(edit_url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "https://" in response.content.decode()
    assert not CustomBasemap.objects.exists()

    data["custom_basemaps-0-url"] = "https://data.geopf.fr/metropole/{z}/{x}/{y}.png"
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302
    custom = CustomBasemap.objects.get()
    assert custom.name == "Plan de la métropole"
    assert f"custom-{custom.pk}" in get_basemaps()
    # Editors now find it in the map form's basemap choice.
    map_ = make_map("Choix du fond")
    html = admin_client.get(f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/").content.decode()
    assert "Plan de la métropole" in editor_basemap_labels(html)


def editor_basemap_labels(html: str) -> list[str]:
    """The basemap names the map editor offers (its configuration is a JSON script element)."""
    config_id = re.search(r'data-umap-editor-config-value="([^"]+)"', html).group(1)
    script = rf'<script id="{config_id}" type="application/json">(.*?)</script>'
    config = json.loads(re.search(script, html, re.S).group(1))
    return [basemap["label"] for basemap in config["basemaps"]]


def test_no_query_while_the_table_does_not_exist(monkeypatch, django_assert_num_queries):
    """During the first migrate: presets only, no error."""
    monkeypatch.setattr(basemap_models, "_custom_table_ready", False)

    class NoTable:
        def table_names(self):
            return []

    class FakeConnection:
        introspection = NoTable()

    monkeypatch.setattr(basemap_models, "connections", {"default": FakeConnection()})
    assert list(get_basemaps()) == PRESETS
