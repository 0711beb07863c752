"""The "Start from" links above a new map's title: one per starting point, each reopening the
add view with that starting point (before anything is typed, so nothing is lost)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel

from wagtail_umap.editor.starting_points import STARTING_POINTS


class StartingPointsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_umap/admin/starting_points_panel.html"

        class Media:
            css = {"all": ["wagtail_umap/css/start.css"]}

        def is_shown(self):
            return self.instance.pk is None and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            current = self.request.GET.get("start") if self.request else None
            add_url = reverse("wagtailsnippets_wagtail_umap_map:add")
            context["starting_points"] = [
                {
                    "label": point.label,
                    "help_text": point.help_text,
                    "url": f"{add_url}?start={point.key}",
                    "current": point.key == current,
                }
                for point in STARTING_POINTS
            ]
            return context
