"""How options travel to and from uMap: small builders for ``UmapLink`` and the converters of
the options whose uMap form differs from ours (pure Python, no Django).

Facts about uMap (option names, values, defaults) come from uMap's own option schema; no code
of uMap is used. A converter never raises: a value it cannot read gives ``MISSING`` (the
reader then keeps the uMap value verbatim, with a note).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from wagtail_umap.core.schema.model import APPLIED, CONVERTED, MISSING, UmapLink

NUMERIC_RE = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")
EMPTY = (None, "")
# uMap options for which null is a value of its own (uMap's "nullable"): a control "in the
# menu", a label "on hover". For every other option uMap reads null, like "", as absent.
UMAP_NULLABLE = frozenset(
    {
        "captionControl",
        "datalayersControl",
        "embedControl",
        "fullscreenControl",
        "locateControl",
        "measureControl",
        "printControl",
        "searchControl",
        "showLabel",
        "tilelayersControl",
        "zoomControl",
    }
)


def umap_absent(key: str, value: object) -> bool:
    """Whether uMap reads ``value`` of ``key`` as if the key were absent."""
    return value == "" or (value is None and key not in UMAP_NULLABLE)


# --- values ----------------------------------------------------------------------------------


def number(value: object) -> object:
    """A finite number from a number or numeric text ("0.5", as uMap often writes)."""
    if isinstance(value, str) and NUMERIC_RE.fullmatch(value):
        text = value.strip()
        value = int(text) if text.lstrip("+-").isdigit() else float(text)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return MISSING
    try:
        return value if math.isfinite(value) else MISSING
    except OverflowError:
        return MISSING


def whole(value: object) -> object:
    """A whole number (``7``, ``7.0``, ``"7"``), else MISSING."""
    value = number(value)
    if value is MISSING or not float(value).is_integer():
        return MISSING
    return int(value)


def text(value: object) -> object:
    return value if isinstance(value, str) else MISSING


def boolean(value: object) -> object:
    return value if isinstance(value, bool) else MISSING


def raw(value: object) -> object:
    """Any value, passed to validation as it is (its message then says what is wrong)."""
    return value


def same(value: object) -> object:
    return value


def umap_equal(left: object, right: object) -> bool:
    """Equal as uMap reads them: numeric text equals its number ("0.5" and 0.5)."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(umap_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(umap_equal, left, right))
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    a, b = number(left), number(right)
    if a is not MISSING and b is not MISSING and isinstance(left, str) != isinstance(right, str):
        return a == b
    return left == right


# --- builders --------------------------------------------------------------------------------


def link(
    key: str,
    *,
    read: Callable[[object], object] = same,
    write: Callable[[object], object] = same,
    absent: object = MISSING,
    status: str = APPLIED,
    note: str = "",
    legacy: tuple[str, ...] = (),
    quiet: bool = False,
) -> UmapLink:
    """One uMap key for one option: ``read``/``write`` convert the value.

    ``absent``: our value that an absent uMap key means; it is never written (a backup holds
    no value its source did not have). Empty uMap values (``""``, ``null``) read as absent.
    """

    def read_options(options: dict) -> object:
        for name in (key, *legacy):
            if options.get(name) not in EMPTY:
                return read(options[name])
        return MISSING

    def write_options(value: object, ours: dict) -> dict:
        if value is MISSING or value is None or _same_value(value, absent):
            return {}
        converted = write(value)
        return {} if converted is MISSING else {key: converted}

    return UmapLink((key, *legacy), read_options, write_options, status, note, legacy, quiet)


def choices(
    key: str,
    from_umap: dict,
    to_umap: dict,
    *,
    absent: object = MISSING,
    status: str = CONVERTED,
    note: str = "",
) -> UmapLink:
    """A uMap choice read through ``from_umap`` and written through ``to_umap``."""
    return link(
        key,
        read=lambda value: from_umap.get(value, MISSING) if _hashable(value) else MISSING,
        write=lambda value: to_umap.get(value, MISSING),
        absent=absent,
        status=status,
        note=note,
    )


