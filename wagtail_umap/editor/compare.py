"""Revision comparison of a map document, in words an editor reads, not raw JSON.

Wagtail's "Compare" screen shows, for the map field: the options that changed, then each layer
(matched by its id) added, removed, renamed, moved or restyled, and within a layer the features
added, removed or changed, by name.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from wagtail.admin.compare import FieldComparison, register_comparison_class

from wagtail_umap.models.basemaps import get_basemaps
from wagtail_umap.models.layer_data import LayerData
from wagtail_umap.models.map import MapDocumentField

# Past this many, a list of feature names ends with "and N more".
NAMES_SHOWN = 10
LAYER_SETTINGS = ("description", "shown_on_load", "style", "popup_template", "umap")


def describe_document(document: dict) -> list[str]:
    """One line a fact: the options, then each layer with its size and style."""
    lines = describe_options(document.get("options", {}))
    for position, layer in enumerate(document.get("layers", []), start=1):
        lines.append(describe_layer(position, layer))
    return lines


def describe_options(options: dict) -> list[str]:
    basemap = get_basemaps().get(options.get("basemap"), {}).get("label", options.get("basemap"))
    center = options.get("center")
    lines = [gettext("Basemap: %(basemap)s") % {"basemap": basemap}]
    if center:
        lines.append(
            gettext("Default view: %(lat)s, %(lng)s, zoom %(zoom)s")
            % {"lat": center["lat"], "lng": center["lng"], "zoom": options.get("zoom")}
        )
    else:
        lines.append(gettext("Default view: fitted to the data"))
    shown = [name for name, on in options.get("controls", {}).items() if on]
    lines.append(gettext("Controls: %(controls)s") % {"controls": ", ".join(shown) or "–"})
    if options.get("credits"):
        lines.append(gettext("Credits: %(credits)s") % {"credits": options["credits"]})
    return lines


def describe_layer(position: int, layer: dict) -> str:
    data = layer.get("data", {})
    style = ", ".join(f"{key} {value}" for key, value in sorted(layer.get("style", {}).items()))
    count = data.get("feature_count", len(layer.get("features", [])))
    return ngettext(
        'Layer %(position)s "%(name)s": %(count)s feature (content %(digest)s)%(hidden)s%(style)s',
        'Layer %(position)s "%(name)s": %(count)s features (content %(digest)s)%(hidden)s%(style)s',
        count,
    ) % {
        "position": position,
        "name": layer.get("name", ""),
        "count": count,
        "digest": data.get("digest", "")[:8],
        "hidden": "" if layer.get("shown_on_load", True) else gettext(", hidden on load"),
        "style": f"; {style}" if style else "",
    }


# Features


def feature_label(feature: dict) -> str:
    name = (feature.get("properties") or {}).get("name")
    if name:
        return str(name)
    kind = (feature.get("geometry") or {}).get("type", "")
    return gettext("unnamed %(type)s") % {"type": kind}


def canonical(feature: dict) -> str:
    return json.dumps(feature, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class FeatureChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def compare_features(before: list[dict], after: list[dict]) -> FeatureChanges:
    """Features only in one list; a removed and an added one with the same name (or id) count
    as one changed feature."""
    before_keys = Counter(canonical(f) for f in before)
    after_keys = Counter(canonical(f) for f in after)
    gone = before_keys - after_keys
    new = after_keys - before_keys
    removed = [f for f in before if _take(gone, canonical(f))]
    added = [f for f in after if _take(new, canonical(f))]
    changes = FeatureChanges()
    unmatched = list(removed)
    for feature in added:
        twin = next((old for old in unmatched if _same_feature(old, feature)), None)
        if twin is None:
            changes.added.append(feature_label(feature))
        else:
            unmatched.remove(twin)
            changes.changed.append(feature_label(feature))
    changes.removed = [feature_label(feature) for feature in unmatched]
    return changes


def _take(counter: Counter, key: str) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _same_feature(old: dict, new: dict) -> bool:
    if "id" in old and "id" in new:
        return old["id"] == new["id"]
    old_name = (old.get("properties") or {}).get("name")
    return bool(old_name) and old_name == (new.get("properties") or {}).get("name")


def names_text(names: list[str]) -> str:
    shown = ", ".join(gettext("“%(name)s”") % {"name": name} for name in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    if more > 0:
        shown += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more}
    return shown


# Layers


class LayerFeatures:
    """A layer's features, inline or from the store (one query for every digest needed)."""

    def __init__(self, *documents: dict):
        digests = {
            layer["data"]["digest"]
            for document in documents
            for layer in document.get("layers", [])
            if isinstance(layer.get("data"), dict)
        }
        self.stored = LayerData.objects.in_bulk_by_digest(digests)

    def of(self, layer: dict) -> list[dict]:
        if "features" in layer:
            return layer["features"]
        data = self.stored.get((layer.get("data") or {}).get("digest"))
        return data.features() if data is not None else []


def layer_content_key(layer: dict) -> str | None:
    if "data" in layer:
        return layer["data"].get("digest")
    return None


