"""Validation of the data-visualisation keys of the map document (pure Python, no Django).

Layer ``representation``, ``min_zoom``/``max_zoom``, ``filters``, ``popup_layout``; the map's
``options.slideshow``; a feature's ``_media``. ``validation.py`` calls these functions; each
returns the cleaned value in full form (defaults filled) and reports issues with a location.
The schema is in docs/map-document.md.
"""

from __future__ import annotations

import itertools

from wagtail_umap.core import classify, schema
from wagtail_umap.core import messages as m
from wagtail_umap.core.document import MARKER_SHAPES
from wagtail_umap.core.errors import IssueCollector, Location, shown
from wagtail_umap.core.sanitize import clean_description
from wagtail_umap.core.schema import Option

# The constants of the first release, read from the schema (their names stay importable).
REPRESENTATION_TYPES = schema.option("representation", "type").choices
POPUP_LAYOUTS = schema.option("layer", "popup_layout").choices
FILTER_TYPES = schema.option("filter", "type").choices
MAX_FILTERS = schema.option("layer", "filters").max_length
MAX_CATEGORIES = schema.option("representation", "categories", "categorized").max_length
MAX_RULES = schema.option("layer", "rules").max_length
FIELD_MAX = schema.option("filter", "field").max_length  # a property name
LABEL_MAX = schema.option("filter", "label").max_length
UNIT_MAX = schema.option("representation", "unit", "choropleth").max_length
PICTOGRAM_MAX = schema.option("category", "pictogram").max_length
URL_MAX = schema.option("media", "video").max_length
_NUMBER_TYPES = ("integer", "number")
_SETTINGS = {
    kind: tuple(
        item
        for item in schema.options_in("representation", kind)
        if item.key != "type" and item.type != "list"
    )
    for kind in REPRESENTATION_TYPES
}
# Number settings of each representation: (low, high, default, whole numbers only).
NUMBER_SETTINGS = {
    kind: {
        item.key: (item.min, item.max, item.default, item.type == "integer")
        for item in settings
        if item.type in _NUMBER_TYPES
    }
    for kind, settings in _SETTINGS.items()
    if any(item.type in _NUMBER_TYPES for item in settings)
}
# Text settings: (default, character limit, one of these values or None).
TEXT_SETTINGS = {
    kind: {
        item.key: (item.default, item.max_length, item.choices or None)
        for item in settings
        if item.type not in _NUMBER_TYPES
    }
    for kind, settings in _SETTINGS.items()
    if any(item.type not in _NUMBER_TYPES for item in settings)
}
NEEDS_FIELD = ("choropleth", "categorized", "circles")
OTHER_KEYS = {
    kind: tuple(
        item.key for item in schema.options_in("representation", kind) if item.type == "list"
    )
    for kind in REPRESENTATION_TYPES
    if any(item.type == "list" for item in schema.options_in("representation", kind))
}
CATEGORY_KEYS = schema.keys("category")
SLIDESHOW_DEFAULTS = dict(schema.SLIDESHOW_DEFAULT)
MEDIA_KEYS = schema.keys("media")
RULE_KEYS = schema.keys("rule")
# The transcript of a feature's audio or video (RGAA 4.1): text, or HTML cleaned by the
# allowlist of descriptions.
TRANSCRIPT_MAX = schema.option("media", "transcript").max_length


def default_representation() -> dict:
    return {"type": "plain"}


# --- layer keys ----------------------------------------------------------------------------


def representation(value: object, where: Location, issues: IssueCollector) -> dict:
    """The cleaned ``representation`` of a layer, every setting of its type filled in."""
    if value is None:
        return default_representation()
    raw = _object(value, "representation", where, issues)
    kind = raw.get("type", "plain")
    if kind not in REPRESENTATION_TYPES:
        issues.add(
            m.BAD_CHOICE,
            where,
            field="representation.type",
            value=shown(kind),
            choices=", ".join(REPRESENTATION_TYPES),
        )
        return default_representation()
    known = [item.key for item in schema.options_in("representation", kind)]
    for key in raw:
        if key not in known:
            issues.add(m.UNKNOWN_KEY, where, key=key, field="representation")
    cleaned: dict[str, object] = {"type": kind}
    # Numbers first, then texts and choices (the order messages have always come in).
    settings = sorted(_SETTINGS[kind], key=lambda item: item.type not in _NUMBER_TYPES)
    for item in settings:
        cleaned[item.key] = _setting(item, raw.get(item.key, item.default), where, issues)
    if kind in NEEDS_FIELD and not cleaned["field"]:
        issues.add(m.REPRESENTATION_NEEDS_FIELD, where, kind=kind)
    if kind == "choropleth":
        cleaned["breaks"] = _manual_breaks(raw, cleaned, where, issues)
    elif kind == "categorized":
        cleaned["categories"] = _categories(raw.get("categories", []), where, issues)
    elif kind == "circles" and cleaned["min_radius"] > cleaned["max_radius"]:
        issues.add(m.RADIUS_ORDER, where, min=cleaned["min_radius"], max=cleaned["max_radius"])
    return cleaned


