"""Reading the example site's settings from the environment (twelve-factor style).

Small on purpose: a boolean, a comma-separated list, and a cache URL read into Django's
``CACHES`` entry (``CACHE_URL`` or ``REDIS_URL``), so the site needs no settings library beyond
dj-database-url. See docs/deployment.md for every variable.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1 or 0 (true/false, yes/no, on/off).")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number.") from None


def cache_from_url(url: str) -> dict[str, Any]:
    """One entry of Django's ``CACHES`` from a URL.

    - ``redis://[:password@]host:port/db`` (or ``rediss://`` for TLS): Redis, shared by every
      process and server of the site, through :class:`example_site.cache.ForgivingRedisCache`
      (a Redis outage makes the site slower, never an error page);
    - ``locmem://`` (the default: one cache per process), ``dummy://`` (no cache);
    - ``file:///var/cache/site`` (a folder, shared by the processes of one server).

    Query parameters become options: ``?timeout=600`` (seconds), ``?key_prefix=site``.
    """
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    entry: dict[str, Any] = {}
    if parts.scheme in ("redis", "rediss"):
        entry["BACKEND"] = "example_site.cache.ForgivingRedisCache"
        entry["LOCATION"] = url.split("?", 1)[0]
        # Slow answers count as an outage: a page waits at most this long for the cache.
        entry["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    elif parts.scheme == "locmem":
        entry["BACKEND"] = "django.core.cache.backends.locmem.LocMemCache"
        entry["LOCATION"] = parts.netloc
    elif parts.scheme == "dummy":
        entry["BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
    elif parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: a file cache needs a folder.")
        entry["BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"
        entry["LOCATION"] = parts.path
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL={url!r}: unknown scheme; use redis://, rediss://, locmem://, dummy:// "
            "or file://."
        )
    if "timeout" in options:
        entry["TIMEOUT"] = int(options["timeout"])
    if "key_prefix" in options:
        entry["KEY_PREFIX"] = options["key_prefix"]
    return entry


def caches_from_environment() -> dict[str, dict[str, Any]]:
    """Django's ``CACHES``: ``CACHE_URL`` first, then ``REDIS_URL``, else local memory."""
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "locmem://"
    return {"default": cache_from_url(url)}
