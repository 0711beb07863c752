from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.widgets.button import Button
from wagtail.snippets.action_menu import PublishMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_umap.editor.background import job_status
from wagtail_umap.editor.chooser_create import MapChooserCreateView, MapCreationForm
from wagtail_umap.editor.dashboard import new_map_panel_for
from wagtail_umap.editor.forms import MapAdminForm
from wagtail_umap.editor.french_data import geocode_csv, outline_add, outline_search
from wagtail_umap.editor.generic_views import MapDeleteView, MapUnlockView, MapUnpublishView
from wagtail_umap.editor.image_upload import upload_image
from wagtail_umap.editor.import_view import import_file
from wagtail_umap.editor.inline_editor import TEMPLATE as INLINE_TEMPLATE
from wagtail_umap.editor.inline_editor import MapInlineEditView
from wagtail_umap.editor.layer_upload import stored_layer, upload_layer
from wagtail_umap.editor.page_map import publish_map_with_page
from wagtail_umap.editor.place_on_page import PLACE_LABEL, PlaceOnPageView
from wagtail_umap.editor.remote_view import remote_layer
from wagtail_umap.editor.starting_panel import StartingPointsPanel
from wagtail_umap.editor.views import MapCreateView, MapIndexView
from wagtail_umap.models import Map
from wagtail_umap.models.access import is_map_staff
from wagtail_umap.sharing.share import SHARE_LABEL, MapEditWithShareView, MapShareView
from wagtail_umap.sharing.visibility import MapVisibilityPanel


# The map chooser (MapBlock, MapPage) lists maps, drafts included, to users with a permission on
# maps only: a page editor without one sees none (give them "Can view" on maps to choose).
class MapChooserMixin:
    def get_object_list(self):
        maps = super().get_object_list()
        return maps if is_map_staff(self.request.user) else maps.none()


class MapChooseView(MapChooserMixin, ChooseView):
    page_subtitle = ""  # the title says it: "Choisir une carte", not "Choisir" + "carte"


class MapChooseResultsView(MapChooserMixin, ChooseResultsView):
    pass


class MapChosenView(SnippetChosenView):
    def get_object(self, pk):
        if not is_map_staff(self.request.user):
            raise Map.DoesNotExist
        return super().get_object(pk)


class MapChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        maps = super().get_objects(pks)
        return maps if is_map_staff(self.request.user) else maps.none()


class MapChooserViewSet(SnippetChooserViewSet):
    choose_view_class = MapChooseView
    choose_results_view_class = MapChooseResultsView
    chosen_view_class = MapChosenView
    chosen_multiple_view_class = MapChosenMultipleView
    page_title = _("Choose a map")
    # "New map": create the map where it is used, as the image chooser offers an upload.
    create_view_class = MapChooserCreateView
    creation_form_class = MapCreationForm
    create_action_label = _("New map")
    create_action_clicked_label = _("Creating…")
    creation_tab_label = _("New map")


