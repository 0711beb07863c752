from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_umap.blocks import LocationBlock, MapBlock


class HomePage(Page):
    """The site's home page. The example site is a French commune's: its labels are French."""

    body = StreamField(
        [("paragraph", blocks.RichTextBlock(label="Paragraphe")), ("map", MapBlock())],
        blank=True,
        verbose_name="corps de page",
    )
    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = "page d’accueil"


class StandardPage(Page):
    """An ordinary page of the site, where editors drop maps and places among the text."""

    body = StreamField(
        [
            ("heading", blocks.CharBlock(label="Intertitre", form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label="Paragraphe")),
            ("map", MapBlock()),
            ("location", LocationBlock()),
        ],
        blank=True,
        verbose_name="corps de page",
    )
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = "page standard"
