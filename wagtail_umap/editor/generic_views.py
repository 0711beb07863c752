"""Wagtail's generic screens for maps, in plain French: Wagtail words them for any model
("Carte « X » supprimé(e)", "Êtes-vous sûr(e) de vouloir supprimer ce(tte) carte ?",
"Ce(tte) carte est référencé(e) 0 fois"); for a map they say "Carte « X » supprimée", "Voulez-vous
vraiment supprimer cette carte ?", "Cette carte n'est utilisée nulle part". The messages are
ours (English msgids, French in the package's catalogue); the rest is Wagtail's."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from wagtail.admin.utils import get_latest_str
from wagtail.snippets.views.snippets import DeleteView, UnlockView, UnpublishView


def usage_text(count: int) -> str:
    if not count:
        return gettext("This map is used nowhere.")
    return ngettext(
        "This map is used in %(count)s place.", "This map is used in %(count)s places.", count
    ) % {"count": count}


class MapDeleteView(DeleteView):
    template_name = "wagtail_umap/admin/map_confirm_delete.html"

    @cached_property
    def confirmation_message(self):
        return gettext("Do you really want to delete this map?")

    def get_success_message(self):
        return gettext("Map “%(title)s” deleted.") % {"title": str(self.object)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "usage_count" in context:
            context["usage_text"] = usage_text(context["usage_count"])
        return context


class MapUnpublishView(UnpublishView):
    template_name = "wagtail_umap/admin/map_confirm_unpublish.html"

    def get_success_message(self):
        return gettext("Map “%(title)s” unpublished: visitors no longer see it.") % {
            "title": str(self.object)
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "usage_count" in context:
            context["usage_text"] = usage_text(context["usage_count"])
        return context


class MapUnlockView(UnlockView):
    def get_success_message(self):
        return gettext("Map “%(title)s” unlocked.") % {"title": get_latest_str(self.object)}
