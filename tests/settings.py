"""Test settings: the example site's, on SQLite in memory, or on PostgreSQL when
``DATABASE_URL`` is set (``./scripts/test`` runs both)."""

import importlib.util
import os
import tempfile

from example_site.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-not-secret"
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": dj_database_url.config(default="sqlite://", conn_max_age=0)}  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the live server answers the browser's parallel requests in several
    # threads, and with an in-memory database they would share one connection (and break it).
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"wagtail-umap-tests-{os.getpid()}.sqlite3")
    }

# The tests start from the production defaults of live data (nothing fetched): the example's
# local demo hosts are left out, and the tests that fetch allow their own server.
WAGTAIL_UMAP = {k: v for k, v in WAGTAIL_UMAP.items() if not k.startswith("REMOTE_DATA")}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-umap-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="wagtail-umap-static-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Browser tests run the live server in a thread while Playwright's event loop owns the main one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tasks run at once, in the request that enqueues them (Wagtail's default, which its own index
# tasks expect in tests); the background tests switch to the example's database backend
# (TASKS_DATABASE_BACKEND) and run its worker (tests/editor/test_background.py).
IMMEDIATE_TASKS = (
    "django.tasks.backends.immediate.ImmediateBackend"  # Django 6+: Django's own framework
    if importlib.util.find_spec("django.tasks")
    else "django_tasks.backends.immediate.ImmediateBackend"
)
TASKS = {"default": {"BACKEND": IMMEDIATE_TASKS}}
if not importlib.util.find_spec("django.tasks"):
    # django-tasks before 0.10 (Wagtail 7.0 to 7.2) defers tasks to the end of the transaction,
    # which a test never commits; later versions ignore the key.
    TASKS["default"]["ENQUEUE_ON_COMMIT"] = False
