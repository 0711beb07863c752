"""Settings of the Sites Conformes tests (``scripts/test-dsfr``): the Sites Conformes example's,
on SQLite in a file (the live server's threads share it)."""

import os
import tempfile

from example_dsfr.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-not-secret"
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {
            "NAME": os.path.join(tempfile.gettempdir(), f"wagtail-umap-dsfr-{os.getpid()}.sqlite3")
        },
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-umap-dsfr-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="wagtail-umap-dsfr-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