def _hashable(value: object) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _same_value(value: object, absent: object) -> bool:
    if absent is MISSING:
        return False
    return type(value) is type(absent) and value == absent


# --- map options -----------------------------------------------------------------------------


def center_link() -> UmapLink:
    """The map's centre: uMap writes it as the backup's top-level Point ``geometry``."""

    def read(options: dict) -> object:
        geometry = options.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:
                return {"lat": coordinates[1], "lng": coordinates[0]}  # validation checks them
        return MISSING

    def write(value: object, ours: dict) -> dict:
        if not isinstance(value, dict):
            return {}
        return {"geometry": {"type": "Point", "coordinates": [value["lng"], value["lat"]]}}

    return UmapLink(("geometry",), read, write, APPLIED, "the backup's top-level Point `geometry`")


DEFAULT_VIEWS = ("center", "data", "latest", "locate")


def default_view_link() -> UmapLink:
    """``defaultView``; with no saved centre, our "center" already fits the data, which uMap
    calls "data"."""

    def read(options: dict) -> object:
        view = options.get("defaultView")
        if view not in DEFAULT_VIEWS:
            return MISSING
        if view == "data" and center_link().read(options) is MISSING:
            return MISSING  # our default: no centre, so the view fits the data
        return view

    def write(value: object, ours: dict) -> dict:
        view = "center" if value is MISSING else value
        if view == "center" and ours.get("center") is None:
            view = "data"  # what our map does without a centre
        return {} if view == "center" else {"defaultView": view}

    return UmapLink(("defaultView",), read, write, APPLIED)


def credits_link() -> UmapLink:
    """uMap's long credit (its caption text) is ours; the short one is read when alone."""

    def read(options: dict) -> object:
        long, short = options.get("longCredit"), options.get("shortCredit")
        if isinstance(long, str) and long:
            return long
        return short if isinstance(short, str) and short else MISSING

    def write(value: object, ours: dict) -> dict:
        return {"longCredit": value} if isinstance(value, str) and value else {}

    return UmapLink(
        ("longCredit", "shortCredit"),
        read,
        write,
        CONVERTED,
        "`longCredit`, else `shortCredit`; written back as `longCredit`",
    )


def licence_link() -> UmapLink:
    def read(options: dict) -> object:
        value = options.get("licence")
        if isinstance(value, dict) and all(
            isinstance(value.get(key, ""), str) for key in ("name", "url")
        ):
            return {"name": value.get("name", ""), "url": value.get("url", "")}
        return MISSING

    def write(value: object, ours: dict) -> dict:
        if isinstance(value, dict) and (value.get("name") or value.get("url")):
            return {"licence": {"name": value["name"], "url": value["url"]}}
        return {}

    return UmapLink(("licence",), read, write, APPLIED)


def slideshow_link() -> UmapLink:
    """uMap's ``slideshow`` (``active``, ``delay`` in milliseconds, ``autoplay``)."""

    def read(options: dict) -> object:
        from wagtail_umap.core.schema.options import SLIDESHOW_DEFAULT

        settings = options.get("slideshow")
        if not isinstance(settings, dict) or not settings:
            return MISSING
        slideshow = dict(SLIDESHOW_DEFAULT)
        if isinstance(settings.get("active"), bool):
            slideshow["enabled"] = settings["active"]
        if isinstance(settings.get("autoplay"), bool):
            slideshow["autoplay"] = settings["autoplay"]
        delay = number(settings.get("delay"))
        if delay is not MISSING:
            seconds = min(60, max(1, delay / 1000))
            slideshow["delay"] = int(seconds) if float(seconds).is_integer() else seconds
        return slideshow

    def write(value: object, ours: dict) -> dict:
        from wagtail_umap.core.schema.options import SLIDESHOW_DEFAULT

        if not isinstance(value, dict) or value == SLIDESHOW_DEFAULT:
            return {}
        delay = value.get("delay", 5) * 1000
        return {
            "slideshow": {
                "active": value.get("enabled", False),
                "delay": int(delay) if float(delay).is_integer() else delay,
                "autoplay": value.get("autoplay", False),
            }
        }

    return UmapLink(
        ("slideshow",),
        read,
        write,
        CONVERTED,
        "`active` → `enabled`, `delay` in milliseconds → seconds, `autoplay`; our `layer` and "
        "`sort_field` have no uMap equivalent",
    )


