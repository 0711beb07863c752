"""The example site's Redis cache: an outage makes the site slower, never an error page."""

import logging
import socket
import time

import pytest

from example_site import cache as forgiving
from example_site.cache import ForgivingRedisCache


def closed_port() -> int:
    with socket.socket() as sock:  # a port nothing listens on once this socket is closed
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_cache(location):
    return ForgivingRedisCache(
        location, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_redis_down_answers_as_an_empty_cache_and_logs_once(caplog, monkeypatch):
    monkeypatch.setattr(forgiving, "RETRY_AFTER", 0)  # try Redis on every call here
    cache = make_cache(f"redis://:hunter2@127.0.0.1:{closed_port()}/5")
    with caplog.at_level(logging.WARNING, logger="example_site.cache"):
        assert cache.get("viewer-html", "missing") == "missing"
        cache.set("viewer-html", "<div>")
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.add("a", 1) is False
        assert cache.get_or_set("k", "computed") == "computed"
        cache.delete("a")
        cache.delete_many(["a", "b"])
        with pytest.raises(ValueError):
            cache.incr("hits")
    warnings = [r for r in caplog.records if r.name == "example_site.cache"]
    assert len(warnings) == 1  # one line per outage, not one per call
    message = warnings[0].getMessage()
    assert "Cache unavailable" in message and "127.0.0.1" in message
    assert "hunter2" not in message  # the URL's password stays out of the log


def test_while_redis_is_down_pages_do_not_each_wait_for_it():
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/5")
    assert cache.get("a") is None  # the failure, which starts the pause
    started = time.monotonic()
    for _ in range(100):
        assert cache.get("a") is None
    assert time.monotonic() - started < 0.1


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_with_redis_up_it_is_an_ordinary_cache():
    cache = make_cache("redis://127.0.0.1:6379/5")
    cache.set("wagtail-umap-deployment-test", {"html": "<div>"}, 30)
    assert cache.get("wagtail-umap-deployment-test") == {"html": "<div>"}
    cache.set("wagtail-umap-deployment-test-n", 1, 30)
    assert cache.incr("wagtail-umap-deployment-test-n") == 2
    cache.delete_many(["wagtail-umap-deployment-test", "wagtail-umap-deployment-test-n"])
    assert cache.get("wagtail-umap-deployment-test") is None
