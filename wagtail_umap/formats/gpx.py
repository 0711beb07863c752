"""GPX 1.0 and 1.1 files read into a map document, and GPX 1.1 written from one.

Reading
    XML is parsed with defusedxml: a file declaring a DTD or entities is refused; nesting and
    the number of waypoints, routes and tracks are capped while parsing. Waypoints
    become points, routes lines, tracks one LineString per segment (a MultiLineString when a
    track has several). Properties kept: ``name``, ``desc`` (as ``description``), ``cmt``,
    ``type``, ``sym``, ``time``, ``ele`` (text as written); a waypoint's ``ele`` is also its
    third coordinate, and a route's or track's points carry theirs when all of them have one.
    A file with one kind of element gives one layer named after the file; a file with several
    gives one layer a kind: "<file> (waypoints)", "<file> (routes)", "<file> (tracks)" (layer
    names are data, so they are not translated). A route or segment of fewer than 2 points is
    skipped with a note.

Writing
    ``write(document)`` gives GPX 1.1 (``creator="wagtail-umap"``): points (and each point of a
    MultiPoint) as waypoints, lines as tracks of one segment, MultiLineStrings as tracks of
    several segments. Polygons have no GPX form and are skipped (a writer returns only bytes, so
    the caller says so if it must). Text is escaped; characters XML 1.0 cannot hold are dropped;
    ``time`` is written only when it is an ISO 8601 date-time, as GPX requires.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.etree import ElementTree as ET  # building only: parsing goes through defusedxml

from wagtail_umap.core import messages as m
from wagtail_umap.core.document import DOCUMENT_VERSION, default_options, iter_layer_features
from wagtail_umap.core.errors import Issue, shown
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, validate_document
from wagtail_umap.formats import FormatError, ImportResult, check_file_size, layer_name_from
from wagtail_umap.formats.csv import format_number as _number
from wagtail_umap.formats.safexml import parse_capped, xml_text

GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"
# Child elements kept as properties, and the property each becomes.
TEXT_PROPERTIES = {
    "name": "name",
    "desc": "description",
    "cmt": "cmt",
    "type": "type",
    "sym": "sym",
    "time": "time",
}
# What each kind of element gives, and the word its layer is suffixed with.
KINDS = (("wpt", "waypoints"), ("rte", "routes"), ("trk", "tracks"))
# Element order in GPX 1.1's schema (wptType, trkType), which a valid file must follow.
WAYPOINT_CHILDREN = ("ele", "time", "name", "cmt", "desc", "sym", "type")
TRACK_CHILDREN = ("name", "cmt", "desc", "type")
# Every element the reader looks at; others (extensions, links, metadata) are not kept.
READ_ELEMENTS = frozenset(
    ("gpx", "wpt", "rte", "rtept", "trk", "trkseg", "trkpt", "ele", *TEXT_PROPERTIES)
)
DATE_TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


# --- reading ---------------------------------------------------------------------------------


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A .gpx file: one layer, or one layer per kind of element when it holds several."""
    check_file_size(data, limits)
    reader = _Reader(limits)
    _parse(data, limits, reader.take)  # each waypoint, route and track read as it ends
    groups = [(word, reader.features(tag)) for tag, word in KINDS]
    groups = [(word, features) for word, features in groups if features]
    if not groups:
        raise FormatError([Issue(m.GPX_NO_POINTS)])
    base = layer_name_from(filename)
    layers = [
        {"name": base if len(groups) == 1 else f"{base} ({word})", "features": features}
        for word, features in groups
    ]
    document = {"version": DOCUMENT_VERSION, "options": default_options(), "layers": layers}
    return ImportResult(validate_document(document, limits, owned=True), reader.notes)


def _parse(data: bytes, limits: Limits, each_child: Callable[[ET.Element], None]) -> ET.Element:
    """The root element, without its children, each given to ``each_child`` as it ends;
    nesting and the number of waypoints, routes and tracks are capped while parsing (a hostile
    file stops costing as soon as it goes over)."""
    root = parse_capped(
        data,
        limits,
        counted=[tag for tag, _ in KINDS],
        count_depth=2,  # children of <gpx>, the only ones read
        each_child=each_child,
        kept=READ_ELEMENTS,
    )
    if _local(root.tag) != "gpx":
        raise FormatError([Issue(m.GPX_NOT_GPX, {"value": shown(_local(root.tag))})])
    return root


