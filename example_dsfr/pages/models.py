"""The site's content page with maps: Sites Conformes' content page, its body offering
wagtail-umap's MapBlock (and LocationBlock) beside Sites Conformes' own blocks.

Why a page type of the site's and not Sites Conformes' ``ContentPage``: in sites-conformes 3.1
the body of ``ContentPage`` is a plain ``StreamField`` of the module-level list
``STREAMFIELD_COMMON_BLOCKS``. Its block registry (``sites_conformes.core.registry``,
``register_common_block``) is not wired to that field yet, and appending to the list would change
Sites Conformes' own models behind their migrations (``makemigrations`` would want to write into
the installed package). A page type of the site's own, with its own migration, is the clean
recipe (docs/themes.md). It uses Sites Conformes' base page and its content page's template, so
it looks and behaves like a content page, with Sites Conformes' hero, header and SEO fields.
"""

from django.utils.translation import gettext_lazy as _
from sites_conformes.content_manager.abstract import SitesFacilesBasePage
from sites_conformes.content_manager.blocks.core import STREAMFIELD_COMMON_BLOCKS
from wagtail.fields import StreamField

from wagtail_umap.blocks import LocationBlock, MapBlock

MAP_GROUP = _("Maps")

BODY_BLOCKS = [
    *STREAMFIELD_COMMON_BLOCKS,
    ("map", MapBlock(group=MAP_GROUP)),
    ("location", LocationBlock(group=MAP_GROUP)),
]


class MapContentPage(SitesFacilesBasePage):
    body = StreamField(BODY_BLOCKS, blank=True, use_json_field=True, collapsed=True)

    template = "sites_conformes_content_manager/content_page.html"

    class Meta:
        verbose_name = "page de contenu avec cartes"
        verbose_name_plural = "pages de contenu avec cartes"
