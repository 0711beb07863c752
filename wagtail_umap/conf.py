"""Settings of wagtail-umap, with their defaults.

A site overrides any key through the ``WAGTAIL_UMAP`` dict in its settings, for example::

    WAGTAIL_UMAP = {"DEFAULT_BASEMAP": "osm_fr", "MAX_FEATURES": 20_000}

Basemaps live here, never in JavaScript: the viewer receives the chosen one in its
configuration. Each basemap names its tile URL, its attribution (trusted HTML written by the
site's developers, like ``LEAFLET_CONFIG``), its zoom range and the referrer policy of its tile
requests. Administrators add custom basemaps in the Wagtail settings screen "Basemaps"
(:mod:`wagtail_umap.models.basemaps`, whose :func:`get_basemaps` returns both), see
``docs/basemaps-and-cache.md``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail_umap.core.overlays import OVERLAY_PRESETS
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
        # The Géoplateforme answers tiles with Access-Control-Allow-Origin: *, so the viewer
        # fetches them in CORS mode and may draw them into a PNG export (docs/print.md).
        "cors": True,
    },
    # The Géoplateforme publishes the grey Plan IGN as a vector-tile style only
    # (PLAN.IGN/gris.json), which Leaflet's raster tiles cannot draw: this preset draws the
    # raster Plan IGN v2 in greys (the viewer adds a CSS grayscale filter to its tiles).
    "plan_ign_gris": {
        "label": _("Plan IGN v2, grey"),
        "url": IGN_WMTS.format(layer="GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2", format="image/png"),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
        # The Géoplateforme answers tiles with Access-Control-Allow-Origin: *, so the viewer
        # fetches them in CORS mode and may draw them into a PNG export (docs/print.md).
        "cors": True,
        "grayscale": True,
    },
    "ign_orthophotos": {
        "label": _("IGN aerial photographs"),
        "url": IGN_WMTS.format(layer="ORTHOIMAGERY.ORTHOPHOTOS", format="image/jpeg"),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
        # The Géoplateforme answers tiles with Access-Control-Allow-Origin: *, so the viewer
        # fetches them in CORS mode and may draw them into a PNG export (docs/print.md).
        "cors": True,
    },
    "osm_fr": {
        "label": _("OpenStreetMap France"),
        "url": "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png",
        "subdomains": "abc",
        "attribution": OSM_ATTRIBUTION + " – OSM France",
        "min_zoom": 0,
        "max_zoom": 20,
        "osm": True,
    },
    "osm": {
        "label": _("OpenStreetMap"),
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": OSM_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
        # Tiles of the OpenStreetMap Foundation: their tile usage policy applies (attribution,
        # a referrer, no heavy use, no prefetching), see docs/basemaps-and-cache.md.
        "osm": True,
    },
}

DEFAULTS: dict[str, Any] = {
    "BASEMAPS": DEFAULT_BASEMAPS,
    # Transparent tile layers an editor may put over a map's basemap (cadastral parcels and
    # administrative limits of the Géoplateforme by default), same keys as BASEMAPS; the labels
    # of the presets are translated (core/overlays.py).
    "OVERLAYS": OVERLAY_PRESETS,
    # The template MapPage's template extends: the site's own page layout.
    "BASE_TEMPLATE": "base.html",
    "DEFAULT_BASEMAP": "plan_ign",
    # Who runs this site, for the OpenStreetMap tile usage policy: an e-mail address or a URL
    # the tile operators can reach when the site's traffic causes trouble. Without it, system
    # check wagtail_umap.W002 warns while an OpenStreetMap basemap is offered.
    "OSM_CONTACT": "",
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
    # Who may show a published map's embed view (/…/<id>/embed/) in an iframe: CSP
    # frame-ancestors sources. The default lets this site and any HTTPS site embed it (a map is
    # public and read-only); list partner origins instead to restrict, e.g.
    # ["'self'", "https://www.partner.fr"]. The rest of the site keeps refusing to be framed.
    "EMBED_FRAME_ANCESTORS": ["'self'", "https:"],
    # The one limit of an imported file (GeoJSON, .umap, CSV, KML…): its bytes, as read (after
    # the editor's transport gzip). The editor's import endpoint refuses a larger request before
    # reading it, the readers refuse a larger file or document, `umap_import` a larger file,
    # with the same message stating this limit (docs/large-data.md, "Limits").
    "MAX_IMPORT_BYTES": 50_000_000,
    # Imported files and layers the editor sends that are larger than this (bytes, as read) are
    # read and stored by a background task (about a second of work at this size): the request
    # answers at once and the editor shows the task's progress. Run a worker for the database
    # backend (`manage.py db_worker`, docs/deployment.md).
    "BACKGROUND_MIN_BYTES": 2_000_000,
    # Where a file waits for its background task, in Django's default storage (shared by the
    # web and worker processes); deleted once read.
    "IMPORT_STORAGE_PREFIX": "wagtail_umap/imports",
    # A layer the editor sends, gzip-compressed, is at most this many bytes on the wire.
    "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    "MAX_DOCUMENT_BYTES": Limits.max_bytes,
    "MAX_LAYERS": Limits.max_layers,
    "MAX_FEATURES": Limits.max_features,
    "MAX_VERTICES": Limits.max_vertices,
    "MAX_DEPTH": Limits.max_depth,
    # Properties of one feature (columns of a CSV): beyond, a file is refused with its place.
    "MAX_PROPERTIES": Limits.max_properties,
    # Per layer: what one layer may hold, so that no layer freezes a citizen's browser. The
    # editor sends a changed layer on its own (gzip, at most MAX_UPLOAD_BYTES on the wire), so
    # a layer's GeoJSON may be larger than the document limit: at most MAX_LAYER_BYTES.
    "MAX_LAYER_BYTES": 50_000_000,
    "MAX_LAYER_FEATURES": Limits.max_features,
    "MAX_LAYER_VERTICES": Limits.max_vertices,
    # Above these sizes the viewer stops drawing one DOM element per feature: points are
    # clustered, lines and polygons drawn on a canvas, and polygon layers with more vertices
    # than TILE_MIN_VERTICES cut into tiles (docs/large-data.md).
    "CLUSTER_MIN_POINTS": 2_000,
    "CANVAS_MIN_FEATURES": 1_000,
    "TILE_MIN_VERTICES": 200_000,
    # The server-rendered feature list shows this many features of a layer at a time.
    "FEATURE_LIST_PAGE_SIZE": 50,
    # A preview inlines every layer; it lists the first page only of a layer above this size.
    "PREVIEW_LIST_MAX": 1_000,
    # Each server process keeps the most requested layer bytes in memory, up to this size.
    "DATA_CACHE_BYTES": 64 * 1024 * 1024,
    # A layer's data URL keeps answering this many seconds after a publish replaced its version
    # (pages, embeds, API answers and proxies that named it before the publish still load it):
    # at least the longest max-age of what names data URLs (5 minutes here), and of the
    # site's own page cache if it is not purged on publish.
    "DATA_URL_GRACE_SECONDS": 24 * 60 * 60,
    # Downloads are computed once per version and format, kept gzip-compressed in Django's
    # default storage under DOWNLOAD_STORAGE_PREFIX. At most DOWNLOAD_MAX_BUILDS are computed
    # at once on the site (the others wait up to DOWNLOAD_BUILD_WAIT seconds, then get a 503
    # with Retry-After); a computation older than DOWNLOAD_BUILD_TIMEOUT seconds is taken for
    # dead (a killed worker) and done again.
    "DOWNLOAD_STORAGE_PREFIX": "wagtail_umap/downloads",
    "DOWNLOAD_MAX_BUILDS": 2,
    "DOWNLOAD_BUILD_WAIT": 10,
    "DOWNLOAD_BUILD_TIMEOUT": 10 * 60,
    # Layer data no map, revision or grace period refers to is deleted by
    # `manage.py umap_collect_layer_data` and its periodic task, once no save has stored or
    # referenced it for this many seconds (a save in progress keeps its data, see
    # models/collect.py).
    "LAYER_DATA_MIN_AGE": 24 * 60 * 60,
    # Seconds between two runs of the collection as a background task, enqueued after a map is
    # published (django-tasks; run a worker for the database backend); 0 or None: never
    # enqueued (run the command from cron instead).
    "LAYER_DATA_COLLECT_INTERVAL": 24 * 60 * 60,
    # Seconds a map's rendered HTML stays in Django's cache (keyed on its content, so a new
    # version is never served stale; previews are never cached); 0 or None turns it off.
    "VIEWER_CACHE_TIMEOUT": 24 * 60 * 60,
    # The public viewer's look: "default" (neutral, brandable through CSS custom properties) or
    # "dsfr" (the Système de Design de l'État, from django-dsfr's static files). DSFR's licence
    # reserves it to the State's sites (ministries, préfectures, operators): a collectivité's
    # site must not turn it on (docs/themes.md).
    "THEME": "default",
    # Live data layers, French data helpers (issue 17, docs/live-data.md). The server fetches
    # a layer's remote URL only from these host names ("example.fr", or ".example.fr for its
    # subdomains too); empty: no layer is fetched. https only, on its default port, never at a
    # private, loopback, link-local or reserved address. The two lists after it loosen that for
    # hosts named there, for tests and a local demo only (system check W006 when set).
    "REMOTE_DATA_HOSTS": [],
    "REMOTE_DATA_HTTP_HOSTS": [],  # also fetched over http, on any port
    "REMOTE_DATA_PRIVATE_HOSTS": [],  # also at private or loopback addresses
    "REMOTE_DATA_MAX_BYTES": 20_000_000,  # counted while reading
    "REMOTE_DATA_CONNECT_TIMEOUT": 5,  # seconds
    "REMOTE_DATA_TIMEOUT": 30,  # seconds for the whole answer
    "REMOTE_DATA_MAX_REDIRECTS": 3,  # to the same host only
    # The editor's French data helpers (docs/live-data.md): the BAN's CSV geocoder (or the
    # Géoplateforme's, "https://data.geopf.fr/geocodage/search/csv"), rows a request, the score
    # below which a row is flagged for review; geo.api.gouv.fr for administrative outlines.
    "GEOCODE_CSV_URL": "https://api-adresse.data.gouv.fr/search/csv/",
    "GEOCODE_BATCH_ROWS": 2000,
    "GEOCODE_REVIEW_SCORE": 0.5,
    "GEO_API_URL": "https://geo.api.gouv.fr",
    "OUTLINE_URLS": None,  # None: french_data.DEFAULT_OUTLINE_URLS
    "FRENCH_DATA_TIMEOUT": 60,  # seconds a request
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
        max_properties=get_setting("MAX_PROPERTIES"),
    )


def get_import_limits() -> Limits:
    """The limits an imported file is read with: the map's, and ``MAX_IMPORT_BYTES`` for the
    size of the file and of the document read from it (each layer is then stored on its own,
    within ``MAX_LAYER_BYTES``)."""
    return dataclasses.replace(get_limits(), max_bytes=get_setting("MAX_IMPORT_BYTES"))


CUSTOM_PREFIX = "custom-"


def get_preset_basemaps() -> dict[str, dict[str, Any]]:
    """The basemaps of the site's settings (``WAGTAIL_UMAP["BASEMAPS"]``), without a query."""
    return {
        key: {"referrer_policy": REFERRER_POLICY, "subdomains": "", **basemap}
        for key, basemap in get_setting("BASEMAPS").items()
    }


def get_overlays() -> dict[str, dict[str, Any]]:
    """The overlays of the site's settings (``WAGTAIL_UMAP["OVERLAYS"]``), labels translated."""
    return {
        key: {
            "referrer_policy": REFERRER_POLICY,
            "subdomains": "",
            **overlay,
            "label": gettext(str(overlay.get("label", key))),
        }
        for key, overlay in get_setting("OVERLAYS").items()
    }


def get_default_basemap() -> dict[str, Any]:
    """The site's default basemap, without a query: a preset (system check E001 says so when
    ``DEFAULT_BASEMAP`` names none, and the first preset serves then)."""
    presets = get_preset_basemaps()
    key = get_setting("DEFAULT_BASEMAP")
    if key not in presets:
        key = next(iter(presets))
    return {"id": key, **presets[key]}


def get_geocoder() -> dict[str, Any] | None:
    """The geocoder public maps search addresses with, or None when the site offers none."""
    key = get_setting("GEOCODER")
    if not key:
        return None
    return {"id": key, **get_setting("GEOCODERS")[key]}
