"""KML 2.2 and KMZ files read into a map document, and written from one.

Reading: folders become layers (nested folders flattened as "Parent / Child"), placemarks
become features, ``name``, ``description`` and ExtendedData become properties, and KML styles
are mapped to ours. XML goes through defusedxml with DTDs refused, so entities and external
references never resolve; nesting (folders: ``Limits.max_depth``) and the number of placemarks
are capped while parsing. A KMZ is read in memory, with caps on members, size and compression.

Writing: one Document holding the map title and summary, one Folder a layer, a shared Style a
layer and an inline Style for each feature that overrides it.
"""

from __future__ import annotations

import io
import json
import lzma
import math
import re
import xml.etree.ElementTree as ET  # building output only: input goes through defusedxml
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from wagtail_umap.core import messages as m
from wagtail_umap.core.document import (
    CSS_COLOUR_HEX,
    DOCUMENT_VERSION,
    TEXT_LIMITS,
    default_options,
    iter_layer_features,
)
from wagtail_umap.core.errors import Issue, Location, shown
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, to_number, validate_document
from wagtail_umap.formats import (
    FormatError,
    ImportResult,
    check_file_size,
    close_rings,
    image_notes,
    layer_name_from,
)
from wagtail_umap.formats.safexml import XmlTooDeep, parse_capped, xml_text

KML_NS = "http://www.opengis.net/kml/2.2"
MAX_KMZ_MEMBERS = 100
MAX_KMZ_RATIO = 100
# Below this size a high ratio is only repetitive XML, not a bomb: the size cap still holds.
KMZ_RATIO_FLOOR = 1_000_000
_CHUNK = 64 * 1024
# A folder name is cut to this length in a layer's "Parent / Child" name: longer, the layer's
# name is refused anyway, and copying a huge name into every sub-folder's would cost memory
# quadratic in the depth.
FOLDER_NAME_CHARS = TEXT_LIMITS["layer.name"] + 1

CONTAINERS = ("Document", "Folder")
GEOMETRIES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "Track",
    "MultiTrack",
)
UNSUPPORTED_GEOMETRIES = ("Model",)
# Features we do not import; each kind found gets one note, so nothing vanishes unsaid.
SKIPPED_ELEMENTS = ("NetworkLink", "GroundOverlay", "ScreenOverlay", "PhotoOverlay", "Tour")
# Elements whose text is read (with their descendants': CDATA, or HTML left unescaped).
TEXT_ELEMENTS = frozenset(
    ("name", "description", "visibility", "styleUrl", "key", "href", "color", "width", "fill")
    + ("value", "coordinates")
)
# Every element the reader looks at; others (regions, views, time spans…) leave the tree as
# they end, unless they hold one of these (a Style inside one is still indexed).
READ_ELEMENTS = TEXT_ELEMENTS | frozenset(
    ("kml", *CONTAINERS, "Placemark", "Style", "StyleMap", "Pair", "IconStyle", "Icon")
    + ("LineStyle", "PolyStyle", "ExtendedData", "Data", "SchemaData", "SimpleData", "Schema")
    + ("SimpleField", "outerBoundaryIs", "innerBoundaryIs", "coord")
    + (*GEOMETRIES, *UNSUPPORTED_GEOMETRIES, *SKIPPED_ELEMENTS)
)
INT_TYPES = ("int", "uint", "short", "ushort")
FLOAT_TYPES = ("float", "double")
STYLE_ID_PREFIX = "style-"

_NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_KML_COLOUR_RE = re.compile(r"#?([0-9a-fA-F]{8}|[0-9a-fA-F]{6})")
_UNSAFE_NAME_RE = re.compile(r"^(?:/|[A-Za-z]:)|\\")


