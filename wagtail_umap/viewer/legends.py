"""Legends as text: what a layer's colours, categories and circle sizes mean, written in words
(information never by colour alone), and each feature's class and value for the feature list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

from wagtail_umap.core import classify
from wagtail_umap.viewer.viz import category_key, feature_value, format_number, with_unit


@dataclass
class LegendEntry:
    label: str  # "5,6 – 6,2 %", "primary", "120 places"
    colour: str = ""  # swatch fill (#rrggbb)
    shape: str = ""  # marker shape (pin, circle, square, drop) or "line" or "area"
    dash: str = ""  # line dash of a category
    pictogram: str = ""
    radius: float = 0  # proportional circles: the circle's radius in pixels
    count: int = 0  # features in the entry

    # The circle legend's SVG box: its side, the circle's centre and radius, in pixels.
    # Strings: a float in a template would be localised ("12,5"), which SVG cannot read.
    @property
    def box(self) -> str:
        return str(round(2 * self.radius + 3))

    @property
    def centre(self) -> str:
        return f"{self.radius + 1.5:.1f}"

    @property
    def radius_shown(self) -> str:
        return f"{self.radius:.1f}"


@dataclass
class Legend:
    layer_id: str
    layer_name: str
    title: str  # what the legend explains: "taux (%)", "highway"
    kind: str  # choropleth, categorized, circles
    entries: list[LegendEntry] = field(default_factory=list)
    lang: str = ""  # the data's language, on the category labels (values of the data)


def layer_legend(layer_id: str, layer_name: str, config: dict) -> Legend | None:
    """The text legend of a layer that encodes data (None for plain, cluster and heat)."""
    kind = config.get("type")
    if kind == "choropleth":
        title = with_unit(config["field"], f"({config['unit']})" if config["unit"] else "")
        legend = Legend(layer_id, layer_name, title, kind)
        shape = "area" if config["geometry"] == "area" else "circle"
        for entry in config["classes"]:
            legend.entries.append(
                LegendEntry(entry["label"], entry["colour"], shape=shape, count=entry["count"])
            )
        if config["noData"]["count"]:
            no_data = config["noData"]
            legend.entries.append(
                LegendEntry(
                    no_data["label"], no_data["colour"], shape=shape, count=no_data["count"]
                )
            )
        return legend
    if kind == "categorized":
        legend = Legend(layer_id, layer_name, config["field"], kind)
        geometry = config["geometry"]
        for entry in config["categories"]:
            shape = entry["shape"] if geometry == "point" else geometry
            legend.entries.append(
                LegendEntry(
                    entry["label"],
                    entry["colour"],
                    shape=shape,
                    dash=entry["dash"] if geometry in ("line", "area") else "",
                    pictogram=entry["pictogram"],
                    count=entry["count"],
                )
            )
        return legend
    if kind == "circles":
        title = with_unit(config["field"], f"({config['unit']})" if config["unit"] else "")
        legend = Legend(layer_id, layer_name, title, kind)
        for entry in config["legend"]:
            legend.entries.append(LegendEntry(entry["label"], radius=entry["radius"]))
        return legend
    return None


def feature_note(config: dict, feature: dict) -> str:
    """The feature's class and value, as text for the server-rendered list ("" if none)."""
    kind = config.get("type")
    if kind not in ("choropleth", "categorized", "circles"):
        return ""
    name = config["field"]
    raw = feature_value(feature, name)
    if kind == "categorized":
        value = category_key(raw)
        if not value:
            return gettext("%(field)s: no value") % {"field": name}
        label = next((c["label"] for c in config["categories"] if c["value"] == value), value)
        return gettext("%(field)s: %(value)s") % {"field": name, "value": label}
    number = classify.as_number(raw)
    if number is None:
        return gettext("%(field)s: no data") % {"field": name}
    shown = with_unit(format_number(number, config.get("decimals")), config.get("unit", ""))
    if kind == "circles":
        return gettext("%(field)s: %(value)s") % {"field": name, "value": shown}
    index = classify.class_of(number, config["bounds"])
    return gettext("%(field)s: %(value)s (class %(number)s of %(count)s: %(range)s)") % {
        "field": name,
        "value": shown,
        "number": index + 1,
        "count": len(config["classes"]),
        "range": config["classes"][index]["label"],
    }


def data_language(language: object) -> str:
    """The ``lang`` of a layer's data values: its language when it is not the page's, else ""
    (the page's ``lang`` already holds)."""
    if not isinstance(language, str) or not language.strip():
        return ""
    return "" if language.lower() == (get_language() or "").lower() else language


def legends(layers: list, representation_of_layer) -> list[Legend]:
    """The text legends of the layers that encode data, in layer order."""
    found = []
    for layer in layers:
        legend = layer_legend(layer.id, layer.name, representation_of_layer(layer))
        if legend is not None:
            legend.lang = data_language(getattr(layer, "language", ""))
            found.append(legend)
    return found
