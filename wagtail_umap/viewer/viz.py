"""The data-visualisation part of the viewer: classes of the representations and filters.

The server computes once what the map, the legend and the feature list must agree on: the
breaks and colours of a choropleth, the style of each category, the circle sizes. The viewer's
script receives them in its configuration (``layer_viz_config``); the template shows the same
legend as text (``layer_legend``) and, beside each feature of the list, its class and value
(``feature_note``), both in ``legends.py``. Numbers are formatted in the page's language
("1 234,5" in French).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

from wagtail_umap.core import classify
from wagtail_umap.core.markup import as_text

NO_DATA_COLOUR = "#bdbdbd"
MAX_FILTER_OPTIONS = 50  # category checkboxes: beyond this, a search filter serves better


def representation_of(layer_viz: dict | None) -> dict:
    return (layer_viz or {}).get("representation") or {"type": "plain"}


def feature_value(feature: dict, name: str) -> Any:
    return (feature.get("properties") or {}).get(name)


def _decimals(values: list[float]) -> int:
    """How many decimals the data itself shows (0..3): bounds are shown as precisely."""
    decimals = 0
    for value in values:
        text = repr(float(value))
        if "e" not in text and "." in text:
            decimals = max(decimals, len(text.split(".")[1].rstrip("0")))
    return min(decimals, 3)


def format_number(value: float, decimals: int | None = None) -> str:
    """``value`` in the page's language, grouped: "1 234,5" in French, "1,234.5" in English."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(_decimals([value]), 3)
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


GROUPING_FROM = 10_000  # "2024" stays a year, "12 345" is grouped (French typography)


