"""The Map's create and edit views: Wagtail's own, telling the editor what an import left out."""

from __future__ import annotations

from django.contrib import messages
from wagtail.snippets.views.snippets import CreateView, EditView


class ImportNotesMixin:
    """After a save, show each note of the imported file (uMap options kept but not shown)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        for note in getattr(form, "import_notes", []):
            messages.warning(self.request, note)
        return response


class MapCreateView(ImportNotesMixin, CreateView):
    pass


class MapEditView(ImportNotesMixin, EditView):
    pass
