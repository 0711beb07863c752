"""Fetching a live layer's remote file on the server, safely (docs/live-data.md).

A layer's URL is typed by an editor, so the server must not become a way into the site's own
network (SSRF). A URL is fetched only when:

- its host is in ``WAGTAIL_UMAP["REMOTE_DATA_HOSTS"]`` (empty by default: nothing is fetched);
- it is ``https`` on the default port (``http`` and other ports only for the hosts of
  ``REMOTE_DATA_HTTP_HOSTS``, for tests and a local demo);
- every address its name resolves to is a public one (no private, loopback, link-local,
  multicast, reserved or unspecified address, IPv4-mapped ones included; only the hosts of
  ``REMOTE_DATA_PRIVATE_HOSTS`` may resolve to those), and the connection is made to the
  address that was checked, with the host name kept for the ``Host`` header, TLS's SNI and the
  certificate check: a name that resolves to another address the second time (DNS rebinding)
  changes nothing;
- its redirects (at most ``REMOTE_DATA_MAX_REDIRECTS``) stay on the same host, each checked
  again like the first address;
- its answer is at most ``REMOTE_DATA_MAX_BYTES`` (counted while it is read, whatever
  ``Content-Length`` says; no compression is accepted) and arrives within
  ``REMOTE_DATA_CONNECT_TIMEOUT`` and ``REMOTE_DATA_TIMEOUT`` seconds.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext_noop

from wagtail_umap.conf import get_setting

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024

NOT_ALLOWED_HOST = gettext_noop(
    "%(host)s is not among the hosts this site fetches data from (ask the site's administrators "
    'to add it to WAGTAIL_UMAP["REMOTE_DATA_HOSTS"])'
)
NOT_HTTPS = gettext_noop("only https addresses on their default port are fetched: %(url)s")
BAD_URL = gettext_noop("this is not a web address: %(url)s")
PRIVATE_ADDRESS = gettext_noop(
    "%(host)s leads to a private, loopback or reserved address (%(address)s): refused"
)
NO_ADDRESS = gettext_noop("%(host)s could not be found (DNS)")
OTHER_HOST = gettext_noop("the server redirected to another host (%(host)s): refused")
TOO_MANY_REDIRECTS = gettext_noop("more than %(limit)s redirects: refused")
TOO_LARGE = gettext_noop("the answer is larger than %(limit)s bytes: refused")
TIMED_OUT = gettext_noop("no complete answer within %(seconds)s seconds")
BAD_STATUS = gettext_noop("the server answered with the error %(status)s")
UNREACHABLE = gettext_noop("the server could not be reached (%(reason)s)")
ENCODED = gettext_noop("the server sent a compressed answer (%(encoding)s) it was not asked for")


@dataclass
class FetchError(Exception):
    """A refused or failed fetch: an English template (translated where it is shown) and its
    values."""

    template: str
    params: dict = field(default_factory=dict)

    def render(self, gettext) -> str:
        return gettext(self.template) % self.params

    def __str__(self) -> str:
        return self.render(lambda text: text)


def _host_listed(host: str, names: list[str]) -> bool:
    host = host.lower().rstrip(".")
    for name in names:
        name = name.lower()
        if name.startswith("."):
            if host == name[1:] or host.endswith(name):
                return True
        elif host == name:
            return True
    return False


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo:
            ip = ip.teredo[1]
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a module function: tests replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address the connection goes to


def check_url(url: str) -> Target:
    """The checked target of ``url``, or a ``FetchError`` saying why it is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(BAD_URL, {"url": url}) from error
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(BAD_URL, {"url": url})
    if not _host_listed(host, get_setting("REMOTE_DATA_HOSTS")):
        raise FetchError(NOT_ALLOWED_HOST, {"host": host})
    loosened = _host_listed(host, get_setting("REMOTE_DATA_HTTP_HOSTS"))
    default_port = 443 if parts.scheme == "https" else 80
    if not loosened and (parts.scheme != "https" or port not in (None, 443)):
        raise FetchError(NOT_HTTPS, {"url": url})
    port = port or default_port
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise FetchError(NO_ADDRESS, {"host": host}) from error
    if not addresses:
        raise FetchError(NO_ADDRESS, {"host": host})
    if not _host_listed(host, get_setting("REMOTE_DATA_PRIVATE_HOSTS")):
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(PRIVATE_ADDRESS, {"host": host, "address": address})
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the name resolves to now."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # SNI and the certificate's name are the host's, not the address's.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str) -> bytes:
    """The body of ``url``, fetched under the rules above, or a ``FetchError``."""
    limit = get_setting("REMOTE_DATA_MAX_BYTES")
    total = float(get_setting("REMOTE_DATA_TIMEOUT"))
    connect_timeout = float(get_setting("REMOTE_DATA_CONNECT_TIMEOUT"))
    deadline = time.monotonic() + total
    first = check_url(url)
    target = first
    for _redirect in range(get_setting("REMOTE_DATA_MAX_REDIRECTS") + 1):
        status, location, body = _request(target, connect_timeout, deadline, total, limit)
        if status not in REDIRECTS:
            if status != 200:
                raise FetchError(BAD_STATUS, {"status": status})
            return body
        if not location:
            raise FetchError(BAD_STATUS, {"status": status})
        url = urljoin(url, location)
        next_host = (urlsplit(url).hostname or "").lower()
        if next_host != first.host:
            raise FetchError(OTHER_HOST, {"host": next_host or url})
        target = check_url(url)
        if first.scheme == "https" and target.scheme != "https":
            raise FetchError(NOT_HTTPS, {"url": url})
    raise FetchError(TOO_MANY_REDIRECTS, {"limit": get_setting("REMOTE_DATA_MAX_REDIRECTS")})


def _request(
    target: Target, connect_timeout: float, deadline: float, total: float, limit: int
) -> tuple[int, str | None, bytes]:
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout=max(0.01, min(connect_timeout, deadline - time.monotonic())))
    try:
        connection.request(
            "GET",
            target.path,
            headers={
                "Accept-Encoding": "identity",
                "User-Agent": "wagtail-umap live data",
                "Connection": "close",
            },
        )
        _set_timeout(connection, deadline, total)
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return response.status, response.getheader("Location"), b""
        if response.status != 200:
            return response.status, None, b""
        encoding = (response.getheader("Content-Encoding") or "identity").lower()
        if encoding != "identity":
            raise FetchError(ENCODED, {"encoding": encoding})
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(TOO_LARGE, {"limit": limit})
        chunks, size = [], 0
        while True:
            _set_timeout(connection, deadline, total)
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FetchError(TOO_LARGE, {"limit": limit})
            chunks.append(chunk)
        return response.status, None, b"".join(chunks)
    except FetchError:
        raise
    except TimeoutError as error:
        raise FetchError(TIMED_OUT, {"seconds": _seconds(total)}) from error
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        reason = type(error).__name__
        raise FetchError(UNREACHABLE, {"reason": reason}) from error
    finally:
        connection.close()


def _set_timeout(connection, deadline: float, total: float) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(TIMED_OUT, {"seconds": _seconds(total)})
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _seconds(total: float) -> str:
    return f"{total:g}"
