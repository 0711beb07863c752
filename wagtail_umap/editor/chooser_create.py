"""“New map” in the map chooser (MapBlock, MapPage): create the map where it is used.

As Wagtail's image chooser offers an upload tab, the map chooser offers a tab with the title,
the summary and a starting point; the new map (a draft, on the site's default view) comes back
chosen, and the chooser's "Edit" link opens it in the map editor to draw and publish it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.snippets.views.chooser import SnippetCreateView

from wagtail_umap.editor.starting_points import STARTING_POINTS, starting_document
from wagtail_umap.models import Map


class MapCreationForm(forms.ModelForm):
    start = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        choices=[(point.key, point.label) for point in STARTING_POINTS],
        initial=STARTING_POINTS[0].key,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Map
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        # Its own ids: the page editor around the chooser has its own "title" field.
        kwargs.setdefault("prefix", "umap-new-map")
        super().__init__(*args, **kwargs)


class MapChooserCreateView(SnippetCreateView):
    def save_form(self, form: MapCreationForm) -> Map:
        map_ = form.save(commit=False)
        map_.set_document(starting_document(form.cleaned_data["start"], self.request))
        map_.live = False  # a draft until the editor publishes it
        map_.full_clean()
        map_.save()
        map_.save_revision(user=self.request.user, log_action=True)
        return map_
