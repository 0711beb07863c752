"""What the public viewer shows, and the JSON configuration its script reads.

The lead's code builds a :class:`ViewerMap` from a published Map (or a preview); the
``{% umap_viewer %}`` template tag renders it as HTML that is complete without JavaScript (title,
summary, skip link, the list of features) and puts :func:`viewer_config` in a ``json_script``
element for ``static/wagtail_umap/js/viewer.js``.

The configuration carries data, never HTML built from data: names, descriptions and free
properties travel as plain strings and the script writes them with ``textContent``. The one
exception is the basemap attribution, trusted HTML written by the site's developers in settings.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from wagtail_umap.core.document import MARKER_SHAPES
from wagtail_umap.core.markup import fill_placeholders
from wagtail_umap.viewer.legends import data_language, feature_note
from wagtail_umap.viewer.media import description_html, resolve_media
from wagtail_umap.viewer.umap_markup import (
    feature_label,
    item_popup_html,
    markup_heading_level,
    popup_html,
)
from wagtail_umap.viewer.viz import representation_config, representation_of, value_text

# Metropolitan France, when neither the map, its data nor LEAFLET_CONFIG say where to look.
FALLBACK_CENTER = (46.6, 2.4)
FALLBACK_ZOOM = 5


# The type each style key's value must have (the keys are the map document's STYLE_KEYS). The
# document is validated when saved; this second check keeps the viewer safe whatever it is given.
STYLE_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "color": (str,),
    "fill_color": (str,),
    "weight": (int, float),
    "opacity": (int, float),
    "fill_opacity": (int, float),
    "fill": (bool,),
    "dash_array": (str,),
    "marker_shape": (str,),
    "pictogram": (str,),
    "icon": (str,),
    "marker_size": (int,),
}


@dataclass(frozen=True)
class Download:
    """A link to the map's or a layer's data in one export format."""

    label: str  # the format's name: "GeoJSON", "CSV"…
    url: str


@dataclass
class ViewerLayer:
    id: str
    name: str
    description: str
    shown_on_load: bool
    style: dict
    popup_template: str
    features: list[dict]
    data_url: str | None = None
    downloads: list[Download] = field(default_factory=list)
    # A layer loaded from its data URL has no features here: its size, geometry types and box
    # come from the store, and its list from the first page of its feature index.
    feature_count: int | None = None
    vertex_count: int | None = None
    geometry_types: list[str] | None = None
    bbox: list[float] | None = None  # [west, south, east, north]
    feature_page: Any = None  # views.feature_list.FeaturePage
    # A layer loaded from its data URL whose popups have a template: where the popup of its
    # feature {index} is rendered (uMap markup, allowlisted HTML; viewer/feature_list.py).
    popup_url: str | None = None
    digest: str | None = None  # its stored data's digest: keys its cached classes (viz.py)
    # Data visualisation (viz.py): the layer's representation, min_zoom, max_zoom,
    # filters and popup_layout as the map document has them.
    viz: dict = field(default_factory=dict)
    language: str = ""  # the language of its data ("en"), "" for the page's (RGAA 8.7)
    # A large layer's vector-tile archive once built (viewer/tiles.py): its URL, zoom range,
    # kind and the URL of one feature; None while the viewer loads the layer's data URL.
    tiles: dict | None = None
    group: str | None = None  # the id of its group (issue 17), None at the top


@dataclass
class ViewerMap:
    dom_id: str
    title: str
    summary: str
    basemap: dict
    center: dict | None
    zoom: int | None
    controls: dict
    credits: str
    layers: list[ViewerLayer]
    height: int | None = None
    caption: str = ""
    heading_level: int = 2
    # The title is read out but not shown: a map page whose own title (<h1>) already says it.
    title_hidden: bool = False
    notice: str = ""
    downloads: list[Download] = field(default_factory=list)
    licence: dict = field(default_factory=dict)  # {"name", "url"} of the data's licence
    slideshow: dict = field(default_factory=dict)  # options.slideshow of the map document
    filters: list = field(default_factory=list)  # options.filters: across every layer
    # options.style, options.rules and options.default_view (viewer/umap_markup.py)
    umap_options: dict = field(default_factory=dict)
    print_url: str = ""  # the live map's print view (sharing/printing.py)
    # options.basemap_choice, options.overlays and options.limit_bounds (viewer/basemaps.py)
    basemap_options: dict = field(default_factory=dict)
    groups: list[dict] = field(default_factory=list)  # the document's groups of layers


@dataclass
class FeatureItem:
    """One entry of the server-rendered feature list."""

    key: str  # "{layer_id}:{index}", the value of data-umap-feature
    dom_id: str  # id of the <li>, target of the popup's "Show in the list" link
    number: int  # 1-based position in its layer
    name: str  # the feature's name, or "Unnamed feature no. N"
    has_name: bool
    description: str
    locatable: bool  # has a geometry, so "Show on the map" can work
    note: str = ""  # its class and value when the layer encodes data ("taux : 6,7 %…")
    description_html: str = ""  # the description's cleaned HTML, when it is HTML
    # What its popup says beyond the name (the list is the map's text alternative):
    popup_text: str = ""  # the layer's popup template, filled (newlines kept)
    popup_rows: list = field(default_factory=list)  # "table" layout: [field, text, html]
    popup_description: bool = True  # the popup shows the description (no template, no table)
    popup_html: str = ""  # the popup template's uMap markup, rendered (allowlisted HTML)
    media: dict = field(default_factory=dict)  # resolved image, audio, video (viewer.media)
    lang: str = ""  # its layer's data language when not the page's: lang on the data shown


@dataclass
class LayerSection:
    """One layer of the server-rendered feature list."""

    layer: ViewerLayer
    dom_id: str
    items: list[FeatureItem] = field(default_factory=list)
    page: Any = None  # one page of a large layer (views.feature_list.FeaturePage)
    grouping: Any = None  # the groups it opens and closes (viewer/groups.py), or None


def clean_style(style: dict | None) -> dict[str, Any]:
    """Keep the known style keys whose values have the right type (and finite numbers)."""
    cleaned: dict[str, Any] = {}
    for key, value in (style or {}).items():
        types = STYLE_VALUE_TYPES.get(key)
        if types is None or not isinstance(value, types):
            continue
        if bool not in types and isinstance(value, bool):
            continue  # True is an int in Python: not a valid weight
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if key == "marker_shape" and value not in MARKER_SHAPES:
            continue
        cleaned[key] = value
    return cleaned


def plain_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def unnamed_label(number: int) -> str:
    return gettext("Unnamed feature no. %(number)s") % {"number": number}


def feature_name(feature: dict, number: int, label_key: str | None = None) -> tuple[str, bool]:
    """The feature's name (``label_key``'s, else ``name``) and whether it has one (else the
    numbered fallback)."""
    name = feature_label(feature, label_key).strip()
    return (name, True) if name else (unnamed_label(number), False)


def layer_representation(layer: ViewerLayer) -> dict[str, Any]:
    """The layer's representation with its classes computed (once per layer and request)."""
    if "_representation" not in layer.__dict__:
        if "_viz" in layer.__dict__:  # a data-URL layer's, from the cache (viz.py)
            layer.__dict__["_representation"] = layer.__dict__["_viz"]["representation"]
        else:
            representation = representation_of(layer.viz)
            layer.__dict__["_representation"] = representation_config(
                representation, layer.features
            )
    return layer.__dict__["_representation"]


