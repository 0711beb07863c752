"""The "Share" screen of a Map in the admin: the iframe code for a partner site, with its
title, size, initial view, visible layers and controls, a preview and a copy button.

The code is written by ``static/wagtail_umap/js/share.js`` (a Stimulus controller) as the
editor changes the options; without JavaScript the screen shows the code of the map as set.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from wagtail_umap.core.document import CONTROL_NAMES, DEFAULT_CONTROLS
from wagtail_umap.editor.forms import CONTROL_LABELS
from wagtail_umap.editor.place_on_page import PLACE_LABEL, place_url_name
from wagtail_umap.editor.views import MapEditView
from wagtail_umap.models import Map
from wagtail_umap.sharing.embed import embed_url
from wagtail_umap.sharing.oembed import DEFAULT_HEIGHT, DEFAULT_WIDTH, iframe_html
from wagtail_umap.sharing.visibility import visibility_status

SHARE_LABEL = gettext_lazy("Share")


class MapShareView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_umap/admin/share.html"
    header_icon = "link"
    model = Map
    permission_policy = None
    edit_url_name = None
    index_url_name = None

    @cached_property
    def object(self) -> Map:
        return get_object_or_404(Map, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if self.permission_policy is not None and not (
            self.permission_policy.user_has_any_permission(
                request.user, ["add", "change", "delete", "view"]
            )
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Share")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_url_name:
            items.append(
                {
                    "url": reverse(self.index_url_name),
                    "label": Map._meta.verbose_name_plural.capitalize(),
                }
            )
        if self.edit_url_name:
            items.append(
                {
                    "url": reverse(self.edit_url_name, args=[self.object.pk]),
                    "label": str(self.object),
                }
            )
        items.append({"url": "", "label": gettext("Share")})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        map_ = self.object
        options = map_.options
        controls = options.get("controls", DEFAULT_CONTROLS)
        center = options.get("center") or {}
        context.update(
            {
                "map": map_,
                "published": map_.live,
                "visibility": visibility_status(map_),
                "has_unpublished_changes": map_.live and map_.has_unpublished_changes,
                "edit_url": reverse(self.edit_url_name, args=[map_.pk])
                if self.edit_url_name
                else "",
                "embed_url": embed_url(map_, self.request) if map_.live else "",
                # For the bulletin municipal, a poster or a report (docs/print.md).
                "print_url": reverse("wagtail_umap:print", kwargs={"map_id": map_.pk})
                if map_.live
                else "",
                "iframe_code": iframe_html(
                    embed_url(map_, self.request), map_.title, DEFAULT_WIDTH, DEFAULT_HEIGHT
                )
                if map_.live
                else "",
                "default_width": DEFAULT_WIDTH,
                "default_height": DEFAULT_HEIGHT,
                "center_lat": center.get("lat", ""),
                "center_lng": center.get("lng", ""),
                "zoom": options.get("zoom", ""),
                "layers": [
                    {
                        "id": layer["id"],
                        "name": layer["name"],
                        "shown": layer.get("shown_on_load", True),
                    }
                    for layer in map_.layers
                ],
                "controls": [
                    {
                        "name": name,
                        "label": CONTROL_LABELS[name],
                        "on": controls.get(name, DEFAULT_CONTROLS[name]),
                    }
                    for name in CONTROL_NAMES
                ],
            }
        )
        return context


def share_url_name(edit_url_name: str) -> str:
    """The share view's URL name, next to the edit view's in the viewset's namespace."""
    return edit_url_name.rsplit(":", 1)[0] + ":share"


class MapEditWithShareView(MapEditView):
    """The Map's edit view with "Share" in its header's "More" menu, and a warning when the map
    is shared publicly while restricted pages show it."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if warning := visibility_status(self.object).warning:
            messages.warning(request, warning)
        return response

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                PLACE_LABEL,
                url=reverse(place_url_name(self.edit_url_name), args=[self.object.pk]),
                icon_name="doc-empty-inverse",
                priority=5,
            )
        )
        buttons.append(
            Button(
                SHARE_LABEL,
                url=reverse(share_url_name(self.edit_url_name), args=[self.object.pk]),
                icon_name="link",
                priority=25,
            )
        )
        return buttons
