"""System checks: the basemaps (CSP img-src, OpenStreetMap contact, https), the form size."""

import pytest

from wagtail_umap import conf
from wagtail_umap.checks import check_basemaps, check_upload_size
from wagtail_umap.csp import csp_blocked_urls, source_allows
from wagtail_umap.models import BasemapSettings, CustomBasemap
from wagtail_umap.models.basemaps import get_basemap

pytestmark = pytest.mark.django_db


def ids(messages):
    return sorted(message.id for message in messages)


def test_the_example_site_passes():
    assert check_basemaps() == []


def test_a_basemap_host_missing_from_img_src(settings):
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["img-src"] = ["'self'", "data:", "https://data.geopf.fr"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    messages = [m for m in check_basemaps() if m.id == "wagtail_umap.W001"]
    assert sorted(m.obj for m in messages) == ["osm", "osm_fr"]
    osm_fr = next(m for m in messages if m.obj == "osm_fr")
    assert "https://a.tile.openstreetmap.fr" in osm_fr.msg  # {s} expanded
    assert "https://c.tile.openstreetmap.fr" in osm_fr.hint


def test_default_src_applies_when_there_is_no_img_src(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    # The five preset basemaps and the two preset overlays.
    assert ids(check_basemaps()).count("wagtail_umap.W001") == 7


def test_overlays_are_checked_against_the_csp_too(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"img-src": ["'self'", "tile.example.fr"]}}
    settings.WAGTAIL_UMAP = {
        "BASEMAPS": {
            "local": {
                "label": "Local",
                "url": "https://tile.example.fr/{z}/{x}/{y}.png",
                "attribution": "Local",
            }
        },
        "DEFAULT_BASEMAP": "local",
    }
    messages = [m for m in check_basemaps() if m.id == "wagtail_umap.W001"]
    assert sorted(m.obj for m in messages) == ["admin_limits", "cadastre"]
    cadastre = next(m for m in messages if m.obj == "cadastre")
    assert "overlay 'cadastre'" in cadastre.msg and "https://data.geopf.fr" in cadastre.hint


def test_no_csp_no_warning(settings):
    settings.CONTENT_SECURITY_POLICY = None
    assert "wagtail_umap.W001" not in ids(check_basemaps())


def test_django_secure_csp_is_read_too(settings):
    settings.CONTENT_SECURITY_POLICY = None
    settings.SECURE_CSP = {"img-src": ["'self'", "https:"]}
    assert "wagtail_umap.W001" not in ids(check_basemaps())
    settings.SECURE_CSP = {"img-src": ["'self'", "*.openstreetmap.fr", "tile.openstreetmap.org"]}
    warned = [m.obj for m in check_basemaps() if m.id == "wagtail_umap.W001"]
    geoplateforme = ["admin_limits", "cadastre", "ign_orthophotos", "plan_ign", "plan_ign_gris"]
    assert sorted(warned) == geoplateforme


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("*", True),
        ("https:", True),
        ("'self'", False),
        ("data:", False),
        ("https://data.geopf.fr", True),
        ("data.geopf.fr", True),
        ("https://data.geopf.fr:443", True),
        ("https://data.geopf.fr/wmts", True),
        ("https://data.geopf.fr/other/", False),
        ("*.geopf.fr", True),
        ("http://data.geopf.fr", True),  # CSP upgrades http sources to https
        ("https://geopf.fr", False),
        ("https://data.geopf.fr.evil.example", False),
    ],
)
def test_source_expressions(source, allowed):
    assert source_allows(source, "https://data.geopf.fr/wmts?LAYER=X") is allowed


def test_every_policy_must_allow(settings):
    settings.SECURE_CSP = {"img-src": ["https:"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"img-src": ["https://data.geopf.fr"]}}
    assert csp_blocked_urls(get_basemap("osm"))
    assert not csp_blocked_urls(get_basemap("plan_ign"))