# --- what a popup says, for the list ------------------------------------------------------


def popup_rows(properties: dict) -> list[list[str]]:
    """The "table" layout's rows: [field, text, cleaned HTML of a description or ""]."""
    rows = []
    for name, value in properties.items():
        if name.startswith("_") or name == "name":
            continue
        text = value_text(value)
        html = description_html(value) if name == "description" else ""
        rows.append([name, text, str(html)])
    return rows


def popup_layout(viz: dict | None) -> str:
    return (viz or {}).get("popup_layout") or "default"


def list_content(
    popup_template: str,
    viz: dict | None,
    representation: dict,
    feature: dict,
    *,
    markup: tuple[int, Any] | None = None,
) -> dict[str, Any]:
    """What the feature's popup says besides its description, as JSON-able data: its name
    when ``label_key`` gives it (``name``), the filled template (``text``) and, with ``markup``
    (heading level, image hosts), its uMap markup rendered to allowlisted HTML (``html``), the
    table's rows (``rows``), its class (``note``)."""
    properties = feature.get("properties") or {}
    content: dict[str, Any] = {}
    label_key = (viz or {}).get("label_key")
    name = feature_label(feature, label_key).strip() if label_key else ""
    if name:
        content["name"] = name
    rows = popup_rows(properties) if popup_layout(viz) == "table" else []
    if rows:
        content["rows"] = rows
    elif popup_template:
        content["text"] = fill_placeholders(popup_template, properties, value_text)
        if markup is not None:
            level, hosts = markup
            rendered = popup_html(
                popup_template, properties, heading_level=level, hosts=hosts, name=name
            )
            if rendered:
                content["html"] = rendered
    note = feature_note(representation, feature)
    if note:
        content["note"] = note
    return content


def apply_list_content(item: FeatureItem, content: dict[str, Any]) -> None:
    """Give a list item what its popup says (``list_content``)."""
    item.note = content.get("note", item.note)
    if content.get("name"):
        item.name, item.has_name = content["name"], True
    if content.get("rows"):
        item.popup_rows = content["rows"]
        item.popup_description = False
    elif content.get("html"):  # rendered by core.markup's allowlist (list_content)
        item.popup_html = mark_safe(content["html"])
        item.popup_description = False
    elif "text" in content:
        item.popup_text = content["text"]
        item.popup_description = False


def needs_list_content(popup_template: str, viz: dict | None) -> bool:
    """Whether a large layer's list needs more than the names and descriptions of its index."""
    kind = representation_of(viz).get("type")
    return bool(
        popup_template
        or (viz or {}).get("label_key")
        or popup_layout(viz) == "table"
        or kind in ("choropleth", "categorized", "circles")
    )


