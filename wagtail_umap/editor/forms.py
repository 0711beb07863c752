"""The Map edit form: the map document written by the visual editor, plus a few text options.

The map document travels in one hidden field (``document``) that the visual editor
(:mod:`wagtail_umap.editor.widget`) writes: layers it changed carry their features inline, the
others their stored ``data`` reference. The older option fields and the server-side upload
(``import_file``) are still accepted when posted (scripts, tests, no-JavaScript use): they are
not shown in the edit view any more, the editor does the same on one screen.
"""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from wagtail_umap.conf import get_import_limits, get_setting
from wagtail_umap.core import schema
from wagtail_umap.core.document import (
    CONTROL_NAMES,
    DEFAULT_CONTROLS,
    merge_imported_options,
    new_layer_id,
)
from wagtail_umap.core.errors import Issue, Location, MapDocumentError
from wagtail_umap.core.validation_groups import merge_groups
from wagtail_umap.editor.widget import MapEditorWidget
from wagtail_umap.formats import SUPPORTED_EXTENSIONS, check_import_size, read_map_file
from wagtail_umap.models import store
from wagtail_umap.models.basemaps import get_basemaps
from wagtail_umap.models.layer_data import LayerData

# Each control's label: the schema's (translated when shown).
CONTROL_LABELS = {name: _(schema.option("controls", name).label) for name in CONTROL_NAMES}
NEW_LAYERS = "new"
UPLOAD_PENDING = gettext_noop(
    "its changes were still being sent to the server when the map was saved; save again"
)
# Fields of the form before the visual editor, still accepted when posted.
LEGACY_FIELDS = (
    "basemap",
    "center_lat",
    "center_lng",
    "zoom",
    "controls",
    "remove_layers",
    "import_file",
    "import_into",
    "import_mode",
)
IMPORT_MODES = [
    ("add", _("Add to what is there")),
    ("replace", _("Replace what is there")),
]


