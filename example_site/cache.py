"""A Redis cache that never turns an outage into an error page.

Django's own ``RedisCache`` raises when Redis does not answer, and every page that reads the cache
would then answer 500. For wagtail-umap the cache is an optimisation: this backend logs the
outage (once a minute at most), answers as an empty cache would (a miss on reads, nothing
stored on writes), and leaves Redis alone for ``RETRY_AFTER`` seconds so that pages do not each
wait for a connection timeout while it is down.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 10  # seconds without trying Redis after a failure
WARN_EVERY = 60  # seconds between two log lines about the same outage
_UNAVAILABLE = object()


def _outage_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


def _where(servers: list[str]) -> str:
    """The first server's host and port, without the password a Redis URL may carry."""
    parts = urlsplit(servers[0]) if servers else None
    return f"{parts.hostname}:{parts.port or 6379}" if parts and parts.hostname else "?"


class ForgivingRedisCache(RedisCache):
    _down_until = 0.0
    _warned_at = 0.0

    def _call(self, method: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except _outage_errors() as error:
            now = time.monotonic()
            self._down_until = now + RETRY_AFTER
            if now - self._warned_at > WARN_EVERY:
                self._warned_at = now
                logger.warning(
                    "Cache unavailable (%s at %s): serving without it for now.",
                    error.__class__.__name__,
                    _where(self._servers),
                )
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        value = self._call("incr", _UNAVAILABLE, key, delta, version=version)
        if value is _UNAVAILABLE:
            # A counter that cannot be read is not there: Django's answer for that is ValueError.
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
