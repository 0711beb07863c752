"""Settings of the example site: a commune's Wagtail site with maps.

Two ways to run it, chosen by ``DJANGO_DEBUG``:

- the demo (``DJANGO_DEBUG`` unset or ``1``): SQLite, a development secret key, runserver serves
  the static and media files (``./scripts/example``);
- production (``DJANGO_DEBUG=0``): the settings come from the environment
  (``DJANGO_SECRET_KEY`` is then required), WhiteNoise serves the collected static files
  (compressed, with hashed names), errors are logged on the console for gunicorn and journald.
  docs/deployment.md lists every variable.

PostgreSQL when ``DATABASE_URL`` is set (e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/example``); a shared Redis cache when
``REDIS_URL`` or ``CACHE_URL`` is (e.g. ``REDIS_URL=redis://127.0.0.1:6379/0``).
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from example_site.env import caches_from_environment, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the site needs a secret key of its "
            "own, kept out of the repository: generate one with\n"
            "    python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
            "and set it in the service's environment (see docs/deployment.md)."
        )
    SECRET_KEY = "example-site-not-secret"  # the demo only: DEBUG is on
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
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

# Background tasks (Wagtail's search and reference index, frontend cache purges, and
# wagtail-umap's large imports and layers, the layer data collection) through Wagtail's task
# framework, with the database backend: `manage.py db_worker` runs them (./scripts/example
# starts one beside the server). django-tasks-db on Wagtail 7.4+ and 8 (Django 5.2 and 6);
# Wagtail 7.0 to 7.3 come with an older django-tasks that has the backend built in.
if importlib.util.find_spec("django_tasks.backends.database"):
    TASKS_DATABASE_APP = "django_tasks.backends.database"
    TASKS_DATABASE_BACKEND = "django_tasks.backends.database.DatabaseBackend"
else:
    TASKS_DATABASE_APP = "django_tasks_db"
    TASKS_DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
INSTALLED_APPS += ["django_tasks", TASKS_DATABASE_APP]
TASKS = {"default": {"BACKEND": TASKS_DATABASE_BACKEND, "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # In production, WhiteNoise serves the collected static files (see STORAGES below).
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
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
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections in production (one per gunicorn worker), checked before use.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
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

# Django's cache: Redis shared by every worker and server in production (REDIS_URL), so that a
# map's rendered HTML and data are computed once for the whole site; local memory otherwise.
CACHES = caches_from_environment()

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "static_collected")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    # Uploaded images, documents and audio: a folder the web server serves at MEDIA_URL (or
    # swap in django-storages for object storage, see docs/deployment.md).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: `manage.py collectstatic` writes each file under a name with its hash, plus its
    # gzip and brotli versions, which WhiteNoise serves with a cache lifetime of one year.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    # Cookies only over HTTPS (DJANGO_SECURE_COOKIES=0 to try the site over plain HTTP).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    # What the HTTPS termination decides (docs/deployment.md): the proxy in front usually
    # redirects to HTTPS and sends HSTS itself; else let Django do it.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
        # Only behind a proxy that sets X-Forwarded-Proto itself (and drops the client's).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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

# Not for the map editor: it sends each changed layer, and each imported file, as a gzip file
# part (limited by WAGTAIL_UMAP's MAX_UPLOAD_BYTES and MAX_IMPORT_BYTES, not by this), then
# posts the form with references only, a few kilobytes a layer (Django's default 2.5 MB is
# plenty, system check W005). Raised here for scripts that post whole map documents inline
# through the admin form: up to MAX_DOCUMENT_BYTES (20 MB) of JSON, which urlencoding makes
# some 1.4 to 1.65 times larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = 35 * 1024 * 1024

# wagtail-geo-widget: start the point picker on France.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.4}
GEO_WIDGET_ZOOM = 6

WAGTAIL_UMAP = {
    "BASE_TEMPLATE": "base.html",
    # For the OpenStreetMap tile usage policy: who to reach about this site's tile traffic.
    "OSM_CONTACT": "webmestre@belleville-sur-loire.example",
}
# Live data layers (docs/live-data.md): a real site lists its data portals, fetched over https
# only. The demo's live layer reads a file the demo serves itself, over http on localhost: in
# DEBUG only (and never in production: check wagtail_umap.W017).
if env_bool("DJANGO_DEMO_LIVE_DATA", DEBUG):
    WAGTAIL_UMAP["REMOTE_DATA_HOSTS"] = ["localhost", "127.0.0.1"]
    WAGTAIL_UMAP["REMOTE_DATA_HTTP_HOSTS"] = ["localhost", "127.0.0.1"]
    WAGTAIL_UMAP["REMOTE_DATA_PRIVATE_HOSTS"] = ["localhost", "127.0.0.1"]

# Privacy: the admin asks no other site anything (no update check, no Gravatar).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Frontend cache purge (Varnish, nginx's proxy cache…): publishing a page or a map purges its
# URLs (wagtail_umap/purge.py). One HTTP cache through FRONTEND_CACHE_PURGE_URL here; a site
# behind Cloudflare or CloudFront sets WAGTAILFRONTENDCACHE itself (docs/deployment.md).
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

# Logs on the console (stderr), where runserver, gunicorn and journald keep them: warnings and
# errors of every library, with the traceback of each error behind a 500, and Django's own
# messages from DJANGO_LOG_LEVEL up (INFO by default: one line per 404 or refused request).
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # The demo's console reads as runserver's always did; production's lines say when and who.
        "plain": {
            "format": "%(message)s" if DEBUG else "%(asctime)s %(levelname)s %(name)s: %(message)s"
        },
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers (console in DEBUG, mail to ADMINS) give way to the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "wagtail_umap": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