# --- reading -----------------------------------------------------------------------------------


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A .kml or .kmz file as a map document: one layer a folder."""
    check_file_size(data, limits)
    if filename.lower().endswith(".kmz") or data.startswith(b"PK\x03\x04"):
        data = kml_from_kmz(data, limits)
    return read(data, default_name=layer_name_from(filename), limits=limits)


def read(data: bytes, *, default_name: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """KML bytes as a map document; loose placemarks go to a layer named ``default_name``."""
    reader = _Reader(parse_kml(data, limits), limits)
    document, notes = reader.document(default_name), reader.notes
    del reader  # and with it the tree, before validation builds its copy
    return ImportResult(validate_document(document, limits, owned=True), notes)


def parse_kml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ET.Element:
    """The root ``kml`` element, with DTDs (hence entities) refused.

    Nesting (elements, and folders alone) and the number of placemarks are capped while the
    file is parsed: a hostile file stops costing as soon as it goes over.
    """
    if data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in (b"{", b"["):
        raise FormatError([Issue(m.KML_IS_JSON)])
    root = parse_capped(
        data,
        limits,
        counted=("Placemark",),
        nested=CONTAINERS,
        kept=READ_ELEMENTS,
        texts=TEXT_ELEMENTS,
        nested_issue=lambda error: _folders_too_deep(error, limits),
    )
    if _tag(root) != "kml":
        raise FormatError([Issue(m.KML_NOT_KML, {"value": shown(_tag(root), 40)})])
    return root


def _folders_too_deep(error: XmlTooDeep, limits: Limits) -> Issue:
    """Folders too deep name the folder (other elements: their line and column, as in every
    XML format)."""
    # The folders around the one that went over (its own name is not read yet), without the
    # top Document, which is no folder.
    containers = [element for element in error.open_elements[:-1] if _tag(element) in CONTAINERS]
    if containers and _tag(containers[0]) == "Document":
        containers = containers[1:]
    names = [_text(folder, "name")[:FOLDER_NAME_CHARS] or "…" for folder in containers]
    if len(names) > 4:
        names = [*names[:2], "…", *names[-2:]]
    return Issue(
        m.KML_FOLDERS_TOO_DEEP, {"limit": limits.max_depth, "value": shown(" / ".join(names), 120)}
    )


class _Reader:
    """Turns a parsed KML tree into a map document, collecting import notes."""

    def __init__(self, root: ET.Element, limits: Limits) -> None:
        self.root, self.limits = root, limits
        self.notes: list[Issue] = []
        self.styles = _style_index(root)
        self.schemas = _schema_index(root)
        self.style_cache: dict[str, tuple[dict, str | None]] = {}

    def document(self, default_name: str) -> dict:
        self._check_counts()
        top = _child(self.root, "Document")
        top = self.root if top is None else top
        title = _text(top, "name")
        layers = []
        top_name = (title or default_name)[:FOLDER_NAME_CHARS]
        for path, container in _containers(top, top_name):
            placemarks = _children(container, "Placemark")
            if not placemarks:
                continue  # empty folders are dropped
            name = " / ".join(path) if path else (title or default_name)
            layer = self._layer(container, placemarks, len(layers) + 1, name)
            # Its placemarks, emptied as they became features, leave the tree too.
            container[:] = [child for child in container if child.tag != "Placemark"]
            del placemarks
            if layer["features"]:
                layers.append(layer)
                if len(layers) > self.limits.max_layers:  # stop before building the others
                    value = {"value": len(layers), "limit": self.limits.max_layers}
                    raise FormatError([Issue(m.TOO_MANY_LAYERS, value)])
        if not layers:
            raise FormatError([Issue(m.KML_NO_PLACEMARK)])
        return {
            "version": DOCUMENT_VERSION,
            "title": title,
            "summary": _text(top, "description"),
            "options": default_options(),
            "layers": layers,
        }

    def _check_counts(self) -> None:
        """Refuse too many placemarks before building them; note what we do not import."""
        counts = {name: _count(self.root, name) for name in ("Placemark", *SKIPPED_ELEMENTS)}
        if counts["Placemark"] > self.limits.max_features:
            value = {"value": counts["Placemark"], "limit": self.limits.max_features}
            raise FormatError([Issue(m.TOO_MANY_FEATURES, value)])
        for name in SKIPPED_ELEMENTS:
            if counts[name]:
                self.notes.append(
                    Issue(m.KML_NOTE_SKIPPED_ELEMENT, {"name": name, "count": counts[name]})
                )

    def _layer(self, folder: ET.Element, placemarks: list, position: int, name: str) -> dict:
        where = Location(layer=position, layer_name=name)
        # A style every placemark of the folder shares becomes the layer's style (as we write).
        urls = {_text(placemark, "styleUrl") for placemark in placemarks}
        shared = urls.pop() if len(urls) == 1 else ""
        layer_style, shared_icon = self._style_url(shared, where)
        features = []
        for placemark in placemarks:
            at = Location(position, name, len(features) + 1)
            feature = self._feature(placemark, at, None if shared else placemark)
            # Read: its elements go (styles stay in ``self.styles``), so that the tree and the
            # features, each several times the file's size, are never both whole.
            placemark.clear()
            if feature is None:
                continue
            if shared_icon and "_kml_icon" not in feature["properties"]:
                feature["properties"]["_kml_icon"] = shared_icon
            features.append(feature)
        layer = {"name": name, "description": _text(folder, "description"), "features": features}
        if _text(folder, "visibility") == "0":
            layer["shown_on_load"] = False
        if layer_style:
            layer["style"] = layer_style
        return layer

    def _feature(
        self, placemark: ET.Element, where: Location, styled: ET.Element | None
    ) -> dict | None:
        element = next((c for c in placemark if _tag(c) in GEOMETRIES), None)
        if element is None:
            name = _text(placemark, "name")
            self.notes.append(Issue(m.KML_NOTE_NO_GEOMETRY, {"value": shown(name, 40)}, where))
            return None
        geometry = self._geometry(element, where, 0)
        if geometry is None:
            return None
        if close_rings(geometry):  # the same rule in every reader
            self.notes.append(Issue(m.NOTE_RING_CLOSED, {}, where))
        properties = _properties(placemark, self.schemas)
        self.notes.extend(image_notes(properties.get("description"), where))
        # ``styled`` is None when the folder's shared style already became the layer's.
        style, icon = (
            self._style_url(_text(styled, "styleUrl"), where) if styled is not None else ({}, None)
        )
        inline = _child(placemark, "Style")
        if inline is not None:
            inline_style, inline_icon = _style_from(inline, where, self.notes)
            style, icon = {**style, **inline_style}, inline_icon or icon
        if style:
            properties["_style"] = style
        if icon:
            properties["_kml_icon"] = icon
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    def _style_url(self, url: str, where: Location) -> tuple[dict, str | None]:
        """The style a ``styleUrl`` names (a StyleMap's "normal" one); only local ids resolve."""
        key = url.rpartition("#")[2]
        if key not in self.style_cache:
            element = self.styles.get(key)
            self.style_cache[key] = (
                ({}, None) if element is None else _style_from(element, where, self.notes)
            )
        style, icon = self.style_cache[key]
        return dict(style), icon

    def _geometry(self, element: ET.Element, where: Location, depth: int) -> dict | None:
        if depth > self.limits.max_depth:
            raise FormatError(
                [Issue(m.TOO_DEEP_UNMEASURED, {"limit": self.limits.max_depth}, where)]
            )
        kind = _tag(element)
        if kind == "Point":
            positions = _coordinates(element, where)
            return {"type": "Point", "coordinates": positions[0]}
        if kind in ("LineString", "LinearRing"):
            return {
                "type": "LineString",
                "coordinates": _coordinates(element, where, empty_ok=True),
            }
        if kind == "Track":
            return {"type": "LineString", "coordinates": _track(element, where)}
        if kind == "Polygon":
            return {"type": "Polygon", "coordinates": _polygon(element, where)}
        if kind in ("MultiGeometry", "MultiTrack"):
            return self._multi(element, where, depth)
        self.notes.append(Issue(m.KML_NOTE_UNSUPPORTED_GEOMETRY, {"name": kind}, where))
        return None

    def _multi(self, element: ET.Element, where: Location, depth: int) -> dict:
        members = []
        for child in element:
            if _tag(child) in GEOMETRIES or _tag(child) in UNSUPPORTED_GEOMETRIES:
                member = self._geometry(child, where, depth + 1)
                if member is not None:
                    members.append(member)
        return _merge_members(members)


def _merge_members(members: list[dict]) -> dict:
    """A Multi* geometry when every member has one simple type, else a GeometryCollection."""
    kinds = {member["type"].removeprefix("Multi") for member in members}
    if len(kinds) != 1 or "GeometryCollection" in kinds:
        return {"type": "GeometryCollection", "geometries": members}
    kind = kinds.pop()
    parts = []
    for member in members:
        if member["type"] == kind:
            parts.append(member["coordinates"])
        else:
            parts.extend(member["coordinates"])
    return {"type": "Multi" + kind, "coordinates": parts}


def _containers(top: ET.Element, top_name: str) -> Iterator[tuple[tuple[str, ...], ET.Element]]:
    """Every container with its folder path, in document order (iterative: no deep recursion).

    Paths are short: parsing capped the nesting of folders, and each name is cut to
    ``FOLDER_NAME_CHARS``.
    """
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(top, ())]
    while stack:
        container, path = stack.pop()
        yield path, container
        # ``child.tag``, not ``_tag(child)``: a container may hold hundreds of thousands.
        folders = [child for child in container if child.tag in CONTAINERS]
        for index in range(len(folders), 0, -1):
            folder = folders[index - 1]
            name = _text(folder, "name")[:FOLDER_NAME_CHARS] or f"{top_name} {index}"
            stack.append((folder, (*path, name)))


