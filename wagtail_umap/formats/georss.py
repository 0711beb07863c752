"""GeoRSS feeds (RSS 2.0, RSS 1.0 and Atom) read into a one-layer map document.

Each item (``<item>``, Atom ``<entry>``) with a position is a feature: GeoRSS Simple
``<georss:point>``, ``<georss:line>``, ``<georss:polygon>`` ("latitude longitude" pairs), GeoRSS
GML ``<georss:where>`` with a ``<gml:pos>`` or ``<gml:posList>``, or W3C Basic Geo
``<geo:lat>``/``<geo:long>`` (also inside ``<geo:Point>``). Its title is the feature's
``name``, its description (or Atom summary or content) its ``description``, cleaned by the
same allowlist as every description (an ``<img>`` dropped from it is noted), and its link
``link``. An item without a position is skipped with a note naming it; a polygon that does not
end at its first position is closed, with a note. XML is parsed by ``safexml`` (defusedxml, no
DTD, nesting and item count capped while parsing).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wagtail_umap.core import messages as m
from wagtail_umap.core.document import DOCUMENT_VERSION, default_options
from wagtail_umap.core.errors import Issue, Location, shown
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, validate_document
from wagtail_umap.formats import (
    FormatError,
    ImportResult,
    check_file_size,
    close_rings,
    image_notes,
    layer_name_from,
)
from wagtail_umap.formats.csv import parse_number
from wagtail_umap.formats.safexml import parse_capped

ROOTS = ("rss", "feed", "RDF")
ITEMS = ("item", "entry")


class _BadPosition(Exception):
    pass


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    check_file_size(data, limits)
    root = _parse(data, limits)
    if root.tag not in ROOTS:
        raise FormatError([Issue(m.GEORSS_NOT_FEED, {"value": shown(root.tag)})])
    layer_name = layer_name_from(filename)
    where = Location(layer=1, layer_name=layer_name)
    notes: list[Issue] = []
    features = []
    issues = []
    # The items hold all that is read: without the root, each item's elements go once it is
    # read (an ElementTree costs several times the file's size), not at the end.
    items = [element for element in root.iter() if element.tag in ITEMS]
    del root
    for number, item in enumerate(items, start=1):
        items[number - 1] = None
        title = _text(item, "title")
        try:
            geometry = _geometry(item)
        except _BadPosition as error:
            element, value = error.args
            params = {"number": number, "element": element, "value": shown(value, 40)}
            issues.append(Issue(m.GEORSS_BAD_POSITION, params, where))
            continue
        if geometry is None:
            params = {"number": number, "value": shown(title, 40)}
            notes.append(Issue(m.GEORSS_NOTE_NO_POSITION, params, where))
            continue
        feature_where = Location(layer=1, layer_name=layer_name, feature=number)
        if close_rings(geometry):
            notes.append(Issue(m.NOTE_RING_CLOSED, {}, feature_where))
        properties = {}
        if title:
            properties["name"] = title
        description = _text(item, "description") or _text(item, "summary")
        description = description or _text(item, "content")
        if description:
            properties["description"] = description
            notes.extend(image_notes(description, feature_where))
        link = _link(item)
        if link:
            properties["link"] = link
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    if issues:
        raise FormatError(issues[:20])
    if not features:
        raise FormatError([Issue(m.GEORSS_NO_ITEMS)])
    layer = {"name": layer_name, "features": features}
    document = {"version": DOCUMENT_VERSION, "options": default_options(), "layers": [layer]}
    return ImportResult(validate_document(document, limits, owned=True), notes)


def _parse(data: bytes, limits: Limits) -> ET.Element:
    return parse_capped(data, limits, counted=ITEMS)


def _text(item: ET.Element, tag: str) -> str:
    element = item.find(tag)
    return (element.text or "").strip() if element is not None else ""


def _link(item: ET.Element) -> str:
    for element in item.findall("link"):
        href = element.get("href")
        if href and element.get("rel", "alternate") == "alternate":
            return href.strip()
        if element.text and element.text.strip():
            return element.text.strip()
    return ""


def _pairs(element: ET.Element, name: str) -> list[list[float]]:
    """[[lon, lat], …] from "lat lon lat lon…" text (commas accepted as separators)."""
    text = (element.text or "").replace(",", " ")
    numbers = [parse_number(word) for word in text.split()]
    if not numbers or len(numbers) % 2 or None in numbers:
        raise _BadPosition(name, (element.text or "").strip())
    return [[numbers[index + 1], numbers[index]] for index in range(0, len(numbers), 2)]


def _geometry(item: ET.Element) -> dict | None:
    point = item.find("point")
    if point is not None:
        return {"type": "Point", "coordinates": _single(_pairs(point, "georss:point"), point)}
    line = item.find("line")
    if line is not None:
        return {"type": "LineString", "coordinates": _pairs(line, "georss:line")}
    polygon = item.find("polygon")
    if polygon is not None:
        return {"type": "Polygon", "coordinates": [_pairs(polygon, "georss:polygon")]}
    where = item.find("where")
    if where is not None:
        pos, pos_list = where.find(".//pos"), where.find(".//posList")
        if pos is not None:
            return {"type": "Point", "coordinates": _single(_pairs(pos, "gml:pos"), pos)}
        if pos_list is not None:
            positions = _pairs(pos_list, "gml:posList")
            inside_polygon = where.find(".//Polygon") is not None
            if inside_polygon:
                return {"type": "Polygon", "coordinates": [positions]}
            return {"type": "LineString", "coordinates": positions}
    lat, lon = item.find(".//lat"), item.find(".//long")
    if lat is not None and lon is not None:
        latitude, longitude = parse_number(lat.text or ""), parse_number(lon.text or "")
        if latitude is None or longitude is None:
            raise _BadPosition("geo:lat", f"{(lat.text or '').strip()} {(lon.text or '').strip()}")
        return {"type": "Point", "coordinates": [longitude, latitude]}
    return None


def _single(pairs: list, element: ET.Element) -> list:
    if len(pairs) != 1:
        raise _BadPosition("georss:point", (element.text or "").strip())
    return pairs[0]
