"""A page type that shows one Map full width, with an introduction and a body."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_umap.blocks import LocationBlock, MapBlock, map_on_page_context
from wagtail_umap.conf import get_setting
from wagtail_umap.models.page_panel import MapOnPagePanel


class MapPageMixin(models.Model):
    """Fields and behaviour of a map page, to combine with a site's own base page."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    map = models.ForeignKey(
        "wagtail_umap.Map",
        verbose_name=_("map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("map", MapBlock()),
            ("location", LocationBlock()),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    # The map's chooser, then its state, "Edit the map" and the offer to publish it with the
    # page (page_panel.py).
    map_page_panels = [FieldPanel("intro"), MapOnPagePanel("map"), FieldPanel("body")]
    map_page_search_fields = [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = get_setting("BASE_TEMPLATE")
        context.update(
            map_on_page_context(
                self.map,
                request=request,
                page=self,
                dom_id=f"umap-page-{self.pk}",
                # Below the page's <h1>, a map of the same name is not titled twice on screen.
                title_hidden=self.map is not None and same_title(self.map.title, self.title),
            )
        )
        return context


def same_title(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


class MapPage(MapPageMixin, Page):
    content_panels = Page.content_panels + MapPageMixin.map_page_panels
    search_fields = Page.search_fields + MapPageMixin.map_page_search_fields
    template = "wagtail_umap/pages/map_page.html"

    class Meta:
        verbose_name = _("map page")
        verbose_name_plural = _("map pages")
