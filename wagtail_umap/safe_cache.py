"""Django's cache as an optimisation, never a dependency.

Every read or write of the viewer's cache (the rendered HTML of a map, the computed classes of
a representation) goes through here: a cache error (the Redis server down or unreachable, a
full memcached, a value that cannot be pickled) is logged, and the caller goes on as after a
miss. Logged at most once a minute a process, with the number of errors since, so an outage
does not write a line per request.

What is kept under a generation's token (below) is also copied into each process's memory when
the cache is shared, so that a warm page makes one round trip to it.

Wagtail itself uses the cache too (the site root paths of every page URL): for pages to keep
rendering while Redis is down, configure the cache backend to ignore its errors as well
(django-redis's ``IGNORE_EXCEPTIONS``, see docs/large-data.md, "Production").
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
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


# The tokens a request has read, in one round trip for both kinds: a page reads them for its
# maps' rows, its facts and each map's HTML. Kept from Django's request_started to its
# request_finished (per thread, or per task under ASGI); outside a request, read each time.
_request_tokens = Local()


def _start_request(**kwargs: Any) -> None:
    _request_tokens.tokens = {}


def _end_request(**kwargs: Any) -> None:
    _request_tokens.tokens = None


request_started.connect(_start_request, dispatch_uid="wagtail_umap.safe_cache.start")
request_finished.connect(_end_request, dispatch_uid="wagtail_umap.safe_cache.end")


def generation(kind: str = PAGES) -> str:
    """The current token of ``kind``, read once per request."""
    tokens = getattr(_request_tokens, "tokens", None)
    if tokens is not None and kind in tokens:
        return tokens[kind]
    stored = get_many([GENERATION_KEY + each for each in (PAGES, VIEWER)])
    found = {each: stored.get(GENERATION_KEY + each) for each in (PAGES, VIEWER)}
    found = {each: token for each, token in found.items() if isinstance(token, str)}
    if tokens is not None:
        tokens.update(found)
    return found.get(kind) or _new_generation(kind)  # which keeps the new one in ``tokens``


def _new_generation(kind: str) -> str:
    token = uuid.uuid4().hex
    set(GENERATION_KEY + kind, token, None)
    tokens = getattr(_request_tokens, "tokens", None)
    if tokens is not None:  # what this request builds next is under the new token
        tokens[kind] = token
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
    timeout = timeout or 0
    return min(timeout, PROCESS_LOCAL_TIMEOUT) if _process_local() else timeout


def _process_local() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return isinstance(caches["default"], LocMemCache)


# What is kept under a generation's token never changes under that key (anything that would
# change it draws a new token), so a process may keep its own copy: a warm page then reads only
# the tokens from a shared cache (Redis), not its maps' rows, facts and HTML, at a round trip
# each. Kept pickled, so that each reader gets its own copy (model rows are mutable), within
# GENERATIONAL_MEMORY_BYTES a process, oldest read first out, and within the value's timeout.
GENERATIONAL_MEMORY_BYTES = 8 * 2**20


class _ProcessCopies:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self.size = 0

    def get(self, key: str) -> Any:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[1] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
        return pickle.loads(entry[0])

    def put(self, key: str, value: Any, timeout: int | None) -> None:
        if timeout == 0:  # kept nowhere, as in Django's caches
            return
        try:
            pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        except Exception:  # what the shared cache could not keep either
            return
        if len(pickled) > self.limit // 4:
            return
        expires = float("inf") if timeout is None else time.monotonic() + timeout
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (pickled, expires)
            self.size += len(pickled)
            while self.size > self.limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        pickled, _expires = self.entries.pop(key)
        self.size -= len(pickled)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


process_copies = _ProcessCopies(GENERATIONAL_MEMORY_BYTES)


def get_generational(key: str, timeout: int | None) -> Any:
    """As :func:`get`, for a key that holds a generation's token: this process's copy first,
    kept ``timeout`` seconds (the value's own in the shared cache). The per-process cache
    (LocMemCache) is its own copy already."""
    if _process_local():
        return get(key)
    value = process_copies.get(key)
    if value is None:
        value = get(key)
        if value is not None:
            process_copies.put(key, value, timeout)
    return value


def set_generational(key: str, value: Any, timeout: int | None) -> None:
    """As :func:`set`, for a key that holds a generation's token."""
    set(key, value, timeout)
    if not _process_local():
        process_copies.put(key, value, timeout)
