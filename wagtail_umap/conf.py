"""Settings of wagtail-umap, with their defaults.

A site overrides any key through the ``WAGTAIL_UMAP`` dict in its settings, for example::

    WAGTAIL_UMAP = {"DEFAULT_BASEMAP": "osm_fr", "MAX_FEATURES": 20_000}

Basemaps live here, never in JavaScript: the viewer receives the chosen one in its
configuration. Each basemap names its tile URL, its attribution (trusted HTML written by the
site's developers, like ``LEAFLET_CONFIG``), its zoom range and the referrer policy of its tile
requests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail_umap.core.validation import Limits

IGN_WMTS = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=normal&TILEMATRIXSET=PM&FORMAT={format}"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}"
)
IGN_ATTRIBUTION = '<a href="https://www.ign.fr/">© IGN</a> – Géoplateforme'
OSM_ATTRIBUTION = (
    '<a href="https://www.openstreetmap.org/copyright">© les contributeurs d’OpenStreetMap</a>'
)
REFERRER_POLICY = "strict-origin-when-cross-origin"

DEFAULT_BASEMAPS: dict[str, dict[str, Any]] = {
    "plan_ign": {
        "label": _("Plan IGN v2"),
        "url": IGN_WMTS.format(layer="GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2", format="image/png"),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
    },
    "ign_orthophotos": {
        "label": _("IGN aerial photographs"),
        "url": IGN_WMTS.format(layer="ORTHOIMAGERY.ORTHOPHOTOS", format="image/jpeg"),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
    },
    "osm_fr": {
        "label": _("OpenStreetMap France"),
        "url": "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png",
        "subdomains": "abc",
        "attribution": OSM_ATTRIBUTION + " – OSM France",
        "min_zoom": 0,
        "max_zoom": 20,
    },
    "osm": {
        "label": _("OpenStreetMap"),
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": OSM_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
    },
}

DEFAULTS: dict[str, Any] = {
    "BASEMAPS": DEFAULT_BASEMAPS,
    # The template MapPage's template extends: the site's own page layout.
    "BASE_TEMPLATE": "base.html",
    "DEFAULT_BASEMAP": "plan_ign",
    # Layers whose stored GeoJSON is at most this many bytes travel inside the page;
    # larger ones load from their cached data URL.
    "INLINE_LAYER_MAX_BYTES": 64 * 1024,
    # Address search on public maps: the Géoplateforme's geocoder (Base Adresse Nationale) by
    # default, "nominatim" as an option, or None to offer none. The citizen's browser calls it,
    # only when they search.
    "GEOCODER": "ban",
    "GEOCODERS": {
        "ban": {
            "url": "https://data.geopf.fr/geocodage/search",
            "attribution": "Base Adresse Nationale – Géoplateforme",
        },
        "nominatim": {
            "url": "https://nominatim.openstreetmap.org/search",
            "attribution": "Nominatim – © les contributeurs d’OpenStreetMap",
        },
    },
    "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    "MAX_DOCUMENT_BYTES": Limits.max_bytes,
    "MAX_LAYERS": Limits.max_layers,
    "MAX_FEATURES": Limits.max_features,
    "MAX_VERTICES": Limits.max_vertices,
    "MAX_DEPTH": Limits.max_depth,
}


def get_setting(name: str) -> Any:
    """Return one wagtail-umap setting, the site's value first, then our default."""
    return getattr(settings, "WAGTAIL_UMAP", {}).get(name, DEFAULTS[name])


def get_limits() -> Limits:
    """The size limits every write path validates against."""
    return Limits(
        max_bytes=get_setting("MAX_DOCUMENT_BYTES"),
        max_layers=get_setting("MAX_LAYERS"),
        max_features=get_setting("MAX_FEATURES"),
        max_vertices=get_setting("MAX_VERTICES"),
        max_depth=get_setting("MAX_DEPTH"),
    )


def get_basemaps() -> dict[str, dict[str, Any]]:
    """Every basemap the site offers, each with the referrer policy its tiles are fetched with."""
    return {
        key: {"referrer_policy": REFERRER_POLICY, "subdomains": "", **basemap}
        for key, basemap in get_setting("BASEMAPS").items()
    }


def get_basemap(key: str | None) -> dict[str, Any]:
    """One basemap by key, falling back to the site's default when the key is unknown."""
    basemaps = get_basemaps()
    return (
        {"id": key, **basemaps[key]}
        if key in basemaps
        else {
            "id": get_setting("DEFAULT_BASEMAP"),
            **basemaps[get_setting("DEFAULT_BASEMAP")],
        }
    )


def get_geocoder() -> dict[str, Any] | None:
    """The geocoder public maps search addresses with, or None when the site offers none."""
    key = get_setting("GEOCODER")
    if not key:
        return None
    return {"id": key, **get_setting("GEOCODERS")[key]}
