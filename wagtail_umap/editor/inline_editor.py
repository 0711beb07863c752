"""The map of a map page, edited inside the page's editor (issue 19).

The page's panel (``models/page_panel.py``) frames this view: the Map's own edit view, with its
form, its checks (permissions, locking, stale saves) and its revisions, drawn without Wagtail's
sidebar and header, with one action, "Save draft". A save comes back here, and the page of the
panel reads the map's new state from this view's HTML (``js/editor/inline-panel.js``): the page's
form, never reloaded, keeps what the editor typed in it.

Only this site may frame it: ``X-Frame-Options: SAMEORIGIN`` and, under django-csp,
``frame-ancestors 'self'``; Wagtail's other admin views keep their own policy.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from wagtail_umap.editor.views import MapEditView
from wagtail_umap.models import Map
from wagtail_umap.models.page_panel import map_offer

CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
TEMPLATE = "wagtail_umap/editor/inline_edit.html"
STATE_TEMPLATE = "wagtail_umap/editor/inline_state.html"
REFUSED_TEMPLATE = "wagtail_umap/editor/inline_refused.html"
INLINE_URL_NAME = "wagtailsnippets_wagtail_umap_map:inline"
SAVED = "saved"  # the query parameter of the view shown right after a save
STATE = "state"  # the query parameter asking for the map's state only (after an autosave)


def inline_editor_url(map_id: int | str) -> str:
    return reverse(INLINE_URL_NAME, args=[map_id])


def frame_for_this_site_only(response: HttpResponse) -> HttpResponse:
    """Let pages of this site, and no other, frame ``response``."""
    response["X-Frame-Options"] = "SAMEORIGIN"
    if CSP_MIDDLEWARE in settings.MIDDLEWARE:
        from csp.decorators import csp_replace  # the site's policy, frame-ancestors replaced

        return csp_replace({"frame-ancestors": ["'self'"]})(lambda: response)()
    if "Content-Security-Policy" not in response:
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


class MapInlineEditView(MapEditView):
    """The Map's edit view for a frame in a page's editor: same form and checks, lighter page."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            # Wagtail would redirect to the dashboard, sidebar and all, inside the frame.
            response = self.refused(request, kwargs.get("pk"))
        return frame_for_this_site_only(response)

    def refused(self, request: HttpRequest, pk) -> HttpResponse:
        map_ = get_object_or_404(Map, pk=pk)
        return TemplateResponse(
            request,
            REFUSED_TEMPLATE,
            {"map": map_, "message": gettext("You may not edit this map.")},
            status=403,
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET.get(STATE) == "1":
            return self.state_response(request)
        return super().get(request, *args, **kwargs)

    def state_response(self, request: HttpRequest) -> HttpResponse:
        """The map's state alone, for the panel after Wagtail's autosave saved a revision in
        the frame (no page load there to read it from)."""
        map_ = get_object_or_404(Map, pk=self.object_pk)
        return TemplateResponse(
            request,
            STATE_TEMPLATE,
            {
                "object": map_,
                "offer": map_offer(map_, request.user),
                "just_saved": True,
                "saved_message": gettext("Draft of the map saved automatically."),
            },
        )

    def get_edit_url(self) -> str:
        return inline_editor_url(self.object.pk)

    def get_success_url(self) -> str:
        return f"{inline_editor_url(self.object.pk)}?{SAVED}=1"

    def get_success_buttons(self) -> list:
        return []  # no way out of the frame from its messages: the page's panel says the rest

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        map_ = Map.objects.get(pk=self.object.pk)  # the row as saved, not the form's instance
        context.update(
            offer=map_offer(map_, self.request.user),
            just_saved=self.request.GET.get(SAVED) == "1",
            saved_message=gettext(
                "Draft of the map saved. Publish the page to publish the map with it."
            ),
        )
        return context
