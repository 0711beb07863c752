"""Settings of the example site: a commune's Wagtail site with maps.

SQLite by default (nothing else to start); PostgreSQL when ``DATABASE_URL`` is set, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/example``.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-site-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_SITE_NAME = "Commune de Belleville-sur-Loire"

INSTALLED_APPS = [
    "example_site.home",
    "wagtail_umap",
    "wagtailgeowidget",
    "leaflet",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Translation of pages and maps (optional for a site: wagtail-umap works without it).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # No django.contrib.admin: Wagtail has its own, and its autodiscovery would import
    # leaflet.admin, which needs GDAL (GeoDjango), a path this project stays off.
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its URL: French at the root, English under /en/.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "example_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = []

LANGUAGE_CODE = "fr"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
# A page or map sent for translation starts as a draft, not live with the source's text: until a
# translator publishes it, English pages show the French map (see docs/translation.md).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Only the basemaps' tile hosts may serve images from elsewhere; scripts come from this site only.
BASEMAP_HOSTS = [
    "https://data.geopf.fr",
    "https://a.tile.openstreetmap.fr",
    "https://b.tile.openstreetmap.fr",
    "https://c.tile.openstreetmap.fr",
    "https://tile.openstreetmap.org",
]
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin needs inline scripts; the public site does not.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *BASEMAP_HOSTS],
        # The address search of public maps (Géoplateforme geocoder), only when a citizen searches.
        "connect-src": ["'self'", "https://data.geopf.fr"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        # Video players, inserted only when a citizen presses a popup's "Play the video"
        # (wagtail_umap/views/media.py); the cluster index runs in a worker of our own.
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
            "https://geo.dailymotion.com",
        ],
        "worker-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LEAFLET_CONFIG = {
    # France, when a map has neither a default view nor data.
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
}

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# The map editor posts an edited layer's features in the form (up to the document limit of
# WAGTAIL_UMAP["MAX_DOCUMENT_BYTES"], 20 MB): Django's default 2.5 MB would refuse a save of a
# layer of some 8,000 features.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# wagtail-geo-widget: start the point picker on France.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.4}
GEO_WIDGET_ZOOM = 6

WAGTAIL_UMAP = {
    "BASE_TEMPLATE": "base.html",
    # For the OpenStreetMap tile usage policy: who to reach about this site's tile traffic.
    "OSM_CONTACT": "webmestre@belleville-sur-loire.example",
}

# Privacy: the admin asks no other site anything (no update check, no Gravatar).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