# --- coordinates -------------------------------------------------------------------------------


def _coordinates(element: ET.Element, where: Location, *, empty_ok: bool = False) -> list:
    """The positions of a geometry's ``coordinates``: "lon,lat[,alt]" tuples, whitespace apart."""
    node = _child(element, "coordinates")
    text = "" if node is None else "".join(node.itertext())
    tuples = _tuples(text)
    if not tuples and not empty_ok:
        raise FormatError([Issue(m.EMPTY_GEOMETRY, location=where)])
    return [_position(parts, where, index) for index, parts in enumerate(tuples)]


def _tuples(text: str) -> list[list[str]]:
    """Whitespace separates tuples; trailing commas are dropped, and "2.35, 48.85" (a space after
    the comma of a tuple that has no latitude yet) is read as one tuple."""
    tuples: list[list[str]] = []
    open_tuple = False
    for token in text.split():
        parts = [part for part in token.split(",") if part]
        if open_tuple:
            tuples[-1].extend(parts)
        elif parts:
            tuples.append(parts)
        open_tuple = bool(tuples) and token.endswith(",") and len(tuples[-1]) < 2
    return tuples


def _track(element: ET.Element, where: Location) -> list:
    """A gx:Track's positions: one ``gx:coord`` "lon lat alt" each (timestamps are not kept)."""
    coords = [child for child in element if _tag(child) == "coord"]
    return [_position((c.text or "").split(), where, index) for index, c in enumerate(coords)]


