"""Django's cache as an optimisation, never a dependency.

Every read or write of the viewer's cache (the rendered HTML of a map, the computed classes of
a representation) goes through here: a cache error (the Redis server down or unreachable, a
full memcached, a value that cannot be pickled) is logged, and the caller goes on as after a
miss. Logged at most once a minute a process, with the number of errors since, so an outage
does not write a line per request.

Wagtail itself uses the cache too (the site root paths of every page URL): for pages to keep
rendering while Redis is down, configure the cache backend to ignore its errors as well
(django-redis's ``IGNORE_EXCEPTIONS``, see docs/large-data.md, "Production").
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import cache

logger = logging.getLogger("wagtail_umap.cache")

LOG_INTERVAL = 60.0  # seconds between two log lines of the same outage


class _ErrorLog:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = -LOG_INTERVAL
        self.suppressed = 0

    def error(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            if now - self.last < LOG_INTERVAL:
                self.suppressed += 1
                return
            suppressed, self.suppressed, self.last = self.suppressed, 0, now
        logger.warning(
            "Cache %s failed (%s: %s); going on without the cache (%d more errors since the "
            "last report).",
            operation,
            type(error).__name__,
            error,
            suppressed,
            exc_info=error,
        )


errors = _ErrorLog()


def get(key: str) -> Any:
    """The cached value, or None on a miss or a cache error."""
    try:
        return cache.get(key)
    except Exception as error:  # any backend, any failure: the cache is optional
        errors.error("get", error)
        return None


def set(key: str, value: Any, timeout: int | None) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        errors.error("set", error)


def get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values found, {} on a cache error."""
    try:
        return cache.get_many(keys)
    except Exception as error:
        errors.error("get_many", error)
        return {}


def set_many(values: dict[str, Any], timeout: int | None) -> None:
    try:
        cache.set_many(values, timeout=timeout)
    except Exception as error:
        errors.error("set_many", error)
