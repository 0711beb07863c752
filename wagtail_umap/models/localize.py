"""Translation of maps with wagtail-localize (optional: a site without it loses nothing else).

wagtail-localize asks a model field for its text with ``get_translatable_segments(value)`` and
writes the translation back with ``restore_translated_segments(value, segments)``;
``MapDocumentField`` hands both over to this module.

A map document's translatable text, each with a path that stays the same from one version of
the map to the next (layer ids are stable, features keep their place in their layer):

- ``options.credits``;
- ``layers.<layer id>.name``, ``.description`` and ``.popup_template``;
- ``layers.<layer id>.features.<index>.name`` and ``.description`` (the feature's properties);
- ``groups.<group id>.name`` and ``.description`` (groups of layers).

Everything else (geometries, styles, other properties, basemap, view, controls, licence) is
synchronised: the translation takes it from the source map each time it is updated. Translated
features are saved as new content-addressed layer data; the source's rows are never touched.
"""

from __future__ import annotations

import copy

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.models import store

LAYER_TEXT = ("name", "description", "popup_template")
FEATURE_TEXT = ("name", "description")
GROUP_TEXT = ("name", "description")


def document_text(document: dict) -> list[tuple[str, str]]:
    """Every translatable string of a stored or full document, as ``(path, text)``, in reading
    order. Empty strings are left out."""
    texts = []
    credits = document.get("options", {}).get("credits")
    texts.append(("options.credits", credits))
    for group in document.get("groups") or []:
        texts.extend((f"groups.{group['id']}.{key}", group.get(key)) for key in GROUP_TEXT)
    stored_data = store.load_layer_data(document)
    for layer in document.get("layers", []):
        base = f"layers.{layer['id']}"
        texts.extend((f"{base}.{key}", layer.get(key)) for key in LAYER_TEXT)
        reference = layer.get("data")
        features = (
            stored_data[reference["digest"]].features()
            if reference and reference["digest"] in stored_data
            else layer.get("features", [])
        )
        for index, feature in enumerate(features):
            properties = feature.get("properties") or {}
            texts.extend(
                (f"{base}.features.{index}.{key}", properties.get(key)) for key in FEATURE_TEXT
            )
    return [(path, text) for path, text in texts if isinstance(text, str) and text.strip()]


def translate_document(document: dict, translations: dict[str, str]) -> dict:
    """A new full document: ``document`` with the text at each path of ``translations``
    replaced. Paths that no longer exist in the document are ignored."""
    full = copy.deepcopy(store.full_document(document))
    layers = {layer["id"]: layer for layer in full.get("layers", [])}
    for path, text in translations.items():
        parts = path.split(".")
        if parts == ["options", "credits"]:
            full.setdefault("options", {})["credits"] = text
        elif parts[0] == "groups" and len(parts) == 3 and parts[2] in GROUP_TEXT:
            for group in full.get("groups") or []:
                if group["id"] == parts[1]:
                    group[parts[2]] = text
        elif parts[0] == "layers" and len(parts) > 2 and parts[1] in layers:
            layer = layers[parts[1]]
            if len(parts) == 3 and parts[2] in LAYER_TEXT:
                layer[parts[2]] = text
            elif len(parts) == 5 and parts[2] == "features" and parts[4] in FEATURE_TEXT:
                features = layer.get("features", [])
                index = int(parts[3]) if parts[3].isdigit() else len(features)
                if index < len(features):
                    properties = features[index].get("properties") or {}
                    properties[parts[4]] = text
                    features[index]["properties"] = properties
    return full


# The wagtail-localize hooks of MapDocumentField


def get_translatable_segments(document: dict) -> list:
    from wagtail_localize.segments import StringSegmentValue

    return [StringSegmentValue(path, text) for path, text in document_text(document or {})]


def restore_translated_segments(document: dict, segments: list) -> dict:
    """The stored document of the translation: the source ``document`` with its text
    translated, its translated features saved in the store (unchanged layers keep their
    digest)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext
    from wagtail_localize.segments import StringSegmentValue

    translations = {
        segment.path: segment.render_text()
        for segment in segments
        if isinstance(segment, StringSegmentValue)
    }
    try:
        return store.validate_and_store(translate_document(document, translations))
    except MapDocumentError as error:
        raise ValidationError(error.messages(gettext)) from error


def translatable_fields() -> list:
    """``Map.translatable_fields`` when wagtail-localize is installed, else ``[]``."""
    try:
        from wagtail_localize.fields import TranslatableField
    except ImportError:
        return []

    class TranslatableDocumentField(TranslatableField):
        """The document is translated *and* synchronised, like a StreamField: each update of a
        translation starts again from the source's layers, geometries and styles."""

        def is_synchronized(self, obj) -> bool:
            return True

        def __repr__(self) -> str:
            return f"<TranslatableDocumentField {self.field_name}>"

    return [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableDocumentField("document"),
    ]
