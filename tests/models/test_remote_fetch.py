"""The server fetches a live layer's URL only under the allowlist, https, public-address, redirect,
size and time rules (wagtail_umap/models/remote_fetch.py), against a real local server."""

from __future__ import annotations

import time

import pytest

from tests.remote_server import HOST, serve
from wagtail_umap.models import remote_fetch
from wagtail_umap.models.remote_fetch import FetchError, fetch, is_public_address


@pytest.fixture
def remote_server(settings, monkeypatch):
    yield from serve(settings, monkeypatch)


def refused(url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url)
    return caught.value


def test_a_good_file_is_fetched_from_the_checked_address_with_its_host_name(remote_server):
    body = fetch(remote_server.url("/good.geojson"))
    assert b"Borne A" in body
    # live.test is known to no DNS: the connection went to the address checked, named.
    assert remote_server.hosts_seen == [f"{HOST}:{remote_server.port}"]


def test_a_redirect_on_the_same_host_is_followed(remote_server):
    assert b"Borne B" in fetch(remote_server.url("/redirect-same"))


def test_a_redirect_to_127_0_0_1_is_refused(remote_server, settings):
    # Even with 127.0.0.1 allowed as a host (but not its loopback address), the redirect
    # leaves the host the editor gave: refused, and never requested.
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "REMOTE_DATA_HOSTS": [HOST, "127.0.0.1"],
    }
    error = refused(remote_server.url("/redirect-loopback"))
    assert error.template == remote_fetch.OTHER_HOST
    assert "127.0.0.1" in str(error)
    assert remote_server.hosts_seen == [f"{HOST}:{remote_server.port}"]


def test_a_redirect_to_another_host_is_refused(remote_server):
    error = refused(remote_server.url("/redirect-other"))
    assert error.template == remote_fetch.OTHER_HOST
    assert "elsewhere.test" in str(error)
    assert len(remote_server.hosts_seen) == 1


def test_endless_redirects_stop(remote_server):
    assert refused(remote_server.url("/redirect-loop")).template == remote_fetch.TOO_MANY_REDIRECTS
    assert len(remote_server.hosts_seen) == 4  # the first request and three redirects


def test_an_oversized_answer_is_cut_and_refused(remote_server, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "REMOTE_DATA_MAX_BYTES": 100_000}
    error = refused(remote_server.url("/big"))
    assert error.template == remote_fetch.TOO_LARGE
    assert "100000" in str(error)
    error = refused(remote_server.url("/big-declared"))
    assert error.template == remote_fetch.TOO_LARGE


def test_a_slow_answer_times_out(remote_server, settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "REMOTE_DATA_TIMEOUT": 0.5}
    started = time.monotonic()
    error = refused(remote_server.url("/slow"))
    assert error.template == remote_fetch.TIMED_OUT
    assert time.monotonic() - started < 2


def test_a_host_not_allowlisted_is_refused(remote_server):
    error = refused(remote_server.url("/good.geojson", host="elsewhere.test"))
    assert error.template == remote_fetch.NOT_ALLOWED_HOST
    assert remote_server.hosts_seen == []


def test_nothing_is_fetched_with_the_default_settings(settings):
    settings.WAGTAIL_UMAP = {}
    error = refused("https://www.data.gouv.fr/fr/datasets/r/abc")
    assert error.template == remote_fetch.NOT_ALLOWED_HOST


def test_loopback_is_refused_by_default_after_real_dns_resolution(remote_server, settings):
    # "localhost" allowed, over http, but not at a private address: the real resolver says
    # 127.0.0.1 (or ::1), refused before any connection.
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "REMOTE_DATA_HOSTS": ["localhost"],
        "REMOTE_DATA_HTTP_HOSTS": ["localhost"],
    }
    error = refused(remote_server.url("/good.geojson", host="localhost"))
    assert error.template == remote_fetch.PRIVATE_ADDRESS
    assert remote_server.hosts_seen == []


def test_a_public_name_resolving_to_a_private_address_is_refused(settings, monkeypatch):
    """DNS pointing an allowed host at the metadata service or the LAN: refused."""
    settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": ["data.example.fr"]}
    for address in ("169.254.169.254", "10.0.0.5", "::ffff:127.0.0.1", "fd00::1"):
        monkeypatch.setattr(remote_fetch, "resolve", lambda host, port, a=address: [a])
        error = refused("https://data.example.fr/data.geojson")
        assert error.template == remote_fetch.PRIVATE_ADDRESS
    # One bad address among good ones is enough to refuse.
    monkeypatch.setattr(remote_fetch, "resolve", lambda host, port: ["8.8.8.8", "127.0.0.1"])
    assert refused("https://data.example.fr/x").template == remote_fetch.PRIVATE_ADDRESS


def test_http_and_other_ports_only_for_the_hosts_marked(settings, monkeypatch):
    settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": ["data.example.fr"]}
    monkeypatch.setattr(remote_fetch, "resolve", lambda host, port: ["8.8.8.8"])
    assert refused("http://data.example.fr/a.csv").template == remote_fetch.NOT_HTTPS
    assert refused("https://data.example.fr:8443/a.csv").template == remote_fetch.NOT_HTTPS
    assert refused("ftp://data.example.fr/a.csv").template == remote_fetch.BAD_URL


def test_subdomains_only_with_a_leading_dot(settings, monkeypatch):
    monkeypatch.setattr(remote_fetch, "resolve", lambda host, port: ["8.8.8.8"])
    settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": ["example.fr"]}
    assert remote_fetch.check_url("https://example.fr/a").address == "8.8.8.8"
    assert refused("https://evil.example.fr/a").template == remote_fetch.NOT_ALLOWED_HOST
    assert refused("https://example.fr.evil.com/a").template == remote_fetch.NOT_ALLOWED_HOST
    settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": [".example.fr"]}
    assert remote_fetch.check_url("https://opendata.example.fr/a").host == "opendata.example.fr"
    assert refused("https://badexample.fr/a").template == remote_fetch.NOT_ALLOWED_HOST


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),  # shared address space (CGNAT)
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public
