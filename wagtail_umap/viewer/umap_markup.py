"""uMap's options applied by the public viewer: feature names from ``label_key``, popup markup
rendered on the server (``core.markup.render_popup``), the map's default style and rules.

The popup HTML is allowlisted by the renderer (tested with hypothesis in tests/core) and
copied again node by node by the script (``js/viewer/markup.js``), never through innerHTML.
Images show only from hosts the site's Content Security Policy ``img-src`` allows; any other
image becomes a link to its address (docs/viewer.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from wagtail_umap.core.markup import feature_name as markup_feature_name
from wagtail_umap.core.markup import render_popup
from wagtail_umap.csp import csp_img_sources, source_allows
from wagtail_umap.viewer.viz import value_text

# Layer keys of the map document the viewer reads besides VIZ_LAYER_KEYS.
UMAP_LAYER_KEYS = ("label_key", "rules")
RULE_OPERATORS = frozenset({"=", "!=", "<", ">"})
SHOW_LABEL = frozenset({"never", "always", "hover"})
LABEL_DIRECTIONS = frozenset({"auto", "left", "right", "top", "bottom"})
DEFAULT_VIEWS = frozenset({"center", "data", "latest", "locate"})

# Beyond this many features (a large layer inlined in a preview), popups are not rendered in
# advance: the script fills the template as text, as for a layer loaded from its data URL.
POPUP_HTML_MAX_FEATURES = 5000

# A description written in uMap's markup (not HTML, not plain text): rendered as a template.
MARKUP_HINT = re.compile(
    r"^#{1,3}[ \t]|\*\*|\[\[|\{\{|^-{3,}[ \t]*$|(?<!\*)\*[^*\s][^*\n]*\*", re.M
)
HEADING_TAG_RE = re.compile(r"<(/?)h([3-6])>")
EMPTY_HEADING_RE = re.compile(r"<h([3-6])>(?:\s|<br>)*</h\1>")
HTML_HINT = re.compile(r"<[A-Za-z/!]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def image_hosts_allowed() -> Callable[[str], bool] | None:
    """Whether an image host may show in a popup: only when the site sends a CSP whose
    ``img-src`` (or ``default-src``) allows ``https://<host>/`` in every policy. A site with no
    CSP gets None (no host): no request leaves the site because of a popup."""
    policies = csp_img_sources()
    if not policies:
        return None

    def allowed(host: str) -> bool:
        url = f"https://{host}/"
        return all(
            any(source_allows(source, url) for source in sources if source.strip() != "*")
            for sources in policies
        )

    return allowed


def feature_label(feature: dict, label_key: str | None) -> str:
    """The feature's name as uMap's ``labelKey`` gives it, "" when it has none."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return markup_feature_name(properties or {}, label_key or "")


def popup_source(template: str, properties: dict) -> str:
    """What the popup renders: the layer's template, else a description written in uMap's
    markup; "" when neither (the plain or HTML description keeps its own path)."""
    if template:
        return template
    description = properties.get("description")
    markup = isinstance(description, str) and MARKUP_HINT.search(description)
    if markup and not HTML_HINT.search(description):
        return description
    return ""


def popup_html(
    template: str,
    properties: dict,
    *,
    heading_level: int,
    hosts: Callable[[str], bool] | None,
    name: str = "",
) -> str:
    """The popup's HTML; a first heading that only repeats the feature's ``name`` (uMap's
    "# {nom}") is left out, since the popup's title and the list already show the name."""
    source = popup_source(template or "", properties if isinstance(properties, dict) else {})
    if not source:
        return ""
    rendered = render_popup(
        source,
        properties,
        image_hosts_allowed=hosts,
        heading_level=heading_level,
        value_text=value_text,  # numbers in the page's language (RGAA 8.7)
    )
    # "# {nom}" for a feature without "nom": no empty heading (screen readers announce it).
    rendered = EMPTY_HEADING_RE.sub("", rendered)
    if name:
        title = re.match(rf"<h[3-6]>{re.escape(html.escape(name, quote=False))}</h[3-6]>", rendered)
        if title is None:
            title = re.match(rf"<h[3-6]>{re.escape(html.escape(name))}</h[3-6]>", rendered)
        if title:
            rendered = rendered[title.end() :]
    return compact_headings(rendered, heading_level)


