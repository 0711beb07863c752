"""Template tags of the public viewer (their Python side is ``wagtail_umap.viewer``).

- ``{% umap_map map options %}`` draws a Map (a page's, a block's, a preview's) with the
  viewer's options (``dom_id``, ``height``, ``caption``, ``inline_data``, ``notice``…);
- ``{% umap_location place dom_id %}`` draws one place of a LocationBlock;
- ``{% umap_viewer viewer_map %}`` draws a ViewerMap built in a view (the embed page);
- ``{% umap_viewer_assets %}`` outputs the stylesheets and scripts early (in ``<head>``, say):
  they come with the first map of a request only;
- ``{% umap_feature_items items %}`` and ``{% umap_feature_item item %}`` write the feature list.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from wagtail_umap.viewer.map import FeatureItem, ViewerMap
from wagtail_umap.viewer.render import (
    feature_item_html,
    render_location,
    render_map,
    render_viewer,
    viewer_assets,
)
from wagtail_umap.viewer.theme import current_theme

register = template.Library()


@register.simple_tag(takes_context=True)
def umap_viewer_assets(context: template.Context) -> str:
    return viewer_assets(context)


@register.simple_tag(takes_context=True)
def umap_viewer(context: template.Context, viewer_map: ViewerMap) -> str:
    return render_viewer(context, viewer_map)


@register.simple_tag(takes_context=True)
def umap_map(context: template.Context, map_, options: dict | None = None) -> str:
    return render_map(context, map_, options or {})


@register.simple_tag(takes_context=True)
def umap_location(context: template.Context, place: dict, dom_id: str) -> str:
    return render_location(context, place, dom_id)


@register.simple_tag
def umap_feature_items(items: Iterable[FeatureItem]) -> SafeString:
    """The <li> of every feature, in one pass (no template per item)."""
    show_on_map = conditional_escape(gettext("Show on the map"))
    theme = current_theme()
    return mark_safe("\n".join(feature_item_html(item, show_on_map, theme) for item in items))


@register.simple_tag
def umap_feature_item(item: FeatureItem) -> SafeString:
    """One feature's <li> (feature_list_item.html: the pages of a large layer's list)."""
    return feature_item_html(item, conditional_escape(gettext("Show on the map")), current_theme())