def _setting(item: Option, value: object, where: Location, issues: IssueCollector) -> object:
    """A representation setting: a number in its range, or text (one of its choices)."""
    if item.type in _NUMBER_TYPES:
        whole = item.type == "integer"
        return _number(value, item.shown_name, item.min, item.max, whole, where, issues)
    choices = item.choices or None
    return _choice_or_text(value, item.shown_name, item.max_length, choices, where, issues)


def _manual_breaks(raw: dict, cleaned: dict, where: Location, issues: IssueCollector) -> list:
    breaks = _list(raw.get("breaks", []), "representation.breaks", where, issues)
    if cleaned["method"] != "manual":
        return []  # breaks only mean something for manual classes
    expected = cleaned["classes"] - 1
    numbers = [classify.as_number(b) if not isinstance(b, str) else None for b in breaks]
    ascending = None not in numbers and all(a < b for a, b in itertools.pairwise(numbers))
    if len(numbers) != expected or not ascending:
        issues.add(m.BAD_MANUAL_BREAKS, where, expected=expected, value=shown(breaks))
        return []
    return [int(n) if float(n).is_integer() else n for n in numbers]


def _categories(value: object, where: Location, issues: IssueCollector) -> list[dict]:
    raw = _list(value, "representation.categories", where, issues)
    if len(raw) > MAX_CATEGORIES:
        issues.add(
            m.TOO_MANY_ITEMS,
            where,
            field="representation.categories",
            value=len(raw),
            limit=MAX_CATEGORIES,
        )
        return []
    cleaned, seen = [], set()
    for position, item in enumerate(raw, start=1):
        field = f"representation.categories[{position}]"
        entry = _object(item, field, where, issues)
        if not entry:
            continue
        for key in entry:
            if key not in CATEGORY_KEYS:
                issues.add(m.UNKNOWN_KEY, where, key=key, field=field)
        category = _category(entry, field, where, issues)
        if category["value"] in seen:
            issues.add(m.DUPLICATE_CATEGORY, where, value=shown(category["value"]))
        seen.add(category["value"])
        cleaned.append(category)
    return cleaned


