"""The map of a map page, in the page's editor: the chooser, then what the site shows of the map,
"Edit the map here" and "Edit the map in its full editor", and, when the map has changes the
site does not show, the offer to publish it with the page (or to submit it to its workflow).

The map is a snippet with its own revisions, locking and workflow. "Edit the map here" shows its
editor in a frame of the panel (``editor/inline_editor.py``, ``js/editor/inline-panel.js``):
the map saves as a draft of the map, and the page's form, never reloaded, keeps what was typed
in it. "Edit the map in its full editor" opens the map's own edit view, which comes back to the
page after a save (``?next=``, editor/views.py). The offer is a checkbox of the page's form
(``umap_publish_map``) that ``wagtail_hooks.py`` reads when the page is published
(``editor/page_map.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.forms import Media
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.models.map import Map

PUBLISH_FIELD = "umap_publish_map"
# The map's edit view for the panel's frame (``editor/inline_editor.py``), named, not imported:
# models come before the editor in the layers of the package.
INLINE_URL_NAME = "wagtailsnippets_wagtail_umap_map:inline"
AUTO = "auto"  # the offer made before the map is known: whatever the map then allows


@dataclass(frozen=True)
class MapOffer:
    """What the page's editor is told of its map, and what publishing the page may do to it."""

    status: str
    action: str = ""  # "publish", "submit" or "" (nothing offered)
    label: str = ""
    workflow: str = ""


def map_offer(map_, user) -> MapOffer:
    """The map's state as the page's editor needs it (``map_`` is the page's Map)."""
    title = map_.title
    if map_.workflow_in_progress:
        workflow = map_.current_workflow_state.workflow.name
        return MapOffer(
            gettext("The map “%(title)s” is in its workflow “%(workflow)s”.")
            % {"title": title, "workflow": workflow}
        )
    if map_.live and not map_.has_unpublished_changes:
        return MapOffer(
            gettext("The map “%(title)s” is published: the page shows it as it is.")
            % {"title": title}
        )
    status = (
        gettext(
            "The map “%(title)s” has changes that visitors do not see yet (a draft saved "
            "after its publication)."
        )
        if map_.live
        else gettext(
            "The map “%(title)s” is not published: the page shows it only once the map is."
        )
    ) % {"title": title}
    lock = map_.get_lock()
    if lock and lock.for_user(user):
        return MapOffer(status + " " + gettext("It is locked: it cannot be published now."))
    workflow = map_.get_workflow()
    if workflow is not None:
        return MapOffer(
            status,
            "submit",
            gettext("When I publish the page, submit the map to its workflow “%(workflow)s”")
            % {"workflow": workflow.name},
            workflow.name,
        )
    if not ModelPermissionPolicy(type(map_)).user_has_permission(user, "publish"):
        return MapOffer(status + " " + gettext("Publishing it needs a permission you do not have."))
    return MapOffer(status, "publish", gettext("When I publish the page, publish the map too"))


class MapOnPagePanel(FieldPanel):
    """``FieldPanel("map")`` and, under the chooser, the map's state, "Edit the map" (back to
    this page after a save) and the offer to publish it with the page."""

    class BoundPanel(FieldPanel.BoundPanel):
        @property
        def media(self):
            return super().media + Media(
                js=["wagtail_umap/js/editor/inline-panel.js"],
                css={"all": ["wagtail_umap/css/inline-editor.css"]},
            )

        def render_html(self, parent_context=None):
            html = super().render_html(parent_context)
            map_ = getattr(self.instance, "map", None)
            if map_ is None:
                # A map chosen now (perhaps a "New map" of the chooser, a draft): whatever it
                # is, publishing the page publishes it too, or submits it, when it can.
                offer = MapOffer(
                    "",
                    AUTO,
                    gettext(
                        "When I publish the page, publish the map I choose too (or submit it "
                        "to its workflow) if it has changes visitors do not see"
                    ),
                )
                return mark_safe(html + self.render_offer(None, offer))
            # Rendered by templates, escaped there.
            return mark_safe(html + self.render_offer(map_, map_offer(map_, self.request.user)))

        def full_editor_url(self, map_) -> str:
            """The map's edit view, back to this page after a save."""
            url = reverse("wagtailsnippets_wagtail_umap_map:edit", args=[map_.pk])
            if self.instance.pk:
                try:
                    page_url = reverse("wagtailadmin_pages:edit", args=[self.instance.pk])
                except NoReverseMatch:  # not a page: no way back
                    page_url = ""
                if page_url:
                    url += "?" + urlencode({"next": page_url})
            return url

        def render_offer(self, map_, offer: MapOffer) -> str:
            may_edit = ModelPermissionPolicy(Map).user_has_permission(self.request.user, "change")
            return render_to_string(
                "wagtail_umap/admin/map_on_page_panel.html",
                {
                    "map": map_,
                    "offer": offer,
                    "may_edit": may_edit,
                    "edit_url": self.full_editor_url(map_) if map_ is not None else "",
                    "inline_url": reverse(INLINE_URL_NAME, args=[map_.pk]) if map_ else "",
                    # The chooser may pick another map: the frame then opens that one's editor.
                    "inline_url_template": reverse(INLINE_URL_NAME, args=[0]),
                    "frame_id": f"umap-map-editor-{self.id_for_label() or 'map'}",
                    "chooser_input_id": self.id_for_label(),
                    "field_name": PUBLISH_FIELD,
                    "field_id": f"id_{PUBLISH_FIELD}",
                },
                request=self.request,
            )
