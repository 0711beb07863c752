"""The example site's settings in its two modes: the demo (DEBUG on, SQLite, no secret to set)
and production (DJANGO_DEBUG=0: a secret key required, WhiteNoise, console logs, Redis from
REDIS_URL, `check --deploy` clean but for what HTTPS termination decides).

Each reads the settings in a fresh Python, since they are computed when imported."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "DJANGO_ALLOWED_HOSTS",
    "FRONTEND_CACHE_PURGE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # tests.settings sets it for the browser tests
)
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-production-like-secret-" + "k7Qz" * 10}

READ_SETTINGS = """
import json
from example_site import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "staticfiles": s.STORAGES["staticfiles"]["BACKEND"],
    "middleware": s.MIDDLEWARE,
    "cache": s.CACHES["default"],
    "allowed_hosts": s.ALLOWED_HOSTS,
    "session_cookie_secure": getattr(s, "SESSION_COOKIE_SECURE", False),
    "root_handlers": s.LOGGING["root"]["handlers"],
    "installed_apps": s.INSTALLED_APPS,
    "frontend_cache": getattr(s, "WAGTAILFRONTENDCACHE", None),
}))
"""


def run(code_or_args, env=None, **kwargs):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    args = code_or_args if isinstance(code_or_args, list) else [sys.executable, "-c", code_or_args]
    return subprocess.run(
        args,
        cwd=REPO,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def read_settings(**env):
    result = run(READ_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    result = run("import example_site.settings", {"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # and says how to make one


def test_a_debug_value_that_means_nothing_is_refused():
    result = run("import example_site.settings", {"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe'" in result.stderr


def test_the_demo_needs_nothing_and_stays_as_it_was():
    demo = read_settings()
    assert demo["DEBUG"] is True
    assert demo["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert not any("whitenoise" in m for m in demo["middleware"])
    assert demo["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert demo["session_cookie_secure"] is False


def test_production_serves_hashed_compressed_static_files_and_logs_on_the_console():
    prod = read_settings(
        **PRODUCTION,
        REDIS_URL="redis://127.0.0.1:6379/5",
        DJANGO_ALLOWED_HOSTS="carto.mairie.example, www.mairie.example",
    )
    assert prod["DEBUG"] is False
    assert prod["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Right after SecurityMiddleware, before everything else, as WhiteNoise asks.
    assert prod["middleware"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert prod["cache"]["BACKEND"] == "example_site.cache.ForgivingRedisCache"
    assert prod["cache"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert prod["allowed_hosts"] == ["carto.mairie.example", "www.mairie.example"]
    assert prod["session_cookie_secure"] is True
    assert prod["root_handlers"] == ["console"]
    assert prod["frontend_cache"] is None


def test_frontend_cache_purge_from_the_environment():
    prod = read_settings(**PRODUCTION, FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:6081")
    assert "wagtail.contrib.frontend_cache" in prod["installed_apps"]
    assert prod["frontend_cache"]["default"]["LOCATION"] == "http://127.0.0.1:6081"


def test_check_deploy_leaves_only_what_https_termination_decides(tmp_path):
    result = run(
        [sys.executable, "example_site/manage.py", "check", "--deploy"],
        {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    reported = {line.split(")")[0].split("(")[-1] for line in output.splitlines() if ": (" in line}
    # SECURE_HSTS_SECONDS and SECURE_SSL_REDIRECT: set by the proxy or by Django, see
    # docs/deployment.md; nothing else is left to fix.
    assert reported == {"security.W004", "security.W008"}, output


def test_check_deploy_is_clean_when_django_does_the_https_part(tmp_path):
    result = run(
        [sys.executable, "example_site/manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {
            **PRODUCTION,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "DJANGO_SECURE_HSTS_SECONDS": "31536000",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "DJANGO_SECURE_HSTS_PRELOAD": "1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://:s3cret@cache.internal:6379/2", "example_site.cache.ForgivingRedisCache", None),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
        ("file:///var/cache/carto", "django.core.cache.backends.filebased.FileBasedCache", None),
    ],
)
def test_cache_urls(url, backend, location):
    from example_site.env import cache_from_url

    entry = cache_from_url(url)
    assert entry["BACKEND"] == backend
    if location is not None:
        assert entry["LOCATION"] == location
    if url.startswith("file"):
        assert entry["LOCATION"] == "/var/cache/carto"
    if url.startswith("redis"):
        assert entry["LOCATION"] == "redis://:s3cret@cache.internal:6379/2"
        assert entry["OPTIONS"]["socket_timeout"] <= 1


def test_cache_url_options_and_unknown_schemes():
    from django.core.exceptions import ImproperlyConfigured

    from example_site.env import cache_from_url

    entry = cache_from_url("redis://127.0.0.1:6379/0?timeout=600&key_prefix=carto")
    assert entry["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert (entry["TIMEOUT"], entry["KEY_PREFIX"]) == (600, "carto")
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        cache_from_url("memcached://127.0.0.1:11211")
