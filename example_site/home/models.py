from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_umap.blocks import LocationBlock, MapBlock


class HomePage(Page):
    body = StreamField(
        [("paragraph", blocks.RichTextBlock(label=_("Paragraph"))), ("map", MapBlock())],
        blank=True,
    )
    content_panels = Page.content_panels + [FieldPanel("body")]


class StandardPage(Page):
    """An ordinary page of the site, where editors drop maps and places among the text."""

    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Heading"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("map", MapBlock()),
            ("location", LocationBlock()),
        ],
        blank=True,
    )
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
