"""Validation of a live layer's ``remote_data`` (pure Python, no Django).

``{"url": "https://…", "format": "geojson", "refresh": 3600}``: the address the server fetches
the layer's features from, the format of the file there, and how often (seconds, one of the
schema's choices; 0: only when the map is saved or an editor asks). Whether the site allows the
address's host is not checked here: the fetch says so (docs/live-data.md), so a document moved
to another site keeps its live layers.
"""

from __future__ import annotations

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import IssueCollector, Location, shown
from wagtail_umap.core.schema.options import (
    REFRESH_CHOICES,
    REFRESH_DEFAULT,
    REMOTE_FORMATS,
    URL_MAX,
)

KEYS = ("url", "format", "refresh")
BAD_REMOTE_URL = m.gettext_noop(
    '"remote_data.url" must be an https:// (or http://) address of at most %(limit)s '
    "characters, not %(value)s"
)


def remote_data(item, layer: dict, where: Location, issues: IssueCollector) -> dict | None:
    value = layer.get(item.key)
    if value is None:
        return None
    if not isinstance(value, dict):
        issues.add(m.NOT_OBJECT, where, field="remote_data", value=shown(value))
        return None
    for key in value:
        if key not in KEYS:
            issues.add(m.UNKNOWN_KEY, where, key=key, field="remote_data")
    url = value.get("url")
    if not (
        isinstance(url, str)
        and len(url) <= URL_MAX
        and url.lower().startswith(("https://", "http://"))
        and not any(character.isspace() for character in url)
    ):
        issues.add(BAD_REMOTE_URL, where, limit=URL_MAX, value=shown(url))
        return None
    fmt = value.get("format", "geojson")
    if fmt not in REMOTE_FORMATS:
        issues.add(
            m.BAD_CHOICE,
            where,
            field="remote_data.format",
            choices=", ".join(REMOTE_FORMATS),
            value=shown(fmt),
        )
        return None
    refresh = value.get("refresh", REFRESH_DEFAULT)
    if isinstance(refresh, bool) or refresh not in REFRESH_CHOICES:
        issues.add(
            m.BAD_CHOICE,
            where,
            field="remote_data.refresh",
            choices=", ".join(str(choice) for choice in REFRESH_CHOICES),
            value=shown(refresh),
        )
        return None
    return {"url": url, "format": fmt, "refresh": int(refresh)}