def _position(parts: list[str], where: Location, index: int) -> list[float]:
    try:
        # float() alone would also take "nan", "inf" and "1_0": those fail below.
        position = [float(part) for part in parts]
        if all(map(math.isfinite, position)) and not any("_" in part for part in parts):
            return position
    except ValueError:
        pass
    return _bad_position(parts, where, index)  # the slow path only finds and reports the culprit


def _bad_position(parts: list[str], where: Location, index: int) -> list[float]:
    at = Location(where.layer, where.layer_name, where.feature, f"coordinates[{index}]")
    for part in parts:
        value = {"value": shown(part, 40)}
        if not _NUMBER_RE.fullmatch(part):
            raise FormatError([Issue(m.COORDINATE_NOT_NUMBER, value, at)])
        if not math.isfinite(float(part)):
            raise FormatError([Issue(m.COORDINATE_NOT_FINITE, value, at)])
    raise AssertionError("unreachable: a valid position takes the fast path")


def _polygon(element: ET.Element, where: Location) -> list:
    outer = _child(element, "outerBoundaryIs")
    ring = None if outer is None else _child(outer, "LinearRing")
    if ring is None:
        raise FormatError([Issue(m.KML_NO_OUTER_BOUNDARY, location=where)])
    rings = [_coordinates(ring, where, empty_ok=True)]
    for inner in _children(element, "innerBoundaryIs"):
        rings.extend(
            _coordinates(hole, where, empty_ok=True) for hole in _children(inner, "LinearRing")
        )
    return rings