class MapViewSet(SnippetViewSet):
    model = Map
    index_view_class = MapIndexView
    add_view_class = MapCreateView
    # The edit view offers "Share" in its header's "More" menu (the share view's URL below).
    edit_view_class = MapEditWithShareView
    # Wagtail's generic screens, worded for a map ("Carte « X » supprimée", not "supprimé(e)").
    delete_view_class = MapDeleteView
    unpublish_view_class = MapUnpublishView
    unlock_view_class = MapUnlockView
    delete_template_name = MapDeleteView.template_name
    chooser_viewset_class = MapChooserViewSet
    icon = "site"
    menu_label = _("Maps")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "layer_count", "feature_count", "updated_at"]
    list_filter = {"live": ["exact"], "updated_at": ["gte", "lte"]}
    list_export = ["title", "summary", "live", "updated_at"]
    ordering = ["title"]

    # The visual editor (the ``document`` field's widget) sets the layers, basemap, default view
    # and controls on one screen; the Settings tab keeps the texts around the map.
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    StartingPointsPanel(heading=_("Start from")),
                    FieldPanel("title"),
                    FieldPanel("summary"),
                    FieldPanel("document", heading=_("Map"), classname="umap-editor-panel"),
                ],
                heading=_("Content"),
            ),
            ObjectList(
                [
                    FieldPanel("credits"),
                    MultiFieldPanel(
                        [FieldPanel("licence_name"), FieldPanel("licence_url")],
                        heading=_("Open data"),
                    ),
                    MultiFieldPanel(
                        [
                            MapVisibilityPanel(heading=_("Where it is shown")),
                            FieldPanel("shared_publicly"),
                        ],
                        heading=_("Who may see it"),
                    ),
                ],
                heading=_("Settings"),
            ),
        ],
        base_form_class=MapAdminForm,
    )

    @property
    def share_view(self):
        return MapShareView.as_view(
            permission_policy=self.permission_policy,
            edit_url_name=self.get_url_name("edit"),
            index_url_name=self.get_url_name("list"),
            breadcrumbs_items=self.breadcrumbs_items,
        )

    @property
    def place_view(self):
        return PlaceOnPageView.as_view(
            edit_url_name=self.get_url_name("edit"),
            index_url_name=self.get_url_name("list"),
            breadcrumbs_items=self.breadcrumbs_items,
        )

    @property
    def inline_view(self):
        """The map's editor framed in a map page's editor (editor/inline_editor.py)."""
        kwargs = self.get_edit_view_kwargs(template_name=INLINE_TEMPLATE)
        return self.construct_view(MapInlineEditView, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("share/<int:pk>/", self.share_view, name="share"),
            path("place/<int:pk>/", self.place_view, name="place"),
            path("inline/<str:pk>/", self.inline_view, name="inline"),
        ]


map_viewset = MapViewSet()
register_snippet(map_viewset)


@hooks.register("register_snippet_listing_buttons")
def share_button_in_map_listing(snippet, user, next_url=None):
    """ "Put this map on a page" and "Share" in the "More" menu of each map of the listing."""
    if isinstance(snippet, Map):
        yield Button(
            PLACE_LABEL,
            url=reverse(map_viewset.get_url_name("place"), args=[snippet.pk]),
            icon_name="doc-empty-inverse",
            priority=5,
        )
        yield Button(
            SHARE_LABEL,
            url=reverse(map_viewset.get_url_name("share"), args=[snippet.pk]),
            icon_name="link",
            priority=25,
        )


@hooks.register("construct_homepage_panels")
def new_map_on_the_dashboard(request, panels):
    if panel := new_map_panel_for(request.user):
        panels.append(panel)


@hooks.register("construct_snippet_action_menu")
def publish_first_for_maps(menu_items, request, context):
    """ "Publish" is the main button of a map's footer, "Save draft" in its menu: a newcomer who
    saved a draft believed the map was online. Where "Publish" is not offered (no permission,
    a workflow), the order stays Wagtail's."""
    if context.get("model") is not Map:
        return
    publish = [item for item in menu_items if isinstance(item, PublishMenuItem)]
    for item in publish:
        menu_items.remove(item)
    menu_items[:0] = publish


@hooks.register("register_admin_urls")
def register_editor_urls():
    """The map editor's import and layer endpoints, and the state of their background jobs
    (admin only: Wagtail checks admin access)."""
    return [
        path("wagtail_umap/editor/import/", import_file, name="wagtail_umap_editor_import"),
        path("wagtail_umap/editor/layer/", upload_layer, name="wagtail_umap_editor_layer"),
        path("wagtail_umap/editor/image/", upload_image, name="wagtail_umap_editor_image"),
        path(
            "wagtail_umap/editor/layer/<str:digest>/",
            stored_layer,
            name="wagtail_umap_editor_stored_layer",
        ),
        path("wagtail_umap/editor/jobs/<uuid:job_id>/", job_status, name="wagtail_umap_editor_job"),
        path(
            "wagtail_umap/editor/remote/<int:map_id>/<str:layer_id>/",
            remote_layer,
            name="wagtail_umap_editor_remote",
        ),
        path("wagtail_umap/editor/geocode/", geocode_csv, name="wagtail_umap_editor_geocode"),
        path("wagtail_umap/editor/outlines/", outline_search, name="wagtail_umap_editor_outlines"),
        path("wagtail_umap/editor/outline/", outline_add, name="wagtail_umap_editor_outline"),
    ]


@hooks.register("after_publish_page")
def publish_the_map_with_its_page(request, page):
    """A map page published with "publish the map too" ticked publishes (or submits) its map."""
    publish_map_with_page(request, page)