class MapAdminForm(WagtailAdminModelForm):
    basemap = forms.ChoiceField(label=_("Basemap"), required=False)
    center_lat = forms.FloatField(
        label=_("Latitude of the centre"), required=False, min_value=-90, max_value=90
    )
    center_lng = forms.FloatField(
        label=_("Longitude of the centre"), required=False, min_value=-180, max_value=180
    )
    zoom = forms.IntegerField(label=_("Zoom level"), required=False, min_value=0, max_value=22)
    controls = forms.MultipleChoiceField(
        label=_("Controls shown on the public map"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, CONTROL_LABELS[name]) for name in CONTROL_NAMES],
    )
    credits = forms.CharField(
        label=_("Credits"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sources and authors of the data, shown under the map."),
    )
    licence_name = forms.CharField(
        label=_("Licence of the data"),
        required=False,
        max_length=200,
        help_text=_("For example: Licence Ouverte / Open Licence 2.0. Shown beside the downloads."),
    )
    licence_url = forms.URLField(
        label=_("Address of the licence"), required=False, assume_scheme="https"
    )
    remove_layers = forms.MultipleChoiceField(
        label=_("Layers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick a layer to remove it when you save."),
    )
    import_file = forms.FileField(
        label=_("Import a file"),
        required=False,
        help_text=_("GeoJSON (.geojson, .json) or uMap backup (.umap)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    import_into = forms.ChoiceField(
        label=_("Import into"),
        required=False,
        initial=NEW_LAYERS,
        help_text=_("New layers keep the file's layers; an existing layer takes all its features."),
    )
    import_mode = forms.ChoiceField(
        label=_("Existing content"),
        choices=IMPORT_MODES,
        initial="add",
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Replace: into new layers, the file's layers replace every layer; into a layer, "
            "the file's features replace that layer's."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.drop_unposted_legacy_fields()
        document = self.instance.document
        options = document.get("options", {})
        self.fields["document"].widget = MapEditorWidget(read_only=self.locked_for_user())
        self.fields["document"].widget.map_id = self.instance.pk  # live layers' "Update now"
        self.fields["document"].required = False
        # A title may come from the imported file; ``clean`` insists on one.
        self.fields["title"].required = False
        self.fields["summary"].required = False
        self.initial.update(
            credits=options.get("credits", ""),
            licence_name=options.get("licence", {}).get("name", ""),
            licence_url=options.get("licence", {}).get("url", ""),
        )
        if "remove_layers" in self.fields:
            self.set_up_legacy_fields(document)

    def set_up_legacy_fields(self, document: dict) -> None:
        options = document.get("options", {})
        center = options.get("center") or {}
        layers = document.get("layers", [])
        self.fields["basemap"].choices = [
            (key, basemap["label"]) for key, basemap in get_basemaps().items()
        ]
        self.fields["remove_layers"].choices = [
            (layer["id"], layer_label(layer)) for layer in layers
        ]
        self.fields["import_into"].choices = [(NEW_LAYERS, gettext("New layers"))] + [
            (layer["id"], gettext("The layer “%(name)s”") % {"name": layer["name"]})
            for layer in layers
        ]
        self.initial.update(
            basemap=options.get("basemap") or get_setting("DEFAULT_BASEMAP"),
            center_lat=center.get("lat"),
            center_lng=center.get("lng"),
            zoom=options.get("zoom"),
            controls=[
                name
                for name in CONTROL_NAMES
                if options.get("controls", DEFAULT_CONTROLS).get(name, DEFAULT_CONTROLS[name])
            ],
        )

    def locked_for_user(self) -> bool:
        """Whether another user's lock (or a scheduled publication) keeps this user out."""
        if self.instance.pk is None or self.for_user is None:
            return False
        lock = self.instance.get_lock()
        return bool(lock and lock.for_user(self.for_user))

    def drop_unposted_legacy_fields(self) -> None:
        """Keep the option and upload fields only when a post sends them: Wagtail would render
        every field no panel shows, under the editor that replaces them."""
        posted = set(self.data) | set(self.files)
        if not posted & set(LEGACY_FIELDS):
            for name in LEGACY_FIELDS:
                del self.fields[name]

    # Set by the edit view when it refuses the save before validation (a stale save): the
    # posted document is shown again as it is, nothing is validated or stored.
    skip_validation = False

    def clean(self):
        if self.skip_validation:
            return self.cleaned_data
        cleaned = super().clean()
        document = copy.deepcopy(cleaned.get("document") or self.instance.document)
        if not isinstance(document, dict):
            self.add_error(None, gettext("The map could not be read; reload the page."))
            return cleaned
        document["options"] = {**document.get("options", {}), **self.options_from_fields()}
        if not self.check_uploads_done(document) or not self.check_data_references(document):
            return cleaned
        removed = set(cleaned.get("remove_layers") or [])
        layers = [layer for layer in document.get("layers", []) if layer["id"] not in removed]

        upload = cleaned.get("import_file")
        if upload:
            imported = self.read_upload(upload)
            if imported is None:
                return cleaned
            before = layers
            layers = self.merge_layers(layers, imported.get("layers", []))
            self.merge_imported_groups(document, imported, before, layers)
            document["options"] = self.fill_from_import(cleaned, document["options"], imported)
        document["layers"] = layers

        for field in ("title", "summary"):
            if not cleaned.get(field):
                self.add_error(field, gettext("This field is required."))
        try:
            cleaned["document"] = store.validate_and_store(document)
        except MapDocumentError as error:
            self.add_error("import_file" if upload else None, error.messages(gettext))
        return cleaned

    def _post_clean(self):
        if not self.skip_validation:
            super()._post_clean()

    def options_from_fields(self) -> dict:
        """The options posted as form fields. The editor sets basemap, view and controls in the
        document itself; those fields count only when posted (without the editor)."""
        cleaned = self.cleaned_data
        options = {}
        if "basemap" in self.data:
            lat, lng = cleaned.get("center_lat"), cleaned.get("center_lng")
            chosen = set(cleaned.get("controls") or [])
            options.update(
                basemap=cleaned.get("basemap") or get_setting("DEFAULT_BASEMAP"),
                center={"lat": lat, "lng": lng} if lat is not None and lng is not None else None,
                zoom=cleaned.get("zoom"),
                controls={name: name in chosen for name in CONTROL_NAMES},
            )
        if "credits" in self.data:
            options["credits"] = cleaned.get("credits", "")
        if "licence_name" in self.data or "licence_url" in self.data:
            options["licence"] = {
                "name": cleaned.get("licence_name", ""),
                "url": cleaned.get("licence_url", ""),
            }
        return options

    def check_uploads_done(self, document: dict) -> bool:
        """Refuse a layer the editor marked as still being sent to the layer endpoint (the form
        was posted by a path that did not wait for it): its changes are not in this post."""
        pending = [
            (position, layer)
            for position, layer in enumerate(document.get("layers", []), start=1)
            if isinstance(layer, dict) and layer.get("pending")
        ]
        for position, layer in pending:
            where = Location(layer=position, layer_name=str(layer.get("name", "")) or None)
            self.add_error(None, Issue(UPLOAD_PENDING, {}, where).render(gettext))
        return not pending

    def check_data_references(self, document: dict) -> bool:
        """Put the store's own reference on each layer the editor left unchanged: the counts a
        browser sends are not trusted, and a digest the store does not hold is refused."""
        layers = [
            layer
            for layer in document.get("layers", [])
            if isinstance(layer, dict) and isinstance(layer.get("data"), dict)
        ]
        digests = {str(layer["data"].get("digest", "")) for layer in layers}
        # The counts only: not the layer's bytes (tens of MB for a large layer, every save).
        stored = LayerData.objects.without_blobs().in_bulk_by_digest(digests)
        for layer in layers:
            data = stored.get(str(layer["data"].get("digest", "")))
            if data is None:
                self.add_error(
                    None,
                    gettext("The data of the layer “%(name)s” is missing; reload the page.")
                    % {"name": layer.get("name", "")},
                )
                return False
            layer["data"] = data.reference
        return True

    def read_upload(self, upload) -> dict | None:
        """The uploaded file as a validated full document, or None after adding its errors."""
        try:
            # MAX_IMPORT_BYTES: the reader's limit, checked before the file is read.
            check_import_size(upload.size, get_import_limits())
            result = read_map_file(upload.name, upload.read(), get_import_limits())
        except MapDocumentError as error:
            self.add_error(
                "import_file",
                [f"{upload.name}: {message}" for message in error.messages(gettext)],
            )
            return None
        self.import_notes = [note.render(gettext) for note in result.notes]
        return result.document

    def merge_layers(self, current: list[dict], imported: list[dict]) -> list[dict]:
        """The layers after the import, as the editor chose: into new layers or one layer,
        adding to or replacing what is there."""
        target = self.cleaned_data.get("import_into") or NEW_LAYERS
        replace = self.cleaned_data.get("import_mode") == "replace"
        if target == NEW_LAYERS:
            return imported if replace else current + with_fresh_ids(imported, current)
        features = [feature for layer in imported for feature in layer.get("features", [])]
        merged = []
        for layer in current:
            if layer["id"] == target:
                kept = [] if replace else store.layer_features(layer)
                layer = {key: value for key, value in layer.items() if key != "data"}
                layer["features"] = kept + features
            merged.append(layer)
        return merged

    def merge_imported_groups(
        self, document: dict, imported: dict, before: list[dict], after: list[dict]
    ) -> None:
        """A file's groups of layers come with its layers (none when they went into one
        layer); replacing the layers replaces the groups."""
        if (self.cleaned_data.get("import_into") or NEW_LAYERS) != NEW_LAYERS:
            return
        if self.cleaned_data.get("import_mode") == "replace":
            document.pop("groups", None)
            before = []
        if imported.get("groups"):
            added = after[len(before) :]
            document["groups"] = merge_groups(
                document.get("groups") or [], imported["groups"], added
            )

    def fill_from_import(self, cleaned: dict, options: dict, imported: dict) -> dict:
        """Take from the file what the editor left empty: title, summary, and the settings
        the map leaves at their default (as ``umap_import`` and the editor's import do)."""
        for field in ("title", "summary"):
            if not cleaned.get(field) and imported.get(field):
                cleaned[field] = imported[field]
        return merge_imported_options(options, imported.get("options", {}))


def with_fresh_ids(layers: list[dict], current: list[dict]) -> list[dict]:
    """``layers`` with a new id where one is already taken by the ``current`` layers."""
    taken = {layer["id"] for layer in current}
    for layer in layers:
        if layer["id"] in taken:
            layer["id"] = new_layer_id()
        taken.add(layer["id"])
    return layers


def layer_label(layer: dict) -> str:
    count = layer.get("data", {}).get("feature_count", len(layer.get("features", [])))
    return ngettext("%(name)s (%(count)s feature)", "%(name)s (%(count)s features)", count) % {
        "name": layer["name"],
        "count": count,
    }
