"""Validation of the map's basemap choice, overlays and limits (pure Python, no Django).

``options.basemap_choice``: keys of the site's basemaps a visitor may switch to; ``overlays``:
``[{"id", "opacity", "shown"}]`` of the site's overlays; ``limit_bounds``: the box the visitor
cannot leave (uMap's ``limitBounds``). Keys are checked for their shape only: whether the site
offers them is the viewer's business (an overlay an administrator removed is skipped there).
"""

from __future__ import annotations

import math
import re

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import IssueCollector, Location, shown
from wagtail_umap.core.overlays import DEFAULT_OPACITY
from wagtail_umap.core.schema.options import BASEMAP_PATTERN

KEY_RE = re.compile(BASEMAP_PATTERN)
MAX_CHOICES = 20
BOUND_KEYS = ("south", "west", "north", "east")
WHERE = Location(detail="options")


def _keys(value: object, field: str, issues: IssueCollector) -> list[str]:
    if not isinstance(value, list):
        issues.add(m.NOT_LIST, WHERE, field=field, value=shown(value))
        return []
    if len(value) > MAX_CHOICES:
        issues.add(m.TOO_MANY_ITEMS, WHERE, field=field, value=len(value), limit=MAX_CHOICES)
        return []
    keys: list[str] = []
    for key in value:
        if not (isinstance(key, str) and KEY_RE.fullmatch(key)):
            issues.add(m.BAD_BASEMAP, WHERE, value=shown(key))
        elif key not in keys:
            keys.append(key)
    return keys


def basemap_choice(item, options: dict, issues: IssueCollector) -> list[str]:
    """The basemaps a visitor may switch to (the map's own basemap is always among them)."""
    return _keys(options.get(item.key, []), "basemap_choice", issues)


def overlays(item, options: dict, issues: IssueCollector) -> list[dict]:
    value = options.get(item.key, [])
    if not isinstance(value, list):
        issues.add(m.NOT_LIST, WHERE, field="overlays", value=shown(value))
        return []
    if len(value) > MAX_CHOICES:
        issues.add(m.TOO_MANY_ITEMS, WHERE, field="overlays", value=len(value), limit=MAX_CHOICES)
        return []
    cleaned: list[dict] = []
    for position, overlay in enumerate(value, start=1):
        field = f"overlays[{position}]"
        if not isinstance(overlay, dict):
            issues.add(m.NOT_OBJECT, WHERE, field=field, value=shown(overlay))
            continue
        for key in overlay:
            if key not in ("id", "opacity", "shown"):
                issues.add(m.UNKNOWN_KEY, WHERE, key=key, field=field)
        key = overlay.get("id")
        if not (isinstance(key, str) and KEY_RE.fullmatch(key)):
            issues.add(m.BAD_BASEMAP, WHERE, value=shown(key))
            continue
        opacity = overlay.get("opacity", DEFAULT_OPACITY)
        if not _number(opacity) or not 0 <= opacity <= 1:
            issues.add(
                m.NUMBER_RANGE, WHERE, field=field + ".opacity", min=0, max=1, value=shown(opacity)
            )
            opacity = DEFAULT_OPACITY
        shown_on_load = overlay.get("shown", True)
        if not isinstance(shown_on_load, bool):
            issues.add(m.NOT_BOOLEAN, WHERE, field=field + ".shown", value=shown(shown_on_load))
            shown_on_load = True
        if all(other["id"] != key for other in cleaned):
            cleaned.append({"id": key, "opacity": round(opacity, 2), "shown": shown_on_load})
    return cleaned


def limit_bounds(item, options: dict, issues: IssueCollector) -> dict | None:
    value = options.get(item.key)
    if value is None:
        return None
    bounds = clean_bounds(value)
    if bounds is None:
        issues.add(m.BAD_BOUNDS, WHERE)
    return bounds


def clean_bounds(value: object) -> dict | None:
    """``{"south", "west", "north", "east"}`` rounded to 6 decimals, or None when it is not a
    box on the globe."""
    if not isinstance(value, dict) or set(value) != set(BOUND_KEYS):
        return None
    if not all(_number(value[key]) for key in BOUND_KEYS):
        return None
    south, west, north, east = (round(float(value[key]), 6) for key in BOUND_KEYS)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        return None
    return {"south": south, "west": west, "north": north, "east": east}


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