def compare_layers(before: dict, after: dict) -> list[str]:
    """Sentences on what changed in the layers, from ``before`` to ``after``."""
    old = {layer["id"]: layer for layer in before.get("layers", []) if "id" in layer}
    new = {layer["id"]: layer for layer in after.get("layers", []) if "id" in layer}
    features = LayerFeatures(before, after)
    lines = []
    for layer_id, layer in old.items():
        if layer_id not in new:
            count = len(features.of(layer))
            lines.append(
                ngettext(
                    "Layer “%(name)s” removed, with its %(count)s feature.",
                    "Layer “%(name)s” removed, with its %(count)s features.",
                    count,
                )
                % {"name": layer.get("name", ""), "count": count}
            )
    old_order = [layer_id for layer_id in old if layer_id in new]
    new_order = [layer_id for layer_id in new if layer_id in old]
    for position, (layer_id, layer) in enumerate(new.items(), start=1):
        if layer_id not in old:
            added = [feature_label(f) for f in features.of(layer)]
            lines.append(
                ngettext(
                    "Layer “%(name)s” added at position %(position)s, with %(count)s feature: "
                    "%(names)s.",
                    "Layer “%(name)s” added at position %(position)s, with %(count)s features: "
                    "%(names)s.",
                    len(added),
                )
                % {
                    "name": layer.get("name", ""),
                    "position": position,
                    "count": len(added),
                    "names": names_text(added) or "–",
                }
            )
            continue
        lines.extend(describe_layer_change(old[layer_id], layer, features))
        if old_order.index(layer_id) != new_order.index(layer_id):
            lines.append(
                gettext("Layer “%(name)s” moved to position %(position)s.")
                % {"name": layer.get("name", ""), "position": position}
            )
    return lines


def describe_layer_change(old: dict, new: dict, features: LayerFeatures) -> list[str]:
    name = new.get("name", "")
    lines = []
    if old.get("name") != name:
        lines.append(
            gettext("Layer “%(old)s” renamed “%(new)s”.")
            % {"old": old.get("name", ""), "new": name}
        )
    settings = [key for key in LAYER_SETTINGS if old.get(key) != new.get(key)]
    settings += sorted(
        key
        for key in (set(old) | set(new)) - set(LAYER_SETTINGS) - {"id", "name", "data", "features"}
        if old.get(key) != new.get(key)
    )
    if settings:
        lines.append(
            gettext("Layer “%(name)s”: settings changed (%(keys)s).")
            % {"name": name, "keys": ", ".join(settings)}
        )
    old_key, new_key = layer_content_key(old), layer_content_key(new)
    if old_key is not None and old_key == new_key:
        return lines
    changes = compare_features(features.of(old), features.of(new))
    for kind, names in (
        ("added", changes.added),
        ("removed", changes.removed),
        ("changed", changes.changed),
    ):
        if names:
            lines.append(feature_sentence(kind, name, names))
    return lines


def feature_sentence(kind: str, layer_name: str, names: list[str]) -> str:
    templates = {
        "added": (
            "Layer “%(layer)s”: %(count)s feature added: %(names)s.",
            "Layer “%(layer)s”: %(count)s features added: %(names)s.",
        ),
        "removed": (
            "Layer “%(layer)s”: %(count)s feature removed: %(names)s.",
            "Layer “%(layer)s”: %(count)s features removed: %(names)s.",
        ),
        "changed": (
            "Layer “%(layer)s”: %(count)s feature changed: %(names)s.",
            "Layer “%(layer)s”: %(count)s features changed: %(names)s.",
        ),
    }
    singular, plural = templates[kind]
    return ngettext(singular, plural, len(names)) % {
        "layer": layer_name,
        "count": len(names),
        "names": names_text(names),
    }


def compare_documents(before: dict, after: dict) -> list[str]:
    """What changed from ``before`` to ``after``, one sentence a change."""
    old_options, new_options = (
        describe_options(before.get("options", {})),
        describe_options(after.get("options", {})),
    )
    lines = [
        gettext("%(before)s → %(after)s") % {"before": old, "after": new}
        for old, new in zip(old_options, new_options, strict=False)
        if old != new
    ]
    lines += [line for line in new_options[len(old_options) :]]
    if before.get("options", {}).get("licence") != after.get("options", {}).get("licence"):
        lines.append(gettext("Licence changed."))
    if (before.get("groups") or []) != (after.get("groups") or []):
        lines.append(
            gettext("Groups of layers: %(before)s → %(after)s")
            % {"before": _groups_text(before), "after": _groups_text(after)}
        )
    return lines + compare_layers(before, after)


def _groups_text(document: dict) -> str:
    """The groups of layers in words: "Écoles › Maternelles, Sport" ("–" for none)."""
    groups = document.get("groups") or []
    names = {group.get("id"): group.get("name", "") for group in groups}
    return (
        ", ".join(
            f"{names[group['parent']]} › {group.get('name', '')}"
            if group.get("parent") in names
            else group.get("name", "")
            for group in groups
        )
        or "–"
    )


class MapDocumentComparison(FieldComparison):
    def htmldiff(self):
        before, after = self.val_a or {}, self.val_b or {}
        if before == after:
            lines = describe_document(after)
        else:
            lines = compare_documents(before, after) or [gettext("No visible change.")]
        return format_html(
            '<ul class="umap-compare">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    def has_changed(self):
        return (self.val_a or {}) != (self.val_b or {})


register_comparison_class(MapDocumentField, comparison_class=MapDocumentComparison)
