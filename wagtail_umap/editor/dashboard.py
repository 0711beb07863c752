"""“Create a map” on the admin's dashboard: a newcomer starts from the first screen they see,
with the starting points one click away (instead of Maps → Add a map → a model)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from wagtail_umap.editor.starting_points import STARTING_POINTS
from wagtail_umap.models import Map


class NewMapPanel(Component):
    name = "wagtail_umap_new_map"
    template_name = "wagtail_umap/admin/new_map_panel.html"
    order = 50

    class Media:
        css = {"all": ["wagtail_umap/css/start.css"]}

    def get_context_data(self, parent_context=None):
        add_url = reverse("wagtailsnippets_wagtail_umap_map:add")
        return {
            "starting_points": [
                {
                    "label": point.label,
                    "help_text": point.help_text,
                    "url": f"{add_url}?start={point.key}",
                }
                for point in STARTING_POINTS
            ],
            "maps_url": reverse("wagtailsnippets_wagtail_umap_map:list"),
        }


def new_map_panel_for(user) -> NewMapPanel | None:
    """The panel, for users who may add maps."""
    opts = Map._meta
    return NewMapPanel() if user.has_perm(f"{opts.app_label}.add_{opts.model_name}") else None
