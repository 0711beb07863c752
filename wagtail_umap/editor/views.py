"""The Map's create and edit views: Wagtail's own, telling the editor what an import left out,
and refusing a save made on an older version than the latest, whoever sends it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, ngettext
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import ReferenceIndex
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from wagtail_umap.editor.place_on_page import PLACE_LABEL, place_url_name
from wagtail_umap.editor.starting_points import starting_document

# Wagtail's own message (and so its own translation) for an out-of-date autosave.
OUT_OF_DATE = "Saving will overwrite a newer version."
BASE_FIELDS = ("loaded_revision_id", "overwrite_revision_id")


class ImportNotesMixin:
    """After a save, show each note of the imported file (uMap options kept but not shown)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        for note in getattr(form, "import_notes", []):
            messages.warning(self.request, note)
        return response


class RefuseStaleSavesMixin:
    """Refuse a save whose base is older than the map's latest revision, for every client.

    Wagtail's edit form carries the revision it was loaded from (``loaded_revision_id`` and
    ``loaded_revision_created_at``; ``overwrite_revision_id`` after an autosave), but Wagtail
    checks it on autosave posts only: Save draft, Publish, a workflow action or a script would
    overwrite a newer draft without a word. Here every post is checked, with Wagtail's rule and
    Wagtail's message.

    A post that names no base at all (a script that does not send the hidden fields) is
    refused too, when the map has revisions: nothing tells it was made on the latest version,
    and the safe answer to "may I overwrite what I have not seen?" is no. A script reads the
    two hidden fields from the edit form, as a browser does.

    After the refusal the form shows again with the edit kept and the latest revision as its
    base: saving once more then overwrites the newer version knowingly.
    """

    def is_valid(self, form):
        if reason := self.stale_save_reason():
            self.produced_error_code = "invalid_revision"
            # Wagtail's message first, then what it means here (its French says little).
            self.produced_error_message = f"{gettext(OUT_OF_DATE)} {reason}"
            form.skip_validation = True  # refused: neither validate nor store anything
            return False
        return super().is_valid(form)

    def stale_save_reason(self) -> str:
        """Why this save is refused, or "" when it may go on."""
        if not getattr(self, "latest_revision", None) or not hasattr(self, "is_out_of_date"):
            return ""  # a map never saved as a revision, or a Wagtail without the fields
        if not any(self.request.POST.get(name) for name in BASE_FIELDS):
            return gettext(
                "This save does not say which version of the map it was made from "
                "(loaded_revision_id and loaded_revision_created_at, as in the edit form)."
            )
        if self.is_out_of_date:
            return gettext(
                "Another version of this map was saved after you opened it; your changes are "
                "still in the form. Reload the page to see the latest version (your changes "
                "would be lost), or save again to replace it with yours."
            )
        return ""


class HeadingOneMixin:
    """A level-one heading for the view (RGAA 9.1, axe's page-has-heading-one): Wagtail's
    snippet create and edit templates leave out the slim header's hidden ``<h1>``, which shows
    only when the context has a ``title``; the visible title stays Wagtail's ``<h2>``."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("title"):
            subtitle = context.get("page_subtitle")
            title = context.get("page_title", "")
            context["title"] = f"{title}: {subtitle}" if subtitle else title
        return context


class NextStepMixin:
    """Messages in plain French (Wagtail's generic ones read "modifié(e) et publié(e)") that say
    whether the site shows the map; and no dead end after a publish: a map on no page goes on
    to “Put this map on a page” (its screen says how to skip it), a map already in use back to
    the list with that action in the message."""

    def get_success_message(self, instance=None):
        map_ = instance or self.object
        title = map_.title
        if self.published_now(map_):
            pages = self.usage_count(map_)
            if not pages:
                return gettext(
                    "Map “%(title)s” published. It is on no page of the site yet: put it on "
                    "a page so that visitors see it."
                ) % {"title": title}
            return ngettext(
                "Map “%(title)s” published: visitors see it where it is used (%(count)s place).",
                "Map “%(title)s” published: visitors see it where it is used (%(count)s places).",
                pages,
            ) % {"title": title, "count": pages}
        if self.action in ("create", "edit"):
            return gettext(
                "Map “%(title)s” saved as a draft: visitors do not see these changes until you "
                "publish it."
            ) % {"title": title}
        return super().get_success_message(*([instance] if instance else []))

    def get_success_buttons(self):
        buttons = list(super().get_success_buttons())
        if self.published_now(self.object) and self.usage_count(self.object):
            buttons.insert(0, admin_messages.button(self.place_url(), PLACE_LABEL))
        return buttons

    def get_success_url(self):
        if self.published_now(self.object) and not self.usage_count(self.object):
            return self.place_url()
        return super().get_success_url()

    def published_now(self, map_) -> bool:
        scheduled = map_.go_live_at and map_.go_live_at > timezone.now()
        return self.action == "publish" and not scheduled

    def usage_count(self, map_) -> int:
        return ReferenceIndex.get_references_to(map_).count()

    def place_url(self) -> str:
        return reverse(place_url_name(self.edit_url_name), args=[self.object.pk])


class MapIndexView(IndexView):
    # Wagtail's "Add %(model_name)s" reads "Ajouter un(e) carte" in French.
    add_item_label = gettext_lazy("Add a map")


class MapCreateView(HeadingOneMixin, NextStepMixin, ImportNotesMixin, CreateView):
    # Wagtail's "New: %(model_name)s" reads "Nouvel(le) : Carte" in French.
    page_title = gettext_lazy("New map")

    def get_page_subtitle(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {**items[-1], "label": self.page_title}]

    def get_initial_form_instance(self):
        """A new map on the site's default view, from the starting point in ``?start=``."""
        instance = super().get_initial_form_instance() or self.model()
        instance.document = starting_document(self.request.GET.get("start"), self.request)
        return instance


class ReturnToPageMixin:
    """ "Edit the map" from a map page's editor opens this view with ``?next=`` (the page's edit
    view): the form keeps it, and a save (draft, publish, workflow action) returns there, where
    the page's panel says what became of the map."""

    @cached_property
    def next_url(self) -> str:
        return get_valid_next_url_from_request(self.request)

    def get_edit_url(self):
        url = super().get_edit_url()
        return f"{url}?{urlencode({'next': self.next_url})}" if self.next_url else url

    def get_success_url(self):
        return self.next_url or super().get_success_url()


class SaveInPlaceMixin:
    """What the editor's "Save draft" without a reload (save.js, ``saveInPlace``) needs in the
    JSON answer Wagtail gives a form posted for JSON (its autosave's path, Wagtail 7.1+): the
    message a reload would have shown, and on a stale save the latest revision, which becomes
    the form's base so that saving again replaces it knowingly, as after the ordinary post."""

    def get_success_json(self):
        data = super().get_success_json()
        data["message"] = self.get_success_message()
        return data

    def json_error_response(self, error_code, error_message):
        response = super().json_error_response(error_code, error_message)
        latest = getattr(self, "latest_revision", None)
        if error_code != "invalid_revision" or not latest:
            return response
        payload = json.loads(response.content)
        payload["latest_revision_id"] = latest.pk
        payload["latest_revision_created_at"] = latest.created_at.isoformat()
        return JsonResponse(payload, status=response.status_code)


class MapEditView(
    HeadingOneMixin,
    ReturnToPageMixin,
    NextStepMixin,
    RefuseStaleSavesMixin,
    SaveInPlaceMixin,
    ImportNotesMixin,
    EditView,
):
    pass
