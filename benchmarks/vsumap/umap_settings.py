"""uMap's local settings for benchmarks/vs_umap.py (read by uMap through UMAP_SETTINGS; values
from the environment the script sets). Production-like: DEBUG off, static files collected and
precompressed, served by WhiteNoise; layer data gzipped by Django's GZipMiddleware (standing in
for the web server's gzip of uMap's documented deployment)."""

import os

from umap.settings.base import MIDDLEWARE as BASE_MIDDLEWARE

SECRET_KEY = "vs-umap-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
SITE_URL = os.environ.get("VSUMAP_SITE_URL", "http://127.0.0.1")
DATABASES = {
    "default": {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": os.environ["VSUMAP_DB"],
        "USER": os.environ.get("VSUMAP_DB_USER", "postgres"),
        "HOST": os.environ.get("VSUMAP_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("VSUMAP_DB_PORT", "5432"),
    }
}
# Anyone may create and edit maps without an account (the benchmark's maps are "everyone can
# edit"); plain HTTP on loopback, so the cookies may not be "secure".
UMAP_ALLOW_ANONYMOUS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MEDIA_ROOT = os.environ["VSUMAP_MEDIA_ROOT"]
STATIC_ROOT = os.environ["VSUMAP_STATIC_ROOT"]
AJAX_PROXY_CACHE_DIR = os.environ["VSUMAP_AJAX_PROXY_CACHE_DIR"]
MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *BASE_MIDDLEWARE,
]
LOGGING = {"version": 1, "disable_existing_loggers": True}
