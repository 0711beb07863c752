"""The library's pictograms for the viewer: the sprite's address and the names (text
alternatives) of the pictograms a map uses, in the page's language (core/pictograms.py)."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils.translation import get_language

from wagtail_umap.core.pictograms import BY_NAME

SPRITE = "wagtail_umap/vendor/maki/pictograms.svg"


def sprite_url() -> str:
    return static(SPRITE)


def icon_view_url() -> str:
    """Where an editor's own icon is served (``viewer/icons.py``), "" on a site that did not
    include wagtail_umap.urls."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("wagtail_umap:marker_icon")
    except NoReverseMatch:
        return ""


def used_names(*values: Any) -> set[str]:
    """The pictograms named by an ``icon`` key anywhere in ``values`` (styles, rules,
    features' ``_style``)."""
    found: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            icon = value.get("icon")
            if isinstance(icon, str) and icon in BY_NAME:
                found.add(icon)
            stack.extend(item for item in value.values() if isinstance(item, dict | list))
        elif isinstance(value, list):
            stack.extend(item for item in value if isinstance(item, dict | list))
    return found


def pictogram_names(viewer_map: Any) -> dict[str, str]:
    """``{name: text alternative}`` of the pictograms the map's styles use (its inline
    features' included), in the page's language."""
    language = get_language() or "fr"
    values: list = [viewer_map.umap_options]
    for layer in viewer_map.layers:
        values.append(layer.style)
        values.append(layer.viz)
        values.extend((feature.get("properties") or {}).get("_style") for feature in layer.features)
    return {name: BY_NAME[name].label(language) for name in sorted(used_names(*values))}