def layer_media(viewer_map: ViewerMap) -> dict[str, dict[int, dict]]:
    """The resolved media of the inline layers (two queries, once per map and request), with
    the transcript of each audio or video (HTML cleaned again by the allowlist)."""
    if "_media" not in viewer_map.__dict__:
        resolved = resolve_media(viewer_map.layers)
        for layer in viewer_map.layers:
            for index, entry in resolved.get(layer.id, {}).items():
                stored = (layer.features[index].get("properties") or {}).get("_media") or {}
                transcript = stored.get("transcript") if isinstance(stored, dict) else None
                if (
                    isinstance(transcript, str)
                    and transcript.strip()
                    and ("audio" in entry or "video" in entry)
                ):
                    entry["transcript"] = transcript_html(transcript)
        viewer_map.__dict__["_media"] = resolved
    return viewer_map.__dict__["_media"]


def transcript_html(text: str) -> str:
    """A transcript as safe HTML: cleaned by the allowlist, or plain text with its paragraphs
    and line breaks."""
    cleaned = description_html(text)
    if cleaned:
        return str(cleaned)
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(
        "<p>" + html.escape(part.strip()).replace("\n", "<br>") + "</p>" for part in paragraphs
    )


def layer_sections(viewer_map: ViewerMap) -> list[LayerSection]:
    """The feature list the template renders: one section per layer, one item per feature,
    each saying what its popup says (template or table fields, media, class)."""
    sections = []
    media = layer_media(viewer_map)
    for position, layer in enumerate(viewer_map.layers):
        section = LayerSection(layer=layer, dom_id=f"{viewer_map.dom_id}-layer-{position}")
        if layer.feature_page is not None:
            section.page = layer.feature_page(section.dom_id)
            sections.append(section)
            continue
        representation = layer_representation(layer)
        layer_media_ = media.get(layer.id, {})
        lang = data_language(layer.language)
        for index, feature in enumerate(layer.features):
            name, has_name = feature_name(feature, index + 1, layer.viz.get("label_key"))
            properties = feature.get("properties") or {}
            popup = item_popup_html(layer, index, markup_heading_level(viewer_map.heading_level))
            item = FeatureItem(
                key=f"{layer.id}:{index}",
                dom_id=f"{section.dom_id}-feature-{index}",
                number=index + 1,
                name=name,
                has_name=has_name,
                description=plain_text(properties.get("description")),
                locatable=bool(feature.get("geometry")),
                description_html=description_html(properties.get("description")),
                media=media_for_list(layer_media_.get(index), properties.get("_media")),
                lang=lang,
            )
            content = list_content(layer.popup_template, layer.viz, representation, feature)
            if popup and "text" in content:  # the template's uMap markup, as the popup shows it
                item.popup_html, content["text"] = popup, ""
            elif popup:  # a description in uMap markup
                item.description_html = popup
            apply_list_content(item, content)
            section.items.append(item)
        sections.append(section)
    return sections


def media_for_list(resolved: dict | None, stored: Any) -> dict:
    """A feature's media as the list shows them: the image (with its alternative), the audio
    file and the video's own address (a link: nothing loads from the video's host)."""
    if not resolved:
        return {}
    media = {
        key: value for key, value in resolved.items() if key in ("image", "audio", "transcript")
    }
    video = stored.get("video") if isinstance(stored, dict) else None
    if "video" in resolved and isinstance(video, str):
        media["video"] = {"url": video, "host": resolved["video"].get("host", "")}
    return media


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    """Every (lng, lat) in nested GeoJSON coordinates, skipping anything malformed."""
    if isinstance(coordinates, list | tuple):
        if len(coordinates) >= 2 and all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
        ):
            lng, lat = coordinates[0], coordinates[1]
            if math.isfinite(lng) and math.isfinite(lat):
                yield float(lng), float(lat)
            return
        for item in coordinates:
            yield from _positions(item)


def geometry_positions(geometry: dict | None) -> Iterator[tuple[float, float]]:
    if not isinstance(geometry, dict):
        return
    if geometry.get("type") == "GeometryCollection":
        for child in geometry.get("geometries") or []:
            yield from geometry_positions(child)
    else:
        yield from _positions(geometry.get("coordinates"))


def data_bounds(layers: Iterable[ViewerLayer]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the layers' features, or None when they have none."""
    south = west = math.inf
    north = east = -math.inf
    for layer in layers:
        if not layer.features and layer.bbox:
            box_west, box_south, box_east, box_north = layer.bbox
            south, north = min(south, box_south), max(north, box_north)
            west, east = min(west, box_west), max(east, box_east)
            continue
        for feature in layer.features:
            for lng, lat in geometry_positions(feature.get("geometry")):
                south, north = min(south, lat), max(north, lat)
                west, east = min(west, lng), max(east, lng)
    if south == math.inf:
        return None
    return [[south, west], [north, east]]
