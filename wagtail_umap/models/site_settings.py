"""The "New maps" settings screen of each site: where a new map opens (the commune), and under
which page "Put this map on a page" creates its map page.

A newcomer's first map should start on their town, not on all of France, and should reach the
site without a tour of the page tree: the webmaster sets both once, here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site

from wagtail_umap.core.schema.options import ZOOM_MAX, ZOOM_MIN


@register_setting(icon="site")
class MapSiteSettings(BaseSiteSetting):
    map_page_parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("parent of new map pages"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "“Put this map on a page” creates its page under this one. Empty: under the "
            "site's home page."
        ),
    )
    default_latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    default_longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    default_zoom = models.PositiveSmallIntegerField(
        _("zoom"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZOOM_MIN), MaxValueValidator(ZOOM_MAX)],
        help_text=_("13 shows a town, 16 a district, 18 a street."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("default_latitude"),
                        FieldPanel("default_longitude"),
                        FieldPanel("default_zoom"),
                    ]
                )
            ],
            heading=_("Where new maps open"),
            help_text=_(
                "The centre and zoom a new map starts on, for example your commune. Empty: "
                "the whole of France."
            ),
        ),
        FieldPanel("map_page_parent"),
    ]

    class Meta:
        verbose_name = _("new maps")
        verbose_name_plural = _("new maps")

    def clean(self) -> None:
        super().clean()
        given = [self.default_latitude, self.default_longitude, self.default_zoom]
        if any(value is not None for value in given) and None in given:
            raise ValidationError(
                gettext("Give the latitude, the longitude and the zoom, or none of them.")
            )

    def default_view(self) -> dict | None:
        """``{"center": {"lat", "lng"}, "zoom": z}`` for a new map's options, or None."""
        if None in (self.default_latitude, self.default_longitude, self.default_zoom):
            return None
        return {
            "center": {
                "lat": round(self.default_latitude, 6),
                "lng": round(self.default_longitude, 6),
            },
            "zoom": self.default_zoom,
        }

    def parent_page(self) -> Page | None:
        """The page new map pages go under: the one set here, else the site's home page."""
        parent = self.map_page_parent
        return parent.specific if parent else self.site.root_page.specific


def settings_for_request(request) -> MapSiteSettings | None:
    """The settings of the request's site (None when no site answers its host)."""
    site = Site.find_for_request(request)
    return MapSiteSettings.for_site(site) if site else None
