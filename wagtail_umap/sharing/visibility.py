"""Who may see a map, told to its editors: a panel of the edit view, the share screen, and a
warning when a map shared publicly is also shown on restricted pages (``models.access``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.panels import Panel

from wagtail_umap.models.access import page_model, visibility_of

RESTRICTION_LABELS = {
    "password": gettext_lazy("shared password"),
    "login": gettext_lazy("logged-in users"),
    "groups": gettext_lazy("some groups"),
}


@dataclass
class ShownOn:
    title: str
    edit_url: str
    restriction: str  # "" for a public page


@dataclass
class VisibilityStatus:
    public: bool
    message: str
    warning: str = ""
    pages: list[ShownOn] = field(default_factory=list)


def visibility_status(map_) -> VisibilityStatus:
    """What the published version of ``map_`` shows to whom, in a sentence for its editors."""
    if map_ is None or not map_.pk or not type(map_).objects.filter(pk=map_.pk, live=True).exists():
        return VisibilityStatus(
            public=False,
            message=gettext("This map is not published: nobody sees it outside the admin."),
        )
    visibility = visibility_of(map_, all_uses=True)
    pages = _pages(visibility.uses)
    restricted = [page for page in pages if page.restriction]
    if visibility.shared:
        warning = (
            gettext(
                "This map is shared publicly and also shown on restricted pages: what those "
                "pages protect, anyone can see through this map’s embed, downloads and API. "
                "Untick “Share publicly” and publish the map if it is not for everyone."
            )
            if restricted
            else ""
        )
        message = gettext(
            "Shared publicly: anyone may embed this map on another site, download its data "
            "and find it in the API."
        )
        return VisibilityStatus(public=True, message=message, warning=warning, pages=pages)
    if visibility.public:
        message = gettext(
            "Public: a public page shows it, so anyone may embed it, download its data and "
            "find it in the API."
        )
        return VisibilityStatus(public=True, message=message, pages=pages)
    if restricted:
        message = gettext(
            "Private: only restricted pages show it. Their visitors, and users with a "
            "permission on maps, may open its embed, downloads and API entry; nobody else."
        )
    else:
        message = gettext(
            "Private: no published page shows it and it is not shared publicly. Only users "
            "with a permission on maps may open its embed, downloads and API entry."
        )
    return VisibilityStatus(public=False, message=message, pages=pages)


def _pages(uses) -> list[ShownOn]:
    if not uses:
        return []
    Page = page_model()
    titles = dict(
        Page.objects.filter(pk__in=[use.page_id for use in uses]).values_list("pk", "title")
    )
    pages = []
    for use in uses:
        kinds = sorted(
            {str(RESTRICTION_LABELS.get(r.restriction_type, "")) for r in use.restrictions}
        )
        pages.append(
            ShownOn(
                title=titles.get(use.page_id, ""),
                edit_url=_edit_url(use.page_id),
                restriction=", ".join(kind for kind in kinds if kind),
            )
        )
    return sorted(pages, key=lambda page: page.title)


def _edit_url(page_id: int) -> str:
    try:
        return reverse("wagtailadmin_pages:edit", args=[page_id])
    except NoReverseMatch:
        return ""


class MapVisibilityPanel(Panel):
    """Where the published map is shown and who may open its URLs, above its sharing setting."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_umap/admin/visibility_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["status"] = visibility_status(self.instance)
            return context