def value_text(value: object) -> str:
    """A property's value as shown to citizens: a number in the page's language ("12 345,6"
    in French, "12,345.6" in English) with the digits its shortest form has (the viewer's
    ``valueText`` gives the same), anything else as text (``core.markup.as_text``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return as_text(value)
    text = as_text(value)
    if "e" in text or "n" in text:  # 1e+21, inf, nan: as JavaScript writes them
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number_format(
        text, decimal_pos=decimals or None, force_grouping=abs(value) >= GROUPING_FROM
    )


def with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _geometry_kind(features: list[dict]) -> str:
    kinds = {(f.get("geometry") or {}).get("type", "") for f in features}
    if kinds and all(kind.endswith("Polygon") for kind in kinds):
        return "area"
    if kinds and all(kind.endswith("LineString") for kind in kinds):
        return "line"
    return "point"


# --- per representation --------------------------------------------------------------------


def choropleth(representation: dict, features: list[dict]) -> dict:
    name = representation.get("field", "")
    values = [classify.as_number(feature_value(f, name)) for f in features]
    present = [v for v in values if v is not None]
    count = min(max(int(representation.get("classes", 5)), 3), 9)
    bounds = classify.breaks(
        present,
        representation.get("method", "quantiles"),
        count,
        representation.get("breaks") or (),
    )
    classes_found = max(len(bounds) - 1, 0)
    colours = classify.ramp(representation.get("scheme", classify.DEFAULT_SCHEME), classes_found)
    counts = Counter(classify.class_of(v, bounds) for v in present)
    decimals = _decimals(present)
    unit = representation.get("unit", "")
    classes = []
    for index in range(classes_found):
        low, high = (
            format_number(bounds[index], decimals),
            format_number(bounds[index + 1], decimals),
        )
        classes.append(
            {
                "colour": colours[index],
                "label": with_unit(f"{low} – {high}", unit),
                "count": counts.get(index, 0),
            }
        )
    return {
        "type": "choropleth",
        "field": name,
        "unit": unit,
        "bounds": bounds,
        "decimals": decimals,
        "classes": classes,
        "noData": {
            "colour": NO_DATA_COLOUR,
            "label": gettext("No data"),
            "count": values.count(None),
        },
        "geometry": _geometry_kind(features),
    }


def categorized(representation: dict, features: list[dict]) -> dict:
    name = representation.get("field", "")
    counts = Counter(category_key(feature_value(f, name)) for f in features)
    counts.pop("", None)
    configured = {c["value"]: c for c in representation.get("categories") or []}
    # The editor's categories first, in their order, then the others by frequency.
    order = list(configured)
    order += sorted((v for v in counts if v not in configured), key=lambda v: (-counts[v], v))
    categories = []
    for position, value in enumerate(order):
        automatic = classify.category_style(position)
        entry = configured.get(value, {})
        categories.append(
            {
                "value": value,
                "label": entry.get("label") or value,
                "colour": entry.get("color") or automatic.colour,
                "shape": entry.get("marker_shape") or automatic.marker_shape,
                "dash": automatic.dash_array,
                "pictogram": entry.get("pictogram") or automatic.pictogram,
                "count": counts.get(value, 0),
            }
        )
    missing = sum(1 for f in features if category_key(feature_value(f, name)) == "")
    return {
        "type": "categorized",
        "field": name,
        "categories": categories,
        "other": {
            "colour": classify.OTHER_CATEGORY_COLOUR,
            "label": gettext("No value"),
            "count": missing,
        },
        "geometry": _geometry_kind(features),
    }


def category_key(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def circles(representation: dict, features: list[dict]) -> dict:
    name = representation.get("field", "")
    present = classify.numbers(feature_value(f, name) for f in features)
    largest = max((abs(v) for v in present), default=0)
    low, high = representation.get("min_radius", 4), representation.get("max_radius", 40)
    unit = representation.get("unit", "")
    legend = [
        {
            "value": value,
            "radius": classify.circle_radius(value, largest, low, high),
            "label": with_unit(format_number(value), unit),
        }
        for value in classify.legend_values(largest)
    ]
    return {
        "type": "circles",
        "field": name,
        "unit": unit,
        "minRadius": low,
        "maxRadius": high,
        "largest": largest,
        "legend": legend,
        "missing": len(features) - len(present),
    }


def representation_config(representation: dict, features: list[dict]) -> dict:
    """What the script needs to draw the layer, classes and colours computed."""
    kind = representation.get("type", "plain")
    if kind == "choropleth":
        return choropleth(representation, features)
    if kind == "categorized":
        return categorized(representation, features)
    if kind == "circles":
        return circles(representation, features)
    if kind == "heat":
        return {
            "type": "heat",
            "field": representation.get("field", ""),
            "radius": representation.get("radius", 25),
            "intensity": representation.get("intensity", 0.6),
        }
    if kind == "cluster":
        return {"type": "cluster", "radius": representation.get("radius", 60)}
    return {"type": "plain"}


# --- filters -------------------------------------------------------------------------------


def filters_config(filters: list[dict], features: list[dict]) -> list[dict]:
    """The layer's filters, with the choices (category) or extremes (range) of its data."""
    result = []
    for position, item in enumerate(filters or []):
        kind = item.get("type")
        entry = {"id": f"f{position}", "type": kind, "label": item.get("label", "")}
        if kind == "search":
            entry["fields"] = list(item.get("fields") or [])
            entry["label"] = entry["label"] or gettext("Search")
        else:
            name = entry["field"] = item.get("field", "")
            entry["label"] = entry["label"] or name
            values = [feature_value(f, name) for f in features]
            if kind in ("category", "radio"):
                counts = Counter(category_key(v) for v in values)
                counts.pop("", None)
                options = sorted(counts, key=lambda v: (-counts[v], v))[:MAX_FILTER_OPTIONS]
                entry["options"] = [{"value": v, "count": counts[v]} for v in options]
            elif kind == "yes_no":
                answers = Counter(yes_or_no(v) for v in values)
                entry["yes"], entry["no"] = answers["yes"], answers["no"]
            elif kind == "range":
                present = classify.numbers(values)
                entry["min"] = min(present, default=None)
                entry["max"] = max(present, default=None)
            elif kind == "date_range":
                dates = sorted(
                    v[:10] for v in values if isinstance(v, str) and _is_iso_date(v[:10])
                )
                entry["min"] = dates[0] if dates else None
                entry["max"] = dates[-1] if dates else None
        result.append(entry)
    return result


