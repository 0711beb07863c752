"""Revision comparison of a map document, in words an editor reads, not raw JSON."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from wagtail.admin.compare import FieldComparison, diff_text, register_comparison_class

from wagtail_umap.conf import get_basemaps
from wagtail_umap.models.map import MapDocumentField


def describe_document(document: dict) -> list[str]:
    """One line a fact: the options, then each layer with its size and style."""
    options = document.get("options", {})
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
    for position, layer in enumerate(document.get("layers", []), start=1):
        lines.append(describe_layer(position, layer))
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


class MapDocumentComparison(FieldComparison):
    def htmldiff(self):
        before, after = describe_document(self.val_a or {}), describe_document(self.val_b or {})
        lines = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else ""
            new = after[index] if index < len(after) else ""
            lines.append(diff_text(old, new).to_html() if old != new else format_html("{}", old))
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )


register_comparison_class(MapDocumentField, comparison_class=MapDocumentComparison)
