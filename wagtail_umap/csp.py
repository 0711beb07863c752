"""The site's Content Security Policy, read from its settings: which tile hosts it lets images
come from. The system checks (``checks.py``) and the custom basemap form both ask it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def csp_img_sources() -> list[list[str]] | None:
    """The ``img-src`` sources (``default-src`` when it has none) of each Content Security
    Policy the site sends, or None when it restricts no image. An image must be allowed by
    every policy."""
    return csp_sources("img-src")


def csp_sources(directive: str) -> list[list[str]] | None:
    """The sources of ``directive`` (``default-src`` when it has none) of each Content Security
    Policy the site sends, or None when none restricts it. A request must be allowed by every
    policy."""
    policies = []
    secure_csp = getattr(settings, "SECURE_CSP", None)  # Django 6
    if secure_csp:
        policies.append(dict(secure_csp))
    django_csp = getattr(settings, "CONTENT_SECURITY_POLICY", None)  # django-csp 4
    if django_csp and django_csp.get("DIRECTIVES"):
        policies.append(dict(django_csp["DIRECTIVES"]))
    restrictions = []
    for directives in policies:
        found = directives.get(directive, directives.get("default-src"))
        if found is not None:
            restrictions.append(
                [str(source) for source in ([found] if isinstance(found, str) else found)]
            )
    return restrictions or None


def _host_matches(pattern: str, host: str) -> bool:
    if pattern == "*":
        return True
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def source_allows(source: str, url: str) -> bool:
    """Whether one CSP source expression allows an image at ``url`` (an absolute https URL).

    Covers what sites write for tile hosts: ``*``, scheme sources (``https:``), host sources
    with or without scheme, port and path, and ``*.`` wildcards. ``'self'`` and keywords never
    allow another site's tiles.
    """
    source = source.strip()
    parts = urlsplit(url)
    scheme, host = parts.scheme, (parts.hostname or "")
    if source == "*":
        return scheme in ("http", "https")
    if source.startswith("'"):
        return False
    if source.endswith(":") and "/" not in source:  # a scheme source: https:
        return scheme == source[:-1] or (source == "http:" and scheme == "https")
    source_scheme = ""
    rest = source
    if "://" in source:
        source_scheme, rest = source.split("://", 1)
        if source_scheme != scheme and not (source_scheme == "http" and scheme == "https"):
            return False
    host_port, _slash, path = rest.partition("/")
    source_host, _colon, port = host_port.partition(":")
    if not _host_matches(source_host.lower(), host.lower()):
        return False
    if port and port != "*" and port != str(parts.port or (443 if scheme == "https" else 80)):
        return False
    if path:
        path = "/" + path
        if path.endswith("/"):
            return parts.path.startswith(path)
        return parts.path == path
    return True


def tile_urls(basemap: dict) -> list[str]:
    """The concrete URLs of a basemap's tiles ({s} expanded over its subdomains)."""
    url = basemap.get("url", "")
    if "{s}" not in url:
        return [url]
    subdomains = basemap.get("subdomains") or "abc"
    return [url.replace("{s}", subdomain) for subdomain in subdomains]


def csp_blocked_urls(basemap: dict, policies: list[list[str]] | None = None) -> list[str]:
    """The tile URLs of ``basemap`` the site's CSP would block (none when it sets no CSP)."""
    policies = csp_img_sources() if policies is None else policies
    if not policies:
        return []
    return [
        url
        for url in tile_urls(basemap)
        if url.startswith(("http://", "https://"))
        and not all(any(source_allows(source, url) for source in sources) for sources in policies)
    ]


def csp_blocks(url: str, policies: list[list[str]] | None) -> bool:
    """Whether one of ``policies`` (``csp_sources``'s) blocks a request to ``url``."""
    return bool(policies) and not all(
        any(source_allows(source, url) for source in sources) for sources in policies
    )