def map_filters_config(filters: list[dict]) -> list[dict]:
    """The map's filters (``options.filters``) for the script: ids ``m0``…, labels filled in;
    their choices and extremes depend on every layer's features, so the script counts them
    once the layers are in (a large layer is loaded from its data URL)."""
    result = []
    for position, item in enumerate(filters or []):
        kind = item.get("type")
        entry = {"id": f"m{position}", "type": kind, "label": item.get("label", "")}
        if kind == "search":
            entry["fields"] = list(item.get("fields") or [])
            entry["label"] = entry["label"] or gettext("Search")
        else:
            entry["field"] = item.get("field", "")
            entry["label"] = entry["label"] or entry["field"]
        result.append(entry)
    return result


YES_WORDS = frozenset({"oui", "o", "vrai", "true", "yes", "y", "1", "x"})
NO_WORDS = frozenset({"non", "n", "faux", "false", "no", "0"})


def yes_or_no(value: object) -> str:
    """ "yes", "no" or "" (neither) of a property, as the viewer's yes-or-no filter reads it:
    a boolean, 1 or 0, or a word (oui, non, vrai, faux, true, false…). ``filters.js`` reads the
    same words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return "yes" if value == 1 else "no" if value == 0 else ""
    word = str(value).strip().lower() if isinstance(value, str) else ""
    return "yes" if word in YES_WORDS else "no" if word in NO_WORDS else ""


def _is_iso_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit()


# --- layers loaded from their data URL -------------------------------------------------------

VALUE_REPRESENTATIONS = frozenset({"choropleth", "categorized", "circles"})
VALUE_FILTERS = frozenset({"category", "range", "date_range", "radio", "yes_no"})
CACHE_PREFIX = "wagtail_umap:viz"


def needs_values(viz: dict | None) -> bool:
    """Whether the layer's representation or filters are computed from its features' values."""
    viz = viz or {}
    return representation_of(viz).get("type") in VALUE_REPRESENTATIONS or any(
        isinstance(item, dict) and item.get("type") in VALUE_FILTERS
        for item in viz.get("filters") or []
    )


def viz_cache_key(digest: str, viz: dict | None) -> str:
    """The cache key of a layer's computed classes and filter choices: a digest's content never
    changes, so its classes change only with the representation, the filters or the language
    (labels and number formats)."""
    viz = viz or {}
    settings_json = json.dumps(
        [representation_of(viz), viz.get("filters") or []], sort_keys=True, default=str
    )
    fingerprint = hashlib.sha256(settings_json.encode()).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{digest}:{get_language() or ''}:{fingerprint}"


def computed_viz(viz: dict | None, features: list[dict]) -> dict:
    """A layer's representation config and filters, ready for the script and the legend."""
    viz = viz or {}
    return {
        "representation": representation_config(representation_of(viz), features),
        "filters": filters_config(viz.get("filters") or [], features),
    }


def prepare_data_url_layers(layers: list) -> None:
    """Give every layer loaded from its data URL whose representation or filters need values
    its classes, legend and filter choices (``layer.__dict__["_viz"]``).

    They come from Django's cache; on a miss, one query reads the GeoJSON of every missing
    layer at once, parsed once and cached for good (the key holds the digest). A layer with
    inline features is left alone: the viewer computes from those.
    """
    from wagtail_umap import safe_cache

    wanted = {
        viz_cache_key(layer.digest, layer.viz): layer
        for layer in layers
        if layer.data_url
        and getattr(layer, "digest", None)
        and "_viz" not in layer.__dict__
        and needs_values(layer.viz)
    }
    if not wanted:
        return
    found = safe_cache.get_many(list(wanted))  # {} on a cache error
    missing = [key for key in wanted if key not in found]
    if missing:
        from wagtail_umap.models import LayerData

        digests = {wanted[key].digest for key in missing}
        rows = LayerData.objects.filter(digest__in=digests).values_list("digest", "geojson")
        features = {digest: json.loads(bytes(data))["features"] for digest, data in rows}
        computed = {
            key: computed_viz(wanted[key].viz, features[wanted[key].digest])
            for key in missing
            if wanted[key].digest in features
        }
        safe_cache.set_many(computed, timeout=None)
        found.update(computed)
    for key, layer in wanted.items():
        if key in found:
            layer.__dict__["_viz"] = found[key]