def compact_headings(rendered: str, heading_level: int) -> str:
    """Headings that start at ``heading_level`` and skip no level (a popup that starts with
    ``##``, or goes from ``#`` to ``###``): the heading order stays right in the page."""
    used = sorted({int(match.group(2)) for match in HEADING_TAG_RE.finditer(rendered)})
    if not used:
        return rendered
    levels = {level: min(heading_level + rank, 6) for rank, level in enumerate(used)}
    return HEADING_TAG_RE.sub(
        lambda match: f"<{match.group(1)}h{levels[int(match.group(2))]}>", rendered
    )


def layer_popups(layer: Any, heading_level: int) -> list[str]:
    """The popup HTML of each inline feature of a layer ("" where it has none), once a request."""
    cached = layer.__dict__.get("_umap_popups")
    if cached is not None and cached[0] == heading_level:
        return cached[1]
    hosts = image_hosts_allowed()
    popups = [
        popup_html(
            layer.popup_template,
            (feature.get("properties") or {}) if isinstance(feature, dict) else {},
            heading_level=heading_level,
            hosts=hosts,
            name=feature_label(feature, (layer.viz or {}).get("label_key")).strip(),
        )
        for feature in layer.features
    ]
    layer.__dict__["_umap_popups"] = (heading_level, popups)
    return popups


def item_popup_html(layer: Any, index: int, heading_level: int) -> SafeString | str:
    """The list item's rendered popup (allowlisted HTML), or "" to keep its description."""
    if len(layer.features) > POPUP_HTML_MAX_FEATURES:
        return ""
    popups = layer_popups(layer, heading_level)
    rendered = popups[index] if index < len(popups) else ""
    return mark_safe(rendered) if rendered else ""  # allowlisted by render_popup


def markup_heading_level(map_heading_level: int | None) -> int:
    """``#`` in a popup: one below the popup's title (itself one below the map's heading)."""
    level = min(max(int(map_heading_level or 2), 1), 6)
    return min(level + 2, 6)


def clean_rules(rules: Any, clean_style: Callable[[dict], dict]) -> list[dict]:
    """Rules as the script reads them: field, operator, value (text), label, cleaned style."""
    cleaned = []
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict) or not isinstance(rule.get("field"), str):
            continue
        operator = rule.get("operator", "=")
        if operator not in RULE_OPERATORS:
            continue
        value = rule.get("value", "")
        item = {
            "field": rule["field"],
            "operator": operator,
            "value": value if isinstance(value, str) else str(value),
            "style": full_style(rule.get("style"), clean_style),
        }
        if isinstance(rule.get("label"), str) and rule["label"].strip():
            item["label"] = rule["label"]
        cleaned.append(item)
    return cleaned


def clean_label_style(style: Any) -> dict:
    """The label keys of a style object (the other keys go through ``map.clean_style``)."""
    style = style if isinstance(style, dict) else {}
    result: dict = {}
    if style.get("show_label") in SHOW_LABEL:
        result["show_label"] = style["show_label"]
    if style.get("label_direction") in LABEL_DIRECTIONS:
        result["label_direction"] = style["label_direction"]
    if isinstance(style.get("label_interactive"), bool):
        result["label_interactive"] = style["label_interactive"]
    return result


def full_style(style: Any, clean_style: Callable[[dict], dict]) -> dict:
    return {**clean_style(style), **clean_label_style(style)}


def umap_layer_config(layer: Any, heading_level: int, clean_style: Callable) -> dict[str, Any]:
    """The keys ``layer_config`` adds for uMap's options."""
    viz = layer.viz or {}
    label_key = viz.get("label_key")
    config: dict[str, Any] = {
        "labelKey": label_key if isinstance(label_key, str) else "",
        "rules": clean_rules(viz.get("rules"), clean_style),
    }
    # Inline layers only (a data-URL layer's popups fill the template as text), and only when
    # a popup has markup: allowlisted HTML, copied again node by node by js/viewer/markup.js.
    inline = not layer.data_url and len(layer.features) <= POPUP_HTML_MAX_FEATURES
    popups = layer_popups(layer, heading_level) if inline else []
    if any(popups):
        config["popupHtml"] = popups
    elif getattr(layer, "popup_url", None):  # a large layer: each popup rendered on demand
        config["popupUrl"] = layer.popup_url
    return config


def umap_map_config(options: dict, clean_style: Callable) -> dict[str, Any]:
    """The map's default style and rules, inherited by every layer."""
    options = options if isinstance(options, dict) else {}
    return {
        "style": full_style(options.get("style"), clean_style),
        "rules": clean_rules(options.get("rules"), clean_style),
    }