# --- layer options ---------------------------------------------------------------------------


def popup_layout_link() -> UmapLink:
    """``popupTemplate`` "Table" is our table; ``popupShape`` "Panel" our side panel."""

    def read(options: dict) -> object:
        template, shape = options.get("popupTemplate"), options.get("popupShape")
        if template == "Table":
            return "table"
        if template not in (*EMPTY, "Default"):
            return MISSING  # GeoRSS, OSM, Wikipedia, Route: not drawn here
        if shape == "Panel":
            return "panel"
        return "default" if shape in (*EMPTY, "Default", "Large") else MISSING

    def write(value: object, ours: dict) -> dict:
        return {"table": {"popupTemplate": "Table"}, "panel": {"popupShape": "Panel"}}.get(
            value, {}
        )

    return UmapLink(
        ("popupTemplate", "popupShape"),
        read,
        write,
        CONVERTED,
        '`popupTemplate` "Table" → `table`; `popupShape` "Panel" → `panel`, "Large" → '
        "`default`; the other templates (GeoRSS, OSM, Wikipedia, Route) are kept",
    )


def zoom_link(key: str, legacy: str) -> UmapLink:
    """``fromZoom``/``toZoom``, or ``remoteData.from``/``.to`` in files before uMap 2."""

    def read(options: dict) -> object:
        value = whole(options.get(key))
        if value is MISSING:
            remote = options.get("remoteData")
            value = whole(remote.get(legacy)) if isinstance(remote, dict) else MISSING
        return value if value is not MISSING and 0 <= value <= 22 else MISSING

    def write(value: object, ours: dict) -> dict:
        return {} if value is None or value is MISSING else {key: value}

    return UmapLink(
        (key, f"remoteData.{legacy}"),
        read,
        write,
        APPLIED,
        f"also `remoteData.{legacy}` in older files",
        (f"remoteData.{legacy}",),
    )


# uMap's filter widgets: a choice among values, or a range (numbers or dates by field type).
UMAP_RANGE_TYPES = {"Number": "range", "Date": "date_range", "Datetime": "date_range"}
LEGACY_FACET_TYPES = {
    "number": "range",
    "date": "date_range",
    "datetime": "date_range",
    "radio": "radio",
    "bool": "yes_no",
    "boolean": "yes_no",
}
# uMap's widgets of a choice (its filters' "widget"), and back.
UMAP_CHOICE_WIDGETS = {"Radio": "radio", "Switch": "yes_no"}
CHOICE_WIDGETS = {"category": "Checkbox", "radio": "Radio", "yes_no": "Switch"}
UMAP_FIELD_TYPES = {"range": "Number", "date_range": "Date"}
FILTER_KEYS = ("filters", "fields", "filterKey", "facetKey", "advancedFilterKey")


