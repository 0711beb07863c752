"""Custom basemaps: tile layers an administrator adds in the Wagtail settings screen "Basemaps".

They come after the presets of ``WAGTAIL_UMAP["BASEMAPS"]`` in every basemap choice, with the
key ``custom-<id>`` (:func:`get_basemaps`). Their attribution is plain text,
escaped when shown: an administrator's input is never trusted HTML.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, connections, models, router
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from wagtail_umap.conf import CUSTOM_PREFIX, REFERRER_POLICY, get_preset_basemaps, get_setting
from wagtail_umap.csp import csp_blocked_urls

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
REQUIRED_PLACEHOLDERS = ("z", "x", "y")
# {s}: Leaflet's subdomains (a, b, c); {r}: "@2x" on high-density screens.
OPTIONAL_PLACEHOLDERS = ("s", "r")


def validate_tile_url(url: str) -> None:
    """A tile URL template: https only, with {z}, {x} and {y}, and no other placeholder."""
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError(
            gettext("Enter an https:// address (tiles from another scheme are refused)."),
            code="scheme",
        )
    if parts.username or parts.password:
        raise ValidationError(
            gettext("The address must not contain a user name or password."), code="credentials"
        )
    found = PLACEHOLDER.findall(url)
    missing = [name for name in REQUIRED_PLACEHOLDERS if name not in found]
    if missing:
        raise ValidationError(
            gettext("The address must contain {z}, {x} and {y}; missing: %(missing)s.")
            % {"missing": ", ".join(f"{{{name}}}" for name in missing)},
            code="placeholders",
        )
    unknown = sorted(set(found) - set(REQUIRED_PLACEHOLDERS) - set(OPTIONAL_PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            gettext("Unknown placeholder in the address: %(unknown)s.")
            % {"unknown": ", ".join(f"{{{name}}}" for name in unknown)},
            code="placeholders",
        )


@register_setting(icon="site")
class BasemapSettings(ClusterableModel, BaseGenericSetting):
    """The "Basemaps" settings screen: the site's custom basemaps, in order."""

    panels = [InlinePanel("custom_basemaps", label=_("Custom basemaps"))]

    class Meta:
        verbose_name = _("basemaps")
        verbose_name_plural = _("basemaps")


class CustomBasemap(Orderable):
    setting = ParentalKey(BasemapSettings, related_name="custom_basemaps", on_delete=models.CASCADE)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What editors see in the basemap choice.")
    )
    url = models.CharField(
        _("tile address"),
        max_length=500,
        validators=[validate_tile_url],
        help_text=_(
            "An https:// address with {z}, {x} and {y}, for example "
            "https://tiles.example.fr/{z}/{x}/{y}.png. The site's Content Security Policy must "
            "allow its host: ask the site's developers."
        ),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        help_text=_("Plain text shown on the map, e.g. “© Région Centre-Val de Loire”."),
    )
    max_zoom = models.PositiveSmallIntegerField(
        _("maximum zoom"),
        default=19,
        validators=[MinValueValidator(1), MaxValueValidator(22)],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("attribution"),
        FieldPanel("max_zoom"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("custom basemap")
        verbose_name_plural = _("custom basemaps")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.url and not self.url.startswith("https://"):
            return  # the field's validator already says why
        try:
            validate_tile_url(self.url)
        except ValidationError:
            return
        if csp_blocked_urls({"url": self.url}):
            host = urlsplit(self.url).hostname
            raise ValidationError(
                {
                    "url": gettext(
                        "The site's Content Security Policy does not allow images from "
                        "%(host)s: the map would stay blank. Ask the site's developers to add "
                        "this host to img-src."
                    )
                    % {"host": host}
                }
            )


# Set once the custom basemaps' table is known to exist (it does not during the first migrate).
_custom_table_ready = False


def get_custom_basemaps() -> dict[str, dict[str, Any]]:
    """The basemaps administrators added in the "Basemaps" settings screen, in their order.

    One query; none (and no basemap) while the table does not exist yet. Their attribution is
    plain text typed in the admin: it is escaped here, so the viewer can treat every basemap's
    attribution as HTML.
    """
    global _custom_table_ready
    connection = connections[router.db_for_read(CustomBasemap)]
    try:
        if not _custom_table_ready:
            if CustomBasemap._meta.db_table not in connection.introspection.table_names():
                return {}
            _custom_table_ready = True
        rows = list(
            CustomBasemap.objects.order_by("sort_order", "pk").values(
                "pk", "name", "url", "attribution", "max_zoom"
            )
        )
    except DatabaseError:
        return {}
    return {
        f"{CUSTOM_PREFIX}{row['pk']}": {
            "label": row["name"],
            "url": row["url"],
            "attribution": escape(row["attribution"]),
            "min_zoom": 0,
            "max_zoom": row["max_zoom"],
            "referrer_policy": REFERRER_POLICY,
            "subdomains": "",
            "custom": True,
        }
        for row in rows
    }


def get_basemaps() -> dict[str, dict[str, Any]]:
    """Every basemap the site offers: the presets, then the custom ones (keys ``custom-<id>``),
    each with the referrer policy its tiles are fetched with."""
    return {**get_preset_basemaps(), **get_custom_basemaps()}


def get_basemap(key: str | None) -> dict[str, Any]:
    """One basemap by key, falling back to the site's default when the key is unknown (a custom
    basemap an administrator removed, for example). A preset costs no query."""
    presets = get_preset_basemaps()
    default = get_setting("DEFAULT_BASEMAP")
    if key in presets:
        return {"id": key, **presets[key]}
    wanted = [k for k in (key, default) if k]
    if any(str(k).startswith(CUSTOM_PREFIX) for k in wanted):
        basemaps = {**presets, **get_custom_basemaps()}
    else:
        basemaps = presets
    for candidate in wanted:
        if candidate in basemaps:
            return {"id": candidate, **basemaps[candidate]}
    first = next(iter(presets))
    return {"id": first, **presets[first]}
