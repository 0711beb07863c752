from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_umap.forms import MapAdminForm
from wagtail_umap.models import Map
from wagtail_umap.views.admin import MapCreateView, MapEditView


class MapViewSet(SnippetViewSet):
    model = Map
    add_view_class = MapCreateView
    edit_view_class = MapEditView
    icon = "site"
    menu_label = _("Maps")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "layer_count", "feature_count", "updated_at"]
    list_filter = {"live": ["exact"], "updated_at": ["gte", "lte"]}
    list_export = ["title", "summary", "live", "updated_at"]
    ordering = ["title"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("summary"),
                    MultiFieldPanel(
                        [
                            FieldPanel("remove_layers"),
                            FieldPanel("import_file"),
                            FieldPanel("import_into"),
                            FieldPanel("import_mode"),
                            FieldPanel("document"),
                        ],
                        heading=_("Layers"),
                    ),
                ],
                heading=_("Content"),
            ),
            ObjectList(
                [
                    FieldPanel("basemap"),
                    MultiFieldPanel(
                        [FieldPanel("center_lat"), FieldPanel("center_lng"), FieldPanel("zoom")],
                        heading=_("Default view"),
                        help_text=_("Leave empty to fit the view to the data."),
                    ),
                    FieldPanel("controls"),
                    FieldPanel("credits"),
                    MultiFieldPanel(
                        [FieldPanel("licence_name"), FieldPanel("licence_url")],
                        heading=_("Open data"),
                    ),
                ],
                heading=_("Settings"),
            ),
        ],
        base_form_class=MapAdminForm,
    )


register_snippet(MapViewSet)
