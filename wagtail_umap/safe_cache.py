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
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

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


# The generation of everything a page's maps are built from besides their own content.
#
# A map's HTML and the facts a page reads about its maps (their live versions, who may see
# them, whether the page is restricted) are kept across requests under a key that holds this
# token. Whatever can change them without a new version of the map (a page published, moved
# or restricted, the reference index, a basemap, the site's settings, a tile archive ready, a
# translation published) draws a new token: every key before it is never read again. A token
# the cache lost is a new token too, so a lost or failing cache can only cost renders, never
# serve a stale answer.

#
# Two generations: "pages" (which version of a map is live, which pages show it, their
# restrictions, the maps' rows) and "viewer" (what a map's HTML is built from besides its own
# row and the block's options: custom basemaps, the settings rows, tile archives). A page edited
# anywhere renews the first only, so the maps' HTML outlives it.
PAGES, VIEWER = "pages", "viewer"
GENERATION_KEY = "wagtail_umap:generation:"
GENERATION_ATTRIBUTE = "_wagtail_umap_generation_"


def generation(request: Any = None, kind: str = PAGES) -> str:
    """The current token of ``kind``, read once per request."""
    attribute = GENERATION_ATTRIBUTE + kind
    if request is not None and attribute in request.__dict__:
        return request.__dict__[attribute]
    token = get(GENERATION_KEY + kind)
    if not isinstance(token, str):
        token = _new_generation(kind)
    if request is not None:
        request.__dict__[attribute] = token
    return token


def _new_generation(kind: str) -> str:
    token = uuid.uuid4().hex
    set(GENERATION_KEY + kind, token, None)
    return token


def bump_generation(kind: str = PAGES) -> None:
    """A new token now, and again once the transaction commits (what a request reads between
    the two is built from uncommitted rows no other connection sees, and is never read again)."""
    _new_generation(kind)
    transaction.on_commit(lambda: _new_generation(kind))


# A cache in each process's memory (LocMemCache) does not see another process renew the
# generation: what is kept under it there is kept a few seconds only, so that a publish or a
# restriction made through another process shows within that time (docs/large-data.md).
PROCESS_LOCAL_TIMEOUT = 5


def generation_timeout(timeout: int | None) -> int:
    """How long to keep a value keyed by the generation: ``timeout``, bounded for a cache that
    other processes do not share."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    timeout = timeout or 0
    if isinstance(caches["default"], LocMemCache):
        return min(timeout, PROCESS_LOCAL_TIMEOUT)
    return timeout
