"""Conditional styles (uMap's ``rules``) in the legend, as text: "statut = fermé : rouge,
tirets" (information never by colour alone)."""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from wagtail_umap.core.colours import PALETTE, parse_colour
from wagtail_umap.core.pictograms import BY_NAME
from wagtail_umap.core.schema import rule_matches
from wagtail_umap.viewer.legends import Legend, LegendEntry
from wagtail_umap.viewer.umap_markup import clean_rules

# Colour names beyond the editor's palette, so that a uMap colour is named close enough.
EXTRA_COLOURS = (
    ("#000000", "Black"),
    ("#ffffff", "White"),
    ("#f1c40f", "Yellow"),
    ("#9e9e9e", "Grey"),
    ("#e91e63", "Pink"),
    ("#4fc3f7", "Light blue"),
    ("#8bc34a", "Light green"),
)
OPERATORS = {"=": "=", "!=": "≠", "<": "<", ">": ">"}


def colour_name(value: object) -> str:
    """The nearest named colour, translated ("" when the value is no colour)."""
    parsed = parse_colour(value)
    if parsed is None:
        return ""
    rgb = parsed[0]
    named = [(colour.value, colour.name) for colour in PALETTE] + list(EXTRA_COLOURS)

    def distance(item: tuple[str, str]) -> float:
        other = parse_colour(item[0])[0]
        return sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True))

    return gettext(min(named, key=distance)[1]).lower()


def style_words(style: dict) -> str:
    """A rule's style in words: "rouge, tirets, épaisseur 6"."""
    words = []
    colour = colour_name(style.get("color") or style.get("fill_color"))
    if colour:
        words.append(colour)
    if style.get("dash_array"):
        words.append(gettext("dashed line"))
    if "weight" in style:
        words.append(gettext("width %(value)s") % {"value": style["weight"]})
    if style.get("pictogram"):
        words.append(style["pictogram"])
    icon = BY_NAME.get(style.get("icon") or "")
    if icon is not None:  # a pictogram of the library, by its name
        words.append(icon.label(get_language() or "fr").lower())
    if style.get("marker_shape"):
        words.append(gettext(style["marker_shape"].capitalize()).lower())
    return ", ".join(words) or gettext("own style")


def rule_label(rule: dict, label: str = "") -> str:
    condition = label.strip() or "{} {} {}".format(
        rule["field"],
        OPERATORS[rule["operator"]],
        rule["value"] if rule["value"] != "" else gettext("(empty)"),
    )
    return gettext("%(condition)s: %(style)s") % {
        "condition": condition,
        "style": style_words(rule["style"]),
    }


def rules_legend(legend_id: str, name: str, rules: list, features: list) -> Legend:
    from wagtail_umap.viewer.map import clean_style

    legend = Legend(legend_id, name, gettext("Conditional styles"), "rules")
    for rule in clean_rules(rules, clean_style):
        style = rule["style"]
        matched = [f for f in features if rule_matches(rule, (f or {}).get("properties") or {})]
        legend.entries.append(
            LegendEntry(
                rule_label(rule, rule.get("label", "")),
                colour=style.get("color") or style.get("fill_color") or "#1f5fa8",
                shape=swatch_shape(style, geometry_kind(matched or features)),
                dash=style.get("dash_array") or "",
                pictogram=style.get("pictogram") or "",
                count=len(matched),
            )
        )
    return legend


def geometry_kind(features: list) -> str:
    """ "point", "line" or "area": what most of these features are ("point" when none is
    known, the case of a layer loaded from its data URL: a rule is most often on markers)."""
    counts = {"point": 0, "line": 0, "area": 0}
    for feature in features:
        kind = ((feature or {}).get("geometry") or {}).get("type") or ""
        if kind.endswith("Point"):
            counts["point"] += 1
        elif kind.endswith("LineString"):
            counts["line"] += 1
        elif kind.endswith("Polygon"):
            counts["area"] += 1
    return max(counts, key=lambda kind: counts[kind]) if any(counts.values()) else "point"


def swatch_shape(style: dict, kind: str) -> str:
    """The swatch of a rule: a marker of its shape for points (a dash pattern draws no
    marker), a line or an area otherwise."""
    if kind == "point":
        shape = style.get("marker_shape")
        return shape if shape in ("pin", "circle", "square", "drop") else "circle"
    return kind


def rule_legends(viewer_map) -> list[Legend]:
    """The legends of the map's and each layer's rules (counts over inline features)."""
    found = []
    every = [feature for layer in viewer_map.layers for feature in layer.features]
    map_rules = (viewer_map.umap_options or {}).get("rules")
    if isinstance(map_rules, list) and map_rules:
        found.append(rules_legend("map", viewer_map.title, map_rules, every))
    for layer in viewer_map.layers:
        rules = (layer.viz or {}).get("rules")
        if isinstance(rules, list) and rules:
            found.append(rules_legend(layer.id, layer.name, rules, layer.features))
    return [legend for legend in found if legend.entries]
