"""Template tags of the public viewer.

``{% umap_viewer viewer_map %}`` renders one map (see ``wagtail_umap.viewer``). Its stylesheets
and scripts are output with the first map of a request only; ``{% umap_viewer_assets %}`` outputs
them earlier (in ``<head>``, say) and the maps that follow then leave them out.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from wagtail_umap.viewer import ViewerMap, template_context

register = template.Library()

ASSETS_FLAG = "_wagtail_umap_viewer_assets_rendered"


def _claim_assets(context: template.Context) -> bool:
    """True the first time in a request (or, without a request, in a render) and never after."""
    request = context.get("request")
    holder = request if request is not None else context.render_context.dicts[0]
    if isinstance(holder, dict):
        if holder.get(ASSETS_FLAG):
            return False
        holder[ASSETS_FLAG] = True
        return True
    if getattr(holder, ASSETS_FLAG, False):
        return False
    setattr(holder, ASSETS_FLAG, True)
    return True


@register.simple_tag(takes_context=True)
def umap_viewer_assets(context: template.Context) -> str:
    if not _claim_assets(context):
        return ""
    return render_to_string("wagtail_umap/viewer/assets.html", request=context.get("request"))


@register.simple_tag(takes_context=True)
def umap_viewer(context: template.Context, viewer_map: ViewerMap) -> str:
    return render_to_string(
        "wagtail_umap/viewer.html",
        template_context(viewer_map, include_assets=_claim_assets(context)),
        request=context.get("request"),
    )