# --- properties --------------------------------------------------------------------------------


def _properties(placemark: ET.Element, schemas: dict[str, dict[str, str]]) -> dict:
    """name, description and ExtendedData; "_" names stay ours (never taken from a file)."""
    properties: dict[str, object] = {}
    extended = _child(placemark, "ExtendedData")
    if extended is not None:
        for data in _children(extended, "Data"):
            _set(properties, data.get("name"), _text(data, "value", strip=False))
        for schema_data in _children(extended, "SchemaData"):
            types = schemas.get((schema_data.get("schemaUrl") or "").rpartition("#")[2], {})
            for simple in _children(schema_data, "SimpleData"):
                name = simple.get("name")
                _set(properties, name, _typed(simple.text or "", types.get(name or "")))
    for key in ("name", "description"):
        text = _text(placemark, key)
        if text:
            properties[key] = text  # the element wins over an ExtendedData field of that name
    return properties


def _set(properties: dict, name: str | None, value: object) -> None:
    if name and not name.startswith("_"):
        properties[name] = value


def _typed(text: str, kind: str | None) -> object:
    """A SimpleData value converted by its Schema type; text when it does not fit the type."""
    value = text.strip()
    if kind in INT_TYPES and re.fullmatch(r"[-+]?\d+", value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts: kept as text
            return text
    if kind in FLOAT_TYPES and _NUMBER_RE.fullmatch(value):
        number = float(value)
        return number if math.isfinite(number) else text
    if kind == "bool" and value.lower() in ("1", "true", "0", "false"):
        return value.lower() in ("1", "true")
    return text


def _schema_index(root: ET.Element) -> dict[str, dict[str, str]]:
    """Schema id → {field name: KML type}, so typed SchemaData values come back typed."""
    schemas = {}
    for schema in root.iter("Schema"):
        if schema.get("id"):
            fields = _children(schema, "SimpleField")
            schemas[schema.get("id")] = {f.get("name"): (f.get("type") or "") for f in fields}
    return schemas


# --- styles ------------------------------------------------------------------------------------


def _style_index(root: ET.Element) -> dict[str, ET.Element]:
    """Style id → Style element; a StyleMap id → the Style of its "normal" pair."""
    styles = {element.get("id"): element for element in root.iter("Style") if element.get("id")}
    maps = {element.get("id"): element for element in root.iter("StyleMap") if element.get("id")}
    for key, style_map in maps.items():
        for pair in _children(style_map, "Pair"):
            if _text(pair, "key") in ("normal", ""):
                inline = _child(pair, "Style")
                target = (
                    inline
                    if inline is not None
                    else styles.get(_text(pair, "styleUrl").rpartition("#")[2])
                )
                if target is not None:
                    styles[key] = target
                break
    return styles


def _style_from(
    element: ET.Element, where: Location, notes: list[Issue]
) -> tuple[dict, str | None]:
    """Our style keys from a KML Style, and its icon address (kept, never fetched)."""
    style: dict[str, object] = {}
    icon_style = _child(element, "IconStyle")
    icon = None
    if icon_style is not None:
        _colour_into(style, icon_style, "color", "opacity", where, notes)
        icon_node = _child(icon_style, "Icon")
        icon = _text(icon_node, "href") or None  # _text accepts a missing Icon
    line = _child(element, "LineStyle")
    if line is not None:
        _colour_into(style, line, "color", "opacity", where, notes)
        _width_into(style, line, where, notes)
    poly = _child(element, "PolyStyle")
    if poly is not None:
        _colour_into(style, poly, "fill_color", "fill_opacity", where, notes)
        fill = _text(poly, "fill")
        if fill in ("0", "1"):
            style["fill"] = fill == "1"
    return style, icon


def _colour_into(
    style: dict, element: ET.Element, key: str, opacity_key: str, where: Location, notes: list
) -> None:
    text = _text(element, "color")
    if not text:
        return
    parsed = kml_to_css(text)
    if parsed is None:
        notes.append(
            Issue(m.KML_NOTE_STYLE_VALUE, {"value": shown(text, 40), "name": "color"}, where)
        )
        return
    style[key], opacity = parsed
    if opacity < 1:
        style[opacity_key] = opacity
    else:
        style.pop(opacity_key, None)


def _width_into(style: dict, element: ET.Element, where: Location, notes: list) -> None:
    text = _text(element, "width")
    if not text:
        return
    width = to_number(text)
    if width is None or width < 0:
        notes.append(
            Issue(m.KML_NOTE_STYLE_VALUE, {"value": shown(text, 40), "name": "width"}, where)
        )
        return
    style["weight"] = min(width, 50)  # our cap: thicker lines are not useful on a web map


def kml_to_css(text: str) -> tuple[str, float] | None:
    """A KML colour ("aabbggrr", hex) as "#rrggbb" and an opacity (0..1, 2 decimals)."""
    match = _KML_COLOUR_RE.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    if len(digits) == 6:  # some tools leave out the alpha
        digits = "ff" + digits
    alpha, blue, green, red = digits[0:2], digits[2:4], digits[4:6], digits[6:8]
    # Two decimals: 0.5 → 128 → 0.5 again, so opacities survive a round trip.
    return f"#{red}{green}{blue}", round(int(alpha, 16) / 255, 2)


def css_to_kml(colour: str, opacity: float | None = None) -> str | None:
    """A CSS colour (hex or named) as KML "aabbggrr"; ``opacity`` overrides its own alpha."""
    hex_digits = (
        CSS_COLOUR_HEX.get(colour.lower(), "") if not colour.startswith("#") else colour[1:]
    )
    if len(hex_digits) in (3, 4):
        hex_digits = "".join(digit * 2 for digit in hex_digits)
    if len(hex_digits) not in (6, 8) or not re.fullmatch(r"[0-9a-fA-F]+", hex_digits):
        return None
    red, green, blue = hex_digits[0:2], hex_digits[2:4], hex_digits[4:6]
    alpha = int(hex_digits[6:8], 16) if len(hex_digits) == 8 else 255
    if opacity is not None:
        alpha = round(opacity * 255)
    return f"{alpha:02x}{blue}{green}{red}".lower()


# --- KMZ ---------------------------------------------------------------------------------------


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,  # a compression method zipfile lacks
    RuntimeError,  # an encrypted member
)