def _category(entry: dict, field: str, where: Location, issues: IssueCollector) -> dict:
    from wagtail_umap.core.validation import is_css_colour  # validation imports this module

    value = entry.get("value", "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    value = _text(value, field + ".value", LABEL_MAX, where, issues)
    colour = entry.get("color", "")
    if colour != "" and not is_css_colour(colour):
        issues.add(m.BAD_COLOUR, where, key=field + ".color", value=shown(colour))
        colour = ""
    shape = entry.get("marker_shape", "")
    if shape != "" and shape not in MARKER_SHAPES:
        issues.add(m.BAD_MARKER_SHAPE, where, value=shown(shape), choices=", ".join(MARKER_SHAPES))
        shape = ""
    label = schema.option("category", "label")
    pictogram = schema.option("category", "pictogram")
    return {
        "value": value,
        "label": _text(entry.get("label", ""), field + ".label", label.max_length, where, issues),
        "color": colour,  # "": the automatic palette's colour
        "marker_shape": shape,  # "": the automatic shape
        "pictogram": _text(
            entry.get("pictogram", ""), field + ".pictogram", pictogram.max_length, where, issues
        ),
    }


def zoom_range(layer: dict, where: Location, issues: IssueCollector) -> dict:
    """``{"min_zoom": …, "max_zoom": …}``: whole numbers 0..22 or null, min ≤ max."""
    zooms = {}
    for key in ("min_zoom", "max_zoom"):
        item = schema.option("layer", key)
        value = layer.get(key)
        if value is not None and not (_is_integer(value) and item.min <= value <= item.max):
            issues.add(item.message, where, field=key, value=shown(value))
            value = None
        zooms[key] = value
    low, high = zooms["min_zoom"], zooms["max_zoom"]
    if low is not None and high is not None and low > high:
        issues.add(m.ZOOM_ORDER, where, min=low, max=high)
    return zooms


def filters(value: object, where: Location, issues: IssueCollector) -> list[dict]:
    raw = _list(value if value is not None else [], "filters", where, issues)
    if len(raw) > MAX_FILTERS:
        issues.add(m.TOO_MANY_ITEMS, where, field="filters", value=len(raw), limit=MAX_FILTERS)
        return []
    cleaned = []
    for position, item in enumerate(raw, start=1):
        field = f"filters[{position}]"
        entry = _object(item, field, where, issues)
        if not entry:
            continue
        kind = entry.get("type")
        if kind not in FILTER_TYPES:
            issues.add(
                m.BAD_CHOICE,
                where,
                field=field + ".type",
                value=shown(kind),
                choices=", ".join(FILTER_TYPES),
            )
            continue
        names = ("type", "fields" if kind == "search" else "field", "label")
        for key in entry:
            if key not in names:
                issues.add(m.UNKNOWN_KEY, where, key=key, field=field)
        result = {"type": kind}
        if kind == "search":
            fields = _list(entry.get("fields", []), field + ".fields", where, issues)
            result["fields"] = [
                _text(name, field + ".fields", FIELD_MAX, where, issues) for name in fields
            ]
            if not any(result["fields"]):
                issues.add(m.FILTER_NEEDS_FIELD, where, field=field)
        else:
            result["field"] = _text(
                entry.get("field", ""), field + ".field", FIELD_MAX, where, issues
            )
            if not result["field"]:
                issues.add(m.FILTER_NEEDS_FIELD, where, field=field)
        result["label"] = _text(entry.get("label", ""), field + ".label", LABEL_MAX, where, issues)
        cleaned.append(result)
    return cleaned


def popup_layout(value: object, where: Location, issues: IssueCollector) -> str:
    if value in POPUP_LAYOUTS:
        return value
    issues.add(
        m.BAD_CHOICE,
        where,
        field="popup_layout",
        value=shown(value),
        choices=", ".join(POPUP_LAYOUTS),
    )
    return "default"


def rules(value: object, where: Location, issues: IssueCollector) -> list[dict]:
    """Conditional styles (a layer's or the map's ``rules``): each ``{"field", "operator",
    "value", "label", "style"}``, defaults filled; for each style key, the first matching
    rule that sets it wins (``schema.resolve_style``)."""
    from wagtail_umap.core.validation import _style, check_value  # it imports this module

    raw = _list(value if value is not None else [], "rules", where, issues)
    if len(raw) > MAX_RULES:
        issues.add(m.TOO_MANY_ITEMS, where, field="rules", value=len(raw), limit=MAX_RULES)
        return []
    cleaned = []
    for position, item in enumerate(raw, start=1):
        field = f"rules[{position}]"
        if not isinstance(item, dict):
            _object(item, field, where, issues)
            continue
        entry = item
        for key in entry:
            if key not in RULE_KEYS:
                issues.add(m.UNKNOWN_KEY, where, key=key, field=field)
        rule: dict[str, object] = {}
        for option in schema.options_in("rule"):
            name = f"{field}.{option.key}"
            raw_value = entry.get(option.key, option.default)
            if option.key == "style":
                detail = f"{where.detail}.{name}" if where.detail else name
                at = Location(layer=where.layer, layer_name=where.layer_name, detail=detail)
                rule["style"] = _style(raw_value if raw_value is not None else {}, name, at, issues)
                continue
            if option.key == "value" and _is_number(raw_value):
                raw_value = _number_text(raw_value)
            if option.key == "field" and raw_value in (None, ""):
                issues.add(option.message, where, field=field)
                rule["field"] = ""
                continue
            rule[option.key] = check_value(option, raw_value, where, issues, name)
        cleaned.append(rule)
    return cleaned


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_text(value: float) -> str:
    """A number as a rule compares it: 6, not 6.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


# --- map options ---------------------------------------------------------------------------


def slideshow(value: object, layer_ids: set[str], issues: IssueCollector) -> dict:
    """The cleaned ``options.slideshow``; its ``layer`` must be one of ``layer_ids``."""
    where = Location()
    raw = _object(value if value is not None else {}, "slideshow", where, issues)
    for key in raw:
        if key not in SLIDESHOW_DEFAULTS:
            issues.add(m.UNKNOWN_KEY, where, key=key, field="slideshow")
    from wagtail_umap.core.validation import check_value  # validation imports this module

    cleaned = dict(SLIDESHOW_DEFAULTS)
    for item in schema.options_in("slideshow"):
        value = raw.get(item.key, item.default)
        if item.key == "layer":
            if value is not None and (not isinstance(value, str) or value not in layer_ids):
                issues.add(item.message, where, value=shown(value))
                value = None
            cleaned[item.key] = value
        elif item.type == "text":
            cleaned[item.key] = _text(value, item.shown_name, item.max_length, where, issues)
        elif item.type == "number":
            whole = False
            cleaned[item.key] = _number(
                value, item.shown_name, item.min, item.max, whole, where, issues
            )
        else:
            cleaned[item.key] = check_value(item, value, where, issues)
    return cleaned


# --- features ------------------------------------------------------------------------------


def media(value: object, where: Location, issues: IssueCollector) -> dict:
    """A feature's ``_media``: an image and an audio document by id, a video by address, the
    transcript of the audio or video."""
    raw = _object(value, "properties._media", where, issues)
    cleaned: dict[str, object] = {}
    for key, item in raw.items():
        field = "properties._media." + key
        if key not in MEDIA_KEYS:
            issues.add(m.UNKNOWN_KEY, where, key=key, field="properties._media")
        elif key == "transcript":
            text = _text(item, field, TRANSCRIPT_MAX, where, issues)
            if text.strip():
                cleaned[key] = clean_description(text)
        elif key == "video":
            url = _text(item, field, URL_MAX, where, issues)
            if url and not url.lower().startswith("https://"):
                issues.add(m.BAD_VIDEO_URL, where, value=shown(url))
            elif url:
                cleaned[key] = url
        else:
            declared = schema.option("media", key).extra
            text_key, limit = declared["text_key"], declared["text_max"]
            entry = _object(item, field, where, issues)
            for name in entry:
                if name not in ("id", text_key):
                    issues.add(m.UNKNOWN_KEY, where, key=name, field=field)
            pk = entry.get("id")
            if not (_is_integer(pk) and pk > 0):
                issues.add(m.BAD_MEDIA_ID, where, field=field + ".id", value=shown(pk))
                continue
            text = _text(entry.get(text_key, ""), f"{field}.{text_key}", limit, where, issues)
            cleaned[key] = {"id": pk, text_key: text}
    return cleaned


# --- small helpers -------------------------------------------------------------------------


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(
    value: object,
    field: str,
    low: float,
    high: float,
    whole: bool,
    where: Location,
    issues: IssueCollector,
) -> float:
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    good = number is not None and low <= number <= high  # also refuses NaN and infinities
    if good and whole and not float(number).is_integer():
        good = False
    if not good:
        template = m.WHOLE_NUMBER_RANGE if whole else m.NUMBER_RANGE
        issues.add(template, where, field=field, min=low, max=high, value=shown(value))
        return low
    return int(number) if whole else number


def _choice_or_text(
    value: object,
    field: str,
    limit: int,
    choices: tuple | None,
    where: Location,
    issues: IssueCollector,
) -> str:
    if choices is not None and value not in choices:
        issues.add(m.BAD_CHOICE, where, field=field, value=shown(value), choices=", ".join(choices))
        return choices[0]
    return _text(value, field, limit, where, issues)


def _text(value: object, field: str, limit: int, where: Location, issues: IssueCollector) -> str:
    if not isinstance(value, str):
        issues.add(m.NOT_TEXT, where, field=field, value=shown(value, limit=40))
        return ""
    if len(value) > limit:
        issues.add(m.TEXT_TOO_LONG, where, field=field, value=len(value), limit=limit)
        return value[:limit]
    return value


def _object(value: object, field: str, where: Location, issues: IssueCollector) -> dict:
    if isinstance(value, dict):
        return value
    issues.add(m.NOT_OBJECT, where, field=field, value=shown(value, limit=40))
    return {}


def _list(value: object, field: str, where: Location, issues: IssueCollector) -> list:
    if isinstance(value, list | tuple):
        return list(value)
    issues.add(m.NOT_LIST, where, field=field, value=shown(value, limit=40))
    return []


# The layer keys this module validates (the viewer copies them from the document).
VIZ_LAYER_KEYS = ("representation", "min_zoom", "max_zoom", "filters", "popup_layout")
