"""Settings of the Sites Conformes example: a State site built with Sites Conformes (the State's
Wagtail CMS, on django-dsfr) that adds wagtail-umap, with the DSFR theme on.

SQLite by default; PostgreSQL when ``DATABASE_URL`` is set. Sites Conformes' own
``sites_conformes.config.settings`` still names its apps by their old, pre-package paths and
needs environment variables; a site lists the packaged apps itself, as here.
"""

import os
from pathlib import Path

import dj_database_url

from wagtail_umap.conf import DEFAULT_BASEMAPS

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-dsfr-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_SITE_NAME = "Préfecture de l’Exemple"
WAGTAILADMIN_PATH = "cms-admin/"

INSTALLED_APPS = [
    # The site's content page with maps (MapBlock in its body), see pages/models.py.
    "example_dsfr.pages",
    "wagtail_umap",
    "wagtailgeowidget",
    "leaflet",
    # Sites Conformes and what it builds on.
    "dsfr",
    "sites_conformes",
    "sites_conformes.core",
    "sites_conformes.content_manager",
    "sites_conformes.blog",
    "sites_conformes.events",
    "sites_conformes.menus",
    # Not "sites_conformes.dashboard": in sites-conformes 3.1.1rc1 its admin home reverses
    # "wagtailsnippets_menus_mainmenu", the URL name of the menus app under its old label, and
    # the admin's home page fails (NoReverseMatch). Wagtail's own admin home serves instead.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.snippets",
    "wagtail",
    "wagtailmarkdown",
    "wagtailmenus",
    "wagtail_modeladmin",
    "wagtail_localize",
    "wagtail_localize.locales",
    "taggit",
    "modelcluster",
    "wagtail.api.v2",
    "rest_framework",
    "widget_tweaks",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.sessions",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "wagtail.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_dsfr.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "wagtailmenus.context_processors.wagtailmenus",
                "sites_conformes.content_manager.context_processors.skiplinks",
                "sites_conformes.content_manager.context_processors.mega_menus",
            ],
        },
    },
]

WSGI_APPLICATION = None

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
# Sites Conformes' models and migrations use AutoField.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_PASSWORD_VALIDATORS = []

LANGUAGE_CODE = "fr"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/medias/"
MEDIA_ROOT = BASE_DIR / "medias"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# The same strict policy as the commune's example: scripts from this site only. Sites
# Conformes' pages keep to it (DSFR's JS is a file of django-dsfr's), and so does the viewer.
BASEMAP_HOSTS = ["https://data.geopf.fr"]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *BASEMAP_HOSTS],
        "connect-src": ["'self'", "https://data.geopf.fr"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "worker-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LEAFLET_CONFIG = {"DEFAULT_CENTER": (46.6, 2.4), "DEFAULT_ZOOM": 5}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.4}
GEO_WIDGET_ZOOM = 6

WAGTAIL_UMAP = {
    # A State site: the DSFR theme (reserved to the State's sites by DSFR's licence).
    "THEME": "dsfr",
    # The IGN's basemaps only (Géoplateforme): no request to another operator.
    "BASEMAPS": {key: value for key, value in DEFAULT_BASEMAPS.items() if not value.get("osm")},
    # Sites Conformes' pages extend their own base template; MapPage's would too.
    "BASE_TEMPLATE": "sites_conformes_core/base.html",
}

# What Sites Conformes' templates and hooks read (its own settings module sets them).
FORCE_SCRIPT_NAME = ""  # its templates link the home page as "{FORCE_SCRIPT_NAME}/"
HOST_URL = "localhost"
HOST_PROTO = "http"
HOST_PORT = ""
TESTING = False
PROCONNECT_ACTIVATED = False
SF_DISABLE_TUTORIALS = True
SF_DISABLE_LOCAL_LOGIN = False
SF_SCHEME_DEPENDENT_SVGS = False
DSFR_USE_INTEGRITY_CHECKSUMS = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILMENUS_FLAT_MENUS_EDITABLE_IN_WAGTAILADMIN = False
WAGTAILMENUS_MAIN_MENUS_EDITABLE_IN_WAGTAILADMIN = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = False