def _local(tag: str) -> str:
    """Parsing names elements by their local name (see safexml.parse): GPX 1.0, 1.1 and no
    namespace read alike."""
    return tag


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return iter(element.findall(name))


class _Reader:
    """Builds features from GPX elements, numbering them for messages and counting vertices.

    Elements come in the file's order while it is parsed (``take``); features, notes and
    errors are kept a kind at a time and given back in the order of ``KINDS``, as if every
    waypoint were read first, then every route, then every track: the first error of the first
    kind that has one is raised, once the whole file has parsed.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.counters: dict[str, int] = {}
        self.vertices = 0
        self.built: dict[str, list[dict]] = {tag: [] for tag, _ in KINDS}
        self.notes_of: dict[str, list[Issue]] = {tag: [] for tag, _ in KINDS}
        self.errors: dict[str, FormatError] = {}
        self.builders = {"wpt": self._waypoint, "rte": self._route, "trk": self._track}
        self.kind = "wpt"

    def take(self, element: ET.Element) -> None:
        """Build the feature of one child of ``<gpx>`` (other elements are not read)."""
        tag = element.tag
        build = self.builders.get(tag)
        if build is None or tag in self.errors:
            return
        self.kind = tag
        try:
            feature = build(element)
        except FormatError as error:
            self.errors[tag] = error  # the first of its kind: the others are not read
            return
        if feature is not None:
            self.built[tag].append(feature)

    def features(self, tag: str) -> list[dict]:
        """The features of one kind, once the file is parsed (raising the first error)."""
        for kind, _ in KINDS:
            if kind in self.errors:
                raise self.errors[kind]
        return self.built[tag]

    @property
    def notes(self) -> list[Issue]:
        return [note for tag, _ in KINDS for note in self.notes_of[tag]]

    def _waypoint(self, element: ET.Element) -> dict:
        position = self._position(element)
        return _feature({"type": "Point", "coordinates": position}, _properties(element))

    def _route(self, element: ET.Element) -> dict | None:
        line = self._line(element, "rtept", "rte", _text(element, "name"))
        if line is None:
            return None
        return _feature({"type": "LineString", "coordinates": line}, _properties(element))

    def _track(self, element: ET.Element) -> dict | None:
        number = self._number("trk")
        segments = list(_children(element, "trkseg"))
        name = _text(element, "name")
        lines = [self._line(segment, "trkpt", "trkseg", name) for segment in segments]
        lines = [line for line in lines if line is not None]
        if not lines:
            if not segments:  # short segments have had their own note
                self._note("trk", number, name)
            return None
        geometry = (
            {"type": "LineString", "coordinates": lines[0]}
            if len(lines) == 1
            else {"type": "MultiLineString", "coordinates": lines}
        )
        return _feature(geometry, _properties(element))

    def _line(
        self, element: ET.Element, point_tag: str, tag: str, name: str | None = None
    ) -> list[list[float]] | None:
        number = self._number(tag)
        points = [self._position(point) for point in _children(element, point_tag)]
        if len(points) < 2:
            self._note(tag, number, name)
            return None
        if all(len(point) == 3 for point in points):
            return points
        return [point[:2] for point in points]  # a line is 3D only when every point has a height

    def _position(self, element: ET.Element) -> list[float]:
        """[lon, lat] or [lon, lat, ele]: a line keeps heights only when all its points have one."""
        tag = _local(element.tag)
        number = self._number(tag)
        self.vertices += 1
        if self.vertices > self.limits.max_vertices:
            value = {"value": self.vertices, "limit": self.limits.max_vertices}
            raise FormatError([Issue(m.TOO_MANY_VERTICES, value)])
        try:  # the common case in one step (float() of None fails too)
            position = [float(element.get("lon")), float(element.get("lat"))]
        except (TypeError, ValueError):  # the slow path names the attribute
            position = [
                self._coordinate(element.get(field), tag, number, field) for field in ("lon", "lat")
            ]
        ele = _text(element, "ele") if len(element) else None  # a bare point has no child
        if ele is not None:
            position.append(self._coordinate(ele, tag, number, "ele"))
        return position

    def _coordinate(self, text: str | None, tag: str, number: int, field: str) -> float:
        if text is None:
            params = {"element": tag, "number": number, "field": field}
            raise FormatError([Issue(m.GPX_MISSING_COORDINATE, params)])
        try:
            return float(text)  # the validator refuses NaN, infinities and out-of-range values
        except ValueError:
            params = {"element": tag, "number": number, "field": field, "value": shown(text, 40)}
            raise FormatError([Issue(m.GPX_BAD_NUMBER, params)]) from None

    def _number(self, tag: str) -> int:
        self.counters[tag] = self.counters.get(tag, 0) + 1
        return self.counters[tag]

    def _note(self, tag: str, number: int, name: str | None = None) -> None:
        """A skipped line, named by its number and, when it has one, its (track's) name."""
        params = {"element": tag, "number": number}
        notes = self.notes_of[self.kind]
        if name and name.strip():
            params["name"] = shown(name.strip(), 40)
            notes.append(Issue(m.GPX_NOTE_SHORT_LINE_NAMED, params))
        else:
            notes.append(Issue(m.GPX_NOTE_SHORT_LINE, params))


def _text(element: ET.Element, name: str) -> str | None:
    child = element.find(name)
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


# Child element → property, in the order properties are written (ele last).
_PROPERTY_OF = {**TEXT_PROPERTIES, "ele": "ele"}


def _properties(element: ET.Element) -> dict:
    """The text of the first child of each kind in ``_PROPERTY_OF`` (one pass on the children:
    a waypoint with none costs nothing)."""
    found: dict[str, str | None] = {}
    for child in element:
        name = child.tag
        if name in _PROPERTY_OF and name not in found:
            text = child.text.strip() if child.text else ""
            found[name] = text or None
    if not found:
        return {}
    return {key: found[name] for name, key in _PROPERTY_OF.items() if found.get(name)}


def _feature(geometry: dict, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


# --- writing ---------------------------------------------------------------------------------


def write(document: dict) -> bytes:
    """Points and lines of every layer as GPX 1.1 (polygons skipped: see the module docstring)."""
    root = ET.Element("gpx", {"xmlns": GPX_NAMESPACE, "version": "1.1", "creator": "wagtail-umap"})
    features = [feature for layer in document["layers"] for feature in iter_layer_features(layer)]
    # GPX 1.1 wants every waypoint before the first track.
    for feature in features:
        for position in _points(feature["geometry"]):
            _waypoint(root, position, feature.get("properties") or {})
    for feature in features:
        lines = _lines(feature["geometry"])
        if lines:
            _track(root, lines, feature.get("properties") or {})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _points(geometry: dict) -> list[list[float]]:
    kind = geometry["type"]
    if kind == "Point":
        return [geometry["coordinates"]]
    return geometry["coordinates"] if kind == "MultiPoint" else []


def _lines(geometry: dict) -> list[list[list[float]]]:
    kind = geometry["type"]
    if kind == "LineString":
        return [geometry["coordinates"]]
    return geometry["coordinates"] if kind == "MultiLineString" else []


def _waypoint(root: ET.Element, position: list[float], properties: dict) -> None:
    element = _point_element(root, "wpt", position)
    values = _gpx_values(properties)
    if len(position) == 3:
        values["ele"] = _number(position[2])
    _append_children(element, WAYPOINT_CHILDREN, values)


def _track(root: ET.Element, lines: list[list[list[float]]], properties: dict) -> None:
    track = ET.SubElement(root, "trk")
    _append_children(track, TRACK_CHILDREN, _gpx_values(properties))
    for line in lines:
        segment = ET.SubElement(track, "trkseg")
        for position in line:
            point = _point_element(segment, "trkpt", position)
            if len(position) == 3:
                ET.SubElement(point, "ele").text = _number(position[2])


def _point_element(parent: ET.Element, tag: str, position: list[float]) -> ET.Element:
    attributes = {"lat": _number(position[1]), "lon": _number(position[0])}
    return ET.SubElement(parent, tag, attributes)


def _gpx_values(properties: dict) -> dict[str, str]:
    """The GPX child elements a feature's properties give, as clean text."""
    values = {}
    for name, key in TEXT_PROPERTIES.items():
        value = properties.get(key)
        if value is None or isinstance(value, dict | list) or value == "":
            continue
        values[name] = xml_text(str(value))
    if "time" in values and not DATE_TIME_RE.fullmatch(values["time"]):
        del values["time"]  # xsd:dateTime only; anything else would make the file invalid
    return values


def _append_children(element: ET.Element, order: tuple[str, ...], values: dict[str, str]) -> None:
    for name in order:
        if name in values:
            ET.SubElement(element, name).text = values[name]