def test_osm_offered_without_contact(settings):
    settings.WAGTAIL_UMAP = {"OSM_CONTACT": ""}
    messages = [m for m in check_basemaps() if m.id == "wagtail_umap.W002"]
    assert len(messages) == 1
    assert "osm_fr, osm" in messages[0].msg
    # A site that offers IGN basemaps only needs no contact.
    settings.WAGTAIL_UMAP = {
        "BASEMAPS": {key: conf.DEFAULT_BASEMAPS[key] for key in ("plan_ign", "ign_orthophotos")}
    }
    assert "wagtail_umap.W002" not in ids(check_basemaps())


def test_osm_without_referrer(settings):
    osm = {**conf.DEFAULT_BASEMAPS["osm"], "referrer_policy": "no-referrer"}
    settings.WAGTAIL_UMAP = {
        "BASEMAPS": {"plan_ign": conf.DEFAULT_BASEMAPS["plan_ign"], "osm": osm}
    }
    assert "wagtail_umap.W004" in ids(check_basemaps())


def test_a_non_https_url(settings):
    plain = {**conf.DEFAULT_BASEMAPS["plan_ign"], "url": "http://tiles.example.fr/{z}/{x}/{y}.png"}
    settings.WAGTAIL_UMAP = {"BASEMAPS": {"plan_ign": plain}}
    settings.CONTENT_SECURITY_POLICY = None
    assert ids(check_basemaps()) == ["wagtail_umap.W003"]


def test_custom_basemaps_are_checked(settings):
    # Saved without the form's validation (e.g. an old row, or a script).
    CustomBasemap.objects.create(
        setting=BasemapSettings.load(),
        name="Ancien",
        url="http://tiles.old.example/{z}/{x}/{y}.png",
        attribution="©",
    )
    messages = check_basemaps()
    assert {m.id for m in messages if str(m.obj).startswith("custom-")} == {
        "wagtail_umap.W001",
        "wagtail_umap.W003",
    }


def test_unknown_default(settings):
    settings.WAGTAIL_UMAP = {"DEFAULT_BASEMAP": "nope"}
    assert "wagtail_umap.E001" in ids(check_basemaps())


def test_a_form_size_limit_too_small_for_the_editor_is_flagged(settings):
    """The editor posts settings and references (its layers go to the layer endpoint as
    files): Django's default is enough, a limit below 1 MB is flagged."""
    assert check_upload_size() == []  # the example site allows 35 MB
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default
    assert check_upload_size() == []
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500_000
    [warning] = check_upload_size()
    assert warning.id == "wagtail_umap.W005"
    assert "500,000" in warning.msg and "1,000,000" in warning.msg
    assert "20,971,520" in warning.hint  # MAX_UPLOAD_BYTES
    assert "50,000,000" in warning.hint  # MAX_IMPORT_BYTES
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_IMPORT_BYTES": 80_000_000}
    [warning] = check_upload_size()
    assert "80,000,000" in warning.hint  # the one setting
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # no limit at all
    assert check_upload_size() == []


def test_the_geocoder_must_be_allowed_by_connect_src(settings):
    """W006: the address search (public maps, the editor's toolbar) is fetched by the browser;
    a connect-src without the geocoder's origin would block every search."""
    from wagtail_umap.checks import check_geocoder

    assert check_geocoder() == []  # the example site allows the Géoplateforme
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"connect-src": ["'self'"]}}
    [warning] = check_geocoder()
    assert warning.id == "wagtail_umap.W006" and warning.obj == "ban"
    assert "https://data.geopf.fr" in warning.hint
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    assert ids(check_geocoder()) == ["wagtail_umap.W006"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"connect-src": ["'self'", "https://data.geopf.fr/geocodage/"]}
    }
    assert check_geocoder() == []
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "GEOCODER": None}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"connect-src": ["'self'"]}}
    assert check_geocoder() == []
