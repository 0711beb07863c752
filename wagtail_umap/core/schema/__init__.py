"""The one declaration of every option of the map document (pure Python, no Django).

``OPTIONS`` (in ``options.py``) lists each option once: key, type, default, bounds or
choices, English label and help text (marked for translation), uMap equivalent with the
conversion each way, inheritance map → layer → feature. Everything else reads it:

- ``core.validation`` and ``core.validation_viz`` check documents against it;
- ``core.document`` takes its constants and defaults from it;
- ``formats.umap`` reads and writes ``.umap`` files with its uMap links;
- ``viewer_defaults()`` and ``editor_fields()`` give the browser side its defaults and its
  field descriptions, as plain data;
- ``core.schema_docs`` writes the option tables of docs/map-document.md and docs/formats.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from wagtail_umap.core.schema.model import (
    APPLIED,
    CONVERTED,
    KEPT,
    MISSING,
    NOT_SUPPORTED,
    SCOPES,
    TYPES,
    Option,
    UmapLink,
)
from wagtail_umap.core.schema.options import (
    DEFAULT_BASEMAP,
    DOCUMENT_VERSION,
    INHERITED_BY_LAYERS_AT_IMPORT,
    OPTIONS,
    REPRESENTATION_TYPES,
    SLIDESHOW_DEFAULT,
)

__all__ = [
    "APPLIED",
    "CONVERTED",
    "DEFAULT_BASEMAP",
    "DOCUMENT_VERSION",
    "INHERITED_BY_LAYERS_AT_IMPORT",
    "KEPT",
    "MISSING",
    "NOT_SUPPORTED",
    "OPTIONS",
    "REPRESENTATION_TYPES",
    "SCOPES",
    "SLIDESHOW_DEFAULT",
    "TYPES",
    "Option",
    "UmapLink",
    "editor_fields",
    "keys",
    "option",
    "options_in",
    "resolve_style",
    "rule_matches",
    "style_from_umap",
    "style_to_umap",
    "viewer_defaults",
]


# --- looking options up ----------------------------------------------------------------------


@cache
def options_in(scope: str, representation: str | None = None) -> tuple[Option, ...]:
    """The options of ``scope`` in declared order; for "representation", those of one type
    (``type`` itself included)."""
    found = tuple(item for item in OPTIONS if item.scope == scope)
    if representation is not None:
        found = tuple(
            item
            for item in found
            if not item.representations or representation in item.representations
        )
    return found


@cache
def option(scope: str, key: str, representation: str | None = None) -> Option:
    for item in options_in(scope, representation):
        if item.key == key:
            return item
    raise KeyError(f"{scope}.{key}")


@cache
def keys(scope: str, *, sparse: bool = True) -> tuple[str, ...]:
    """The keys of ``scope``, each once, in declared order (``sparse=False``: only those the
    full form always holds)."""
    return tuple(dict.fromkeys(item.key for item in options_in(scope) if sparse or not item.sparse))


# --- uMap styles -----------------------------------------------------------------------------


def style_from_umap(umap_options: dict) -> tuple[dict, dict]:
    """``(style, unusable)``: our style from uMap options (a map's, a layer's, a feature's, a
    rule's), and the uMap values that name a style we cannot show (``{uMap key: value}``).

    Each value is checked as validation would; an unusable one never fails an import.
    """
    from wagtail_umap.core.errors import Location, MapDocumentError
    from wagtail_umap.core.validation import validate_style

    style: dict = {}
    unusable: dict = {}
    for item in options_in("style"):
        link = item.umap
        value = link.read(umap_options)
        primary = link.keys[0]
        if value is MISSING:
            if umap_options.get(primary) not in (None, "") and not link.quiet:
                unusable[primary] = umap_options[primary]
            continue
        try:
            style.update(validate_style({item.key: value}, Location()))
        except MapDocumentError:
            unusable[primary] = umap_options.get(primary)
    return style, unusable


def style_to_umap(style: dict) -> dict:
    """uMap's options for our style (keys uMap does not know are left out)."""
    result: dict = {}
    for item in options_in("style"):
        if item.key in style:
            result.update(item.umap.write(style[item.key], style))
    return result


# --- what the browser side needs -------------------------------------------------------------

_BROWSER_TYPES = frozenset(TYPES) - {"object", "list", "json"}


def viewer_defaults() -> dict:
    """The value each option takes when a document leaves it out, by scope, as JSON data for
    the viewer's configuration: ``{"map": {...}, "controls": {...}, "style": {...},
    "representation": {"cluster": {...}, ...}, ...}``."""
    defaults: dict = {}
    for item in OPTIONS:
        if item.type not in _BROWSER_TYPES or item.scope in ("document", "data"):
            continue
        if item.scope == "representation" and item.key != "type":
            for kind in item.representations:
                defaults.setdefault("representation", {}).setdefault(kind, {})[item.key] = (
                    item.default
                )
            continue
        defaults.setdefault(item.scope, {})[item.key] = item.default
    return defaults


def editor_fields(scope: str | None = None, *, translate: Callable[[str], str] = str) -> list[dict]:
    """The fields an editor sets, as plain data: key, type, label, help, default, bounds,
    choices… (``translate``: the active language's gettext, to send translated labels)."""
    fields = []
    for item in OPTIONS:
        if not item.editor or item.type == "json" or (scope and item.scope != scope):
            continue
        labels = item.choice_labels or (None,) * len(item.choices)
        field = {
            "scope": item.scope,
            "key": item.key,
            "name": item.name,
            "type": item.type,
            "label": translate(item.label),
            "help": translate(item.help) if item.help else "",
            "default": item.default,
            "nullable": item.nullable,
            "required": item.required,
            "inherits": item.inherits,
        }
        for attribute in ("min", "max", "step", "max_length", "pattern", "of"):
            if getattr(item, attribute) is not None:
                field[attribute] = getattr(item, attribute)
        if item.unit:
            field["unit"] = translate(item.unit)
        if item.choices:
            field["choices"] = [
                {"value": value, "label": translate(label) if label else str(value)}
                for value, label in zip(item.choices, labels, strict=True)
            ]
        if item.representations:
            field["representations"] = list(item.representations)
        fields.append(field)
    return fields


# --- inheritance and conditional styles ------------------------------------------------------


def resolve_style(map_options: dict, layer: dict, properties: dict | None = None) -> dict:
    """The style a feature is drawn with, each inheritable key resolved as uMap does: the
    feature's own ``_style``, then the layer's rules that match (the first that sets the
    key), the layer's style, the map's rules that match, the map's style, the default.
    Without ``properties``: the layer's style over the map's."""
    properties = properties or {}
    sources = [
        properties.get("_style"),
        *_matching_styles(layer.get("rules"), properties),
        layer.get("style"),
        *_matching_styles(map_options.get("rules"), properties),
        map_options.get("style"),
    ]
    resolved = {}
    for item in options_in("style"):
        for source in sources:
            if isinstance(source, dict) and item.key in source:
                resolved[item.key] = source[item.key]
                break
        else:
            resolved[item.key] = item.default
    return resolved


def _matching_styles(rules: object, properties: dict) -> list[dict]:
    """The styles of the rules that match, in order."""
    if not properties or not isinstance(rules, list):
        return []
    return [rule.get("style") or {} for rule in rules if rule_matches(rule, properties)]


def rule_matches(rule: dict, properties: dict) -> bool:
    """Whether a feature's properties match a rule's condition.

    ``=`` and ``!=`` compare as numbers when both sides are numbers ("6.0" = 6), else as text;
    an empty value matches a missing or empty property. ``<`` and ``>`` compare numbers, or
    text (ISO dates order as text) when either side is not a number; a missing property
    matches neither.
    """
    from wagtail_umap.core.classify import as_number

    operator, expected = rule.get("operator", "="), rule.get("value", "")
    actual = properties.get(rule.get("field", ""))
    if operator in ("=", "!="):
        if expected == "":
            equal = actual in (None, "")
        else:
            left, right = as_number(actual), as_number(expected)
            if left is not None and right is not None and not isinstance(actual, bool):
                equal = math.isclose(left, right, rel_tol=0, abs_tol=1e-12)
            else:
                equal = _as_text(actual) == expected
        return equal if operator == "=" else not equal
    if actual is None or actual == "":
        return False
    left, right = as_number(actual), as_number(expected)
    if left is None or right is None or isinstance(actual, bool):
        left, right = _as_text(actual), expected
    return left < right if operator == "<" else left > right


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