def kml_from_kmz(data: bytes, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The KML inside a KMZ, read in memory with caps on members, size and compression ratio."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise FormatError([Issue(m.KMZ_NOT_ZIP)]) from error
    with archive:
        members = archive.infolist()
        _check_members(members, limits)
        member = _main_kml(members)
        try:
            return _read_member(archive, member, limits)
        except FormatError:
            raise  # our own size error is a ValueError too: do not blur it into "damaged"
        except _ZIP_ERRORS as error:
            raise FormatError([Issue(m.KMZ_UNREADABLE)]) from error


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > MAX_KMZ_MEMBERS:
        value = {"value": len(members), "limit": MAX_KMZ_MEMBERS}
        raise FormatError([Issue(m.KMZ_TOO_MANY_FILES, value)])
    for member in members:
        name = member.filename
        if _UNSAFE_NAME_RE.search(name) or ".." in PurePosixPath(name).parts:
            raise FormatError([Issue(m.KMZ_UNSAFE_NAME, {"value": shown(name, 60)})])
    if sum(member.file_size for member in members) > limits.max_bytes:
        raise FormatError([Issue(m.KMZ_TOO_LARGE, {"limit": limits.max_bytes})])
    for member in members:
        ratio_limit = MAX_KMZ_RATIO * max(member.compress_size, 1)
        if member.file_size > KMZ_RATIO_FLOOR and member.file_size > ratio_limit:
            value = {"value": shown(member.filename, 60), "limit": MAX_KMZ_RATIO}
            raise FormatError([Issue(m.KMZ_RATIO, value)])


def _main_kml(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """doc.kml, as Google Earth writes it, else the first .kml at the archive's root."""
    candidates = [
        member
        for member in members
        if "/" not in member.filename and member.filename.lower().endswith(".kml")
    ]
    for member in candidates:
        if member.filename.lower() == "doc.kml":
            return member
    if not candidates:
        raise FormatError([Issue(m.KMZ_NO_KML)])
    return candidates[0]


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> bytes:
    """The member's bytes, counted while inflating: a header can lie about the size."""
    parts, total = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limits.max_bytes:
                raise FormatError([Issue(m.KMZ_TOO_LARGE, {"limit": limits.max_bytes})])
            parts.append(chunk)
    return b"".join(parts)


# --- writing -----------------------------------------------------------------------------------


def write(document: dict) -> bytes:
    """A full map document (features inline) as a KML 2.2 file."""
    # Plain names plus an xmlns attribute: ElementTree's default_namespace refuses attributes.
    kml = ET.Element("kml", {"xmlns": KML_NS})
    container = ET.SubElement(kml, _k("Document"))
    _add_text(container, "name", document.get("title"))
    _add_text(container, "description", document.get("summary"))
    layers = document.get("layers", [])
    styled = {}
    for layer in layers:
        style = _style_element(layer.get("style") or {}, None, STYLE_ID_PREFIX + layer["id"])
        if style is not None:
            container.append(style)
            styled[layer["id"]] = "#" + STYLE_ID_PREFIX + layer["id"]
    types = _field_types(layers)
    if types:
        container.append(_schema_element(types))
    for layer in layers:
        container.append(_folder(layer, styled.get(layer["id"]), types))
    ET.indent(kml)
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True)


def _k(tag: str) -> str:
    return tag  # the namespace is the document's default one, declared on <kml>


def _add_text(parent: ET.Element, tag: str, text: object) -> ET.Element | None:
    if text in (None, ""):
        return None
    element = ET.SubElement(parent, _k(tag))
    # ElementTree escapes it (HTML descriptions stay text), but cannot write what XML forbids.
    element.text = xml_text(str(text))
    return element


def _folder(layer: dict, style_url: str | None, types: dict[str, str]) -> ET.Element:
    folder = ET.Element(_k("Folder"))
    _add_text(folder, "name", layer["name"])
    if not layer.get("shown_on_load", True):
        _add_text(folder, "visibility", "0")
    _add_text(folder, "description", layer.get("description"))
    for feature in iter_layer_features(layer):
        folder.append(_placemark(feature, style_url, types))
    return folder


def _placemark(feature: dict, style_url: str | None, types: dict[str, str]) -> ET.Element:
    properties = feature.get("properties") or {}
    placemark = ET.Element(_k("Placemark"))
    _add_text(placemark, "name", properties.get("name"))
    _add_text(placemark, "description", properties.get("description"))
    _add_text(placemark, "styleUrl", style_url)
    style = _style_element(properties.get("_style") or {}, properties.get("_kml_icon"), None)
    if style is not None:
        placemark.append(style)
    extended = _extended_data(properties, types)
    if extended is not None:
        placemark.append(extended)
    placemark.append(_geometry_element(feature["geometry"]))
    return placemark


def _style_element(style: dict, icon: object, style_id: str | None) -> ET.Element | None:
    """A KML Style from our style keys (dash_array and marker_shape have no KML form)."""
    element = ET.Element(_k("Style"))
    if style_id:
        element.set("id", style_id)
    line_colour = css_to_kml(style["color"], style.get("opacity")) if "color" in style else None
    if line_colour or isinstance(icon, str):
        icon_style = ET.SubElement(element, _k("IconStyle"))
        _add_text(icon_style, "color", line_colour)
        if isinstance(icon, str):
            _add_text(ET.SubElement(icon_style, _k("Icon")), "href", icon)
    if line_colour or "weight" in style:
        line = ET.SubElement(element, _k("LineStyle"))
        _add_text(line, "color", line_colour)
        _add_text(line, "width", _number(style["weight"]) if "weight" in style else None)
    base = style.get("fill_color") or (style.get("color") if "fill_opacity" in style else None)
    fill_colour = css_to_kml(base, style.get("fill_opacity")) if base else None
    if fill_colour or "fill" in style:
        poly = ET.SubElement(element, _k("PolyStyle"))
        _add_text(poly, "color", fill_colour)
        if "fill" in style:
            _add_text(poly, "fill", "1" if style["fill"] else "0")
    return element if len(element) else None


def _field_types(layers: list[dict]) -> dict[str, str]:
    """KML Schema types for properties that hold only numbers or only booleans, so they read
    back as numbers and booleans rather than text."""
    kinds: dict[str, set[str]] = {}
    for layer in layers:
        for feature in iter_layer_features(layer):
            for key, value in (feature.get("properties") or {}).items():
                if _exported(key):
                    kinds.setdefault(key, set()).add(_kind(value))
    types = {}
    for key, found in kinds.items():
        if found == {"bool"}:
            types[key] = "bool"
        elif found == {"int"}:
            types[key] = "int"
        elif found <= {"int", "double"}:
            types[key] = "double"
    return types


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "text"


def _exported(key: str) -> bool:
    return key not in ("name", "description") and not key.startswith("_")


SCHEMA_ID = "wagtail-umap-fields"


def _schema_element(types: dict[str, str]) -> ET.Element:
    schema = ET.Element(_k("Schema"), {"id": SCHEMA_ID, "name": SCHEMA_ID})
    for key, kind in types.items():
        ET.SubElement(schema, _k("SimpleField"), {"name": xml_text(key), "type": kind})
    return schema


def _extended_data(properties: dict, types: dict[str, str]) -> ET.Element | None:
    extended = ET.Element(_k("ExtendedData"))
    typed = ET.Element(_k("SchemaData"), {"schemaUrl": "#" + SCHEMA_ID})
    for key, value in properties.items():
        if not _exported(key):
            continue
        if key in types:
            simple = ET.SubElement(typed, _k("SimpleData"), {"name": xml_text(key)})
            simple.text = _typed_text(value)
        else:
            data = ET.SubElement(extended, _k("Data"), {"name": xml_text(key)})
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            ET.SubElement(data, _k("value")).text = xml_text(text)
    if len(typed):
        extended.append(typed)
    return extended if len(extended) else None


def _typed_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _geometry_element(geometry: dict) -> ET.Element:
    kind, coordinates = geometry["type"], geometry.get("coordinates")
    if kind == "GeometryCollection":
        multi = ET.Element(_k("MultiGeometry"))
        multi.extend(_geometry_element(member) for member in geometry["geometries"])
        return multi
    if kind.startswith("Multi"):
        multi = ET.Element(_k("MultiGeometry"))
        simple = kind.removeprefix("Multi")
        multi.extend(
            _geometry_element({"type": simple, "coordinates": part}) for part in coordinates
        )
        return multi
    element = ET.Element(_k(kind))
    if kind == "Point":
        _add_coordinates(element, [coordinates])
    elif kind == "LineString":
        _add_coordinates(element, coordinates)
    else:
        for index, ring in enumerate(coordinates):
            boundary = ET.SubElement(
                element, _k("outerBoundaryIs" if index == 0 else "innerBoundaryIs")
            )
            _add_coordinates(ET.SubElement(boundary, _k("LinearRing")), ring)
    return element


def _add_coordinates(parent: ET.Element, positions: list) -> None:
    text = " ".join(",".join(_number(number) for number in position) for position in positions)
    ET.SubElement(parent, _k("coordinates")).text = text


def _number(value: float) -> str:
    """A coordinate as KML readers expect it: plain decimals, never an exponent."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- small helpers -----------------------------------------------------------------------------


# Parsing named elements by their local name (see safexml.parse): KML 2.2, Google's 2.x and no
# namespace all read alike, and ElementTree's C methods select them.


def _tag(element: ET.Element) -> str:
    return element.tag


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return element.find(name)


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return element.findall(name)


def _count(root: ET.Element, name: str) -> int:
    return sum(1 for _ in root.iter(name))


def _text(element: ET.Element | None, name: str, *, strip: bool = True) -> str:
    """The text of ``element``'s first ``name`` child ("" when absent), CDATA included."""
    child = None if element is None else _child(element, name)
    if child is None:
        return ""
    text = "".join(child.itertext())
    return text.strip() if strip else text