def filters_from_umap(options: dict) -> list[dict]:
    """Our filters from uMap's ``filters``/``fields``, legacy ``facetKey`` and ``filterKey``."""
    fields = options.get("fields")
    types = {}
    for entry in fields if isinstance(fields, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            types[entry["key"]] = entry.get("type")
    result: list[dict] = []
    filters = options.get("filters")
    for entry in filters if isinstance(filters, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("fieldKey"), str):
            continue
        field, label = entry["fieldKey"], entry.get("label")
        kind = UMAP_CHOICE_WIDGETS.get(entry.get("widget"), "category")
        if entry.get("widget") == "MinMax":
            kind = UMAP_RANGE_TYPES.get(types.get(field), "range")
        _add_filter(result, kind, field, label)
    for name in ("facetKey", "advancedFilterKey"):
        legacy = options.get(name)
        for item in legacy.split(",") if isinstance(legacy, str) else []:
            field, label, widget = (item.split("|") + ["", ""])[:3]
            _add_filter(result, LEGACY_FACET_TYPES.get(widget, "category"), field, label)
    search = options.get("filterKey")
    if isinstance(search, str) and search.strip():
        names = [name.strip() for name in search.split(",") if name.strip()]
        result.append({"type": "search", "fields": names, "label": ""})
    return result


def _add_filter(result: list, kind: str, field: str, label: object) -> None:
    field = field.strip()
    if not field or any(f.get("field") == field and f["type"] == kind for f in result):
        return
    result.append({"type": kind, "field": field, "label": label if isinstance(label, str) else ""})


def filters_to_umap(filters: list) -> dict:
    umap_filters, fields, search = [], [], None
    for entry in filters:
        if entry["type"] == "search":
            search = search or ",".join(entry["fields"])
            continue
        widget = CHOICE_WIDGETS.get(entry["type"], "MinMax")
        item = {"fieldKey": entry["field"], "widget": widget}
        if entry.get("label"):
            item["label"] = entry["label"]
        umap_filters.append(item)
        if entry["type"] in UMAP_FIELD_TYPES:
            fields.append({"key": entry["field"], "type": UMAP_FIELD_TYPES[entry["type"]]})
    result: dict = {}
    if umap_filters:
        result["filters"] = umap_filters
    if fields:
        result["fields"] = fields
    if search:
        result["filterKey"] = search
    return result


def filters_link() -> UmapLink:
    def read(options: dict) -> object:
        return filters_from_umap(options) or MISSING

    def write(value: object, ours: dict) -> dict:
        return filters_to_umap(value) if isinstance(value, list) else {}

    return UmapLink(
        FILTER_KEYS,
        read,
        write,
        CONVERTED,
        "`filters` with `fields` (Checkbox → category, Radio → radio, Switch → yes_no; MinMax "
        "→ range or date_range by the field's type), legacy `facetKey` (`prop|label|type`: "
        "radio, bool, number, date, datetime, else a category), and `filterKey` (a search); "
        "the map's filters go to each layer",
        ("facetKey", "advancedFilterKey"),
    )


# Conditions as uMap writes them: "field=value", "field!=value", "field<value", "field>value";
# uMap looks for the signs in this order and splits on the first it finds.
RULE_SIGNS = ((">", ">"), ("<", "<"), ("&lt;", "<"), ("!=", "!="), ("=", "="))


def parse_condition(condition: object) -> tuple[str, str, str] | None:
    """``(field, operator, value)`` of a uMap condition, or None when uMap cannot read it."""
    if not isinstance(condition, str):
        return None
    for sign, operator in RULE_SIGNS:
        if sign in condition:
            parts = condition.split(sign)
            if len(parts) != 2 or not parts[0]:
                return None
            return parts[0], operator, parts[1]
    return None


def rules_link() -> UmapLink:
    def read(options: dict) -> object:
        from wagtail_umap.core.schema import style_from_umap

        rules = options.get("rules")
        result = []
        for entry in rules if isinstance(rules, list) else []:
            if not isinstance(entry, dict):
                continue
            parsed = parse_condition(entry.get("condition"))
            if parsed is None:
                continue
            field, operator, value = parsed
            settings = entry.get("properties") or entry.get("options")
            style = style_from_umap(settings)[0] if isinstance(settings, dict) else {}
            name = entry.get("name")
            result.append(
                {
                    "field": field,
                    "operator": operator,
                    "value": value,
                    "label": name if isinstance(name, str) else "",
                    "style": style,
                }
            )
        return result or MISSING

    def write(value: object, ours: dict) -> dict:
        from wagtail_umap.core.schema import style_to_umap

        if not value:
            return {}
        rules = []
        for rule in value:
            entry = {"condition": f"{rule['field']}{rule['operator']}{rule['value']}"}
            if rule.get("label"):
                entry["name"] = rule["label"]
            entry["properties"] = style_to_umap(rule.get("style", {}))
            rules.append(entry)
        return {"rules": rules}

    return UmapLink(
        ("rules",),
        read,
        write,
        CONVERTED,
        "each `condition` (`field=value`, `!=`, `<`, `>`) with its `name` and style `properties`",
    )


# --- styles ----------------------------------------------------------------------------------

SHAPE_FROM_ICON = {
    "Default": "pin",
    "Circle": "circle",
    "LargeCircle": "circle",
    "Drop": "drop",
    "Ball": "circle",
    "Raw": "circle",
}
ICON_FROM_SHAPE = {"pin": "Default", "circle": "Circle", "drop": "Drop", "square": "Default"}
# uMap applies iconSize to these shapes only.
SIZED_ICONS = ("LargeCircle", "Raw")


def pictogram_from_icon_url(value: object, max_chars: int = 8) -> object:
    """The text of a uMap iconUrl that is a symbol (an emoji, letters), not a picture's address."""
    if not isinstance(value, str) or not value.strip():
        return MISSING
    if any(mark in value for mark in "/:.") or len(value) > max_chars:
        return MISSING
    return value


def marker_size_link() -> UmapLink:
    """Our ``markerSize`` (uMap keeps it and ignores it: it predates the namespace key, and
    earlier backups hold it), or uMap's ``iconSize``, which uMap applies to large circles and
    raw icons only."""

    def read(options: dict) -> object:
        value = whole(options.get("markerSize"))
        if value is MISSING and options.get("iconClass") in SIZED_ICONS:
            value = whole(options.get("iconSize"))
        return value

    def write(value: object, ours: dict) -> dict:
        return {} if value is MISSING else {"markerSize": value}

    return UmapLink(
        ("markerSize", "iconSize"),
        read,
        write,
        CONVERTED,
        "our `markerSize` (uMap keeps it and ignores it); uMap's `iconSize` of a "
        "`LargeCircle` or `Raw` icon (uMap ignores it for other shapes)",
        quiet=True,
    )


SHOW_LABEL_FROM_UMAP = {True: "always", False: "never", None: "hover"}


def show_label_link() -> UmapLink:
    """``showLabel``: true (always), false (never), null (on hover): null is a value here."""

    def read(options: dict) -> object:
        if "showLabel" not in options:
            return MISSING
        value = options["showLabel"]
        if value is True or value is False or value is None:
            return SHOW_LABEL_FROM_UMAP[value]
        return MISSING

    def write(value: object, ours: dict) -> dict:
        if value is MISSING:
            return {}
        umap = {ours_: theirs for theirs, ours_ in SHOW_LABEL_FROM_UMAP.items()}
        return {"showLabel": umap[value]}

    return UmapLink(
        ("showLabel",), read, write, CONVERTED, "true → always, null → hover, false → never"
    )


# --- representations (uMap's layer "type" and its options) ----------------------------------

UMAP_TYPES = {
    "Cluster": "cluster",
    "Heat": "heat",
    "Choropleth": "choropleth",
    "Categorized": "categorized",
    "Circles": "circles",
}
REPRESENTATION_KEYS = ("type", "cluster", "heat", "choropleth", "categorized", "circles")
UMAP_MODES = {
    "quantiles": "quantiles",
    "equidistant": "equal",
    "jenks": "jenks",
    "manual": "manual",
}
UMAP_SCHEMES = {
    "Blues": "blues",
    "Greens": "greens",
    "Oranges": "oranges",
    "Purples": "purples",
    "Viridis": "viridis",
    "RdBu": "red_blue",
    "BrBG": "brown_teal",
    "PRGn": "purple_green",
}


def _whole_in(value: object, low: int, high: int) -> int | None:
    value = whole(value)
    return value if value is not MISSING and low <= value <= high else None


def _numbers(value: object) -> list:
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    result = []
    for item in items:
        converted = number(item)
        if converted is MISSING:
            return []
        result.append(int(converted) if float(converted).is_integer() else converted)
    return result


def representation_from_umap(options: dict) -> object:
    """Our ``representation`` from uMap's layer ``type`` and its options (MISSING for a plain
    layer or a type we do not draw). Values we cannot read fall back to our defaults."""
    kind = UMAP_TYPES.get(options.get("type")) if _hashable(options.get("type")) else None
    if kind is None:
        return MISSING
    settings = options.get(kind)
    settings = settings if isinstance(settings, dict) else {}
    field = settings.get("property")
    field = field if isinstance(field, str) else ""
    if kind == "cluster":
        radius = _whole_in(settings.get("radius"), 10, 200)
        return {"type": "cluster", **({"radius": radius} if radius else {})}
    if kind == "heat":
        intensity = settings.get("intensityProperty")
        heat = {"type": "heat", "field": intensity if isinstance(intensity, str) else ""}
        radius = _whole_in(settings.get("radius"), 5, 100)
        return {**heat, **({"radius": radius} if radius else {})}
    if kind == "circles":
        radius = settings.get("radius") if isinstance(settings.get("radius"), dict) else {}
        circles = {"type": "circles", "field": field}
        low, high = _whole_in(radius.get("min"), 1, 100), _whole_in(radius.get("max"), 2, 200)
        if low and high and low <= high:
            circles.update(min_radius=low, max_radius=high)
        return circles
    if kind == "categorized":
        categorized = {"type": "categorized", "field": field}
        values = settings.get("categories")
        if settings.get("mode") == "manual" and isinstance(values, str) and values:
            names = list(dict.fromkeys(values.split(",")))[:100]
            categorized["categories"] = [{"value": name} for name in names]
        return categorized
    return _choropleth_from_umap(settings, field)


def _choropleth_from_umap(settings: dict, field: str) -> dict:
    classes = _whole_in(settings.get("classes"), 3, 9) or 5
    mode, brewer = settings.get("mode"), settings.get("brewer")
    choropleth = {
        "type": "choropleth",
        "field": field,
        "method": UMAP_MODES.get(mode, "quantiles") if _hashable(mode) else "quantiles",
        "classes": classes,
        "scheme": UMAP_SCHEMES.get(brewer, "blues") if _hashable(brewer) else "blues",
    }
    if choropleth["method"] == "manual":
        breaks = _numbers(settings.get("breaks"))
        if len(breaks) == classes + 1:  # uMap writes the outer bounds too
            breaks = breaks[1:-1]
        if len(breaks) == classes - 1 and breaks == sorted(set(breaks)):
            choropleth["breaks"] = breaks
        else:
            choropleth["method"] = "quantiles"
    return choropleth


def representation_to_umap(representation: dict, layer: dict) -> dict:
    """uMap's ``type`` and options for our representation; the other settings of the same
    uMap type kept from an import (a colour ramp's ``brewer`` for circles…) stay."""
    kind = representation.get("type", "plain") if isinstance(representation, dict) else "plain"
    if kind == "plain":
        return {}
    kept = layer.get("umap") if isinstance(layer.get("umap"), dict) else {}
    umap_type = next(name for name, ours in UMAP_TYPES.items() if ours == kind)
    settings = dict(kept[kind]) if isinstance(kept.get(kind), dict) else {}
    if kind == "cluster":
        settings["radius"] = representation.get("radius", 60)
    elif kind == "heat":
        settings["radius"] = representation.get("radius", 25)
        if representation.get("field"):
            settings["intensityProperty"] = representation["field"]
        else:
            settings.pop("intensityProperty", None)
    elif kind == "circles":
        settings["property"] = representation.get("field", "")
        settings["radius"] = {
            "min": representation.get("min_radius", 4),
            "max": representation.get("max_radius", 40),
        }
    elif kind == "categorized":
        settings["property"] = representation.get("field", "")
        values = [category["value"] for category in representation.get("categories", [])]
        if values:
            settings["mode"] = "manual"
            settings["categories"] = ",".join(values)
        elif settings.get("mode") == "manual":
            del settings["mode"]
            settings.pop("categories", None)
    else:
        modes = {ours: name for name, ours in UMAP_MODES.items()}
        schemes = {ours: name for name, ours in UMAP_SCHEMES.items()}
        settings["property"] = representation.get("field", "")
        settings["mode"] = modes.get(representation.get("method"), "quantiles")
        settings["classes"] = representation.get("classes", 5)
        settings["brewer"] = schemes.get(representation.get("scheme"), "Blues")
        if representation.get("breaks"):
            settings["breaks"] = ",".join(str(b) for b in representation["breaks"])
        else:
            settings.pop("breaks", None)
    return {"type": umap_type, kind: settings}


def representation_link() -> UmapLink:
    def write(value: object, ours: dict) -> dict:
        return representation_to_umap(value, ours) if isinstance(value, dict) else {}

    return UmapLink(
        REPRESENTATION_KEYS,
        representation_from_umap,
        write,
        CONVERTED,
        keep=True,
        note="`type` (Cluster, Heat, Choropleth, Categorized, Circles) and its options: modes "
        "`quantiles`/`equidistant`/`jenks`/`manual`, the brewer names of our schemes (`Blues`, "
        "`RdBu`…), `circles.radius.min/max`, `heat.intensityProperty`, a manual `categorized` "
        "order; our labels, colours and pictograms of categories and the `unit` have no uMap "
        "equivalent",
    )


# --- overlays and limits (docs/basemaps-and-cache.md) --------------------------------------


def overlay_from_umap(value: object) -> object:
    """uMap's one ``overlay`` ({url_template, opacity…}) as our list, when its tiles are one
    of our overlays; otherwise MISSING (the reader keeps it)."""
    from wagtail_umap.core.overlays import DEFAULT_OPACITY, overlay_for_url

    if not isinstance(value, dict):
        return MISSING
    key = overlay_for_url(value.get("url_template"))
    if key is None:
        return MISSING
    opacity = number(value.get("opacity", DEFAULT_OPACITY))
    if opacity is MISSING or not 0 <= opacity <= 1:
        opacity = DEFAULT_OPACITY
    return [{"id": key, "opacity": opacity, "shown": True}]


def overlay_to_umap(value: object) -> object:
    """Our first overlay that is a preset, as uMap's single ``overlay``."""
    from wagtail_umap.core.overlays import OVERLAY_PRESETS

    for overlay in value if isinstance(value, list) else []:
        preset = OVERLAY_PRESETS.get(overlay.get("id")) if isinstance(overlay, dict) else None
        if preset:
            return {
                "url_template": preset["url"],
                "attribution": re.sub(r"<[^>]+>", "", preset["attribution"]),
                "opacity": overlay.get("opacity", 1),
                "minZoom": preset["min_zoom"],
                "maxZoom": preset["max_zoom"],
            }
    return MISSING


def bounds_from_umap(value: object) -> object:
    """uMap's ``limitBounds`` ({south, west, north, east}, numbers or numeric text)."""
    from wagtail_umap.core.validation_basemaps import clean_bounds

    if not isinstance(value, dict):
        return MISSING
    numbers = {key: number(value.get(key)) for key in ("south", "west", "north", "east")}
    if MISSING in numbers.values():
        return MISSING
    return clean_bounds(numbers) or MISSING


def remote_from_umap(value: object) -> object:
    """uMap's ``remoteData`` ({url, format, ttl, dynamic, proxy…}) as our ``remote_data``:
    its address and format, ``ttl`` (seconds) as the nearest refresh period at least as long."""
    from wagtail_umap.core.schema.options import REFRESH_CHOICES, REFRESH_DEFAULT, REMOTE_FORMATS

    if not isinstance(value, dict):
        return MISSING
    url, fmt = value.get("url"), value.get("format") or "geojson"
    if not (isinstance(url, str) and url.lower().startswith(("https://", "http://"))):
        return MISSING
    if fmt not in REMOTE_FORMATS:
        return MISSING
    ttl = whole(value.get("ttl"))
    refresh = REFRESH_DEFAULT
    if ttl is not MISSING and ttl > 0:
        longer = [choice for choice in REFRESH_CHOICES if choice >= ttl]
        refresh = longer[0] if longer else REFRESH_CHOICES[-1]
    return {"url": url, "format": fmt, "refresh": refresh}


def remote_to_umap(value: object) -> object:
    if not isinstance(value, dict) or not value.get("url"):
        return MISSING
    written = {"url": value["url"], "format": value.get("format", "geojson")}
    if value.get("refresh"):
        written["ttl"] = value["refresh"]
    return written
