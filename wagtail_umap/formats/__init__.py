"""Reading and writing map files as map documents, without Django.

One module a format (``geojson``, ``umap``, ``csv``, ``kml``, ``gpx``, ``georss``; ``osm`` for
OpenStreetMap JSON, which ``geojson`` recognises by content), behind two entry points:
``read_map_file`` chooses the reader from the file's extension, and ``write_map_file`` the
writer from a format name. A reader module offers ``read_file(data, *, filename, limits)``
returning an ``ImportResult``; a writer module offers ``write(document) -> bytes`` for a full
document (features inline).
"""

from __future__ import annotations

import copy
import gc
import importlib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue, Location, MapDocumentError, shown
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, check_depth, check_encodable

# Extension → the module that reads it.
READERS = {
    ".geojson": "geojson",
    ".json": "geojson",  # or a uMap backup: geojson.read_file looks at the content
    ".umap": "umap",
    ".csv": "csv",
    ".tsv": "csv",
    ".kml": "kml",
    ".kmz": "kml",
    ".gpx": "gpx",
    ".rss": "georss",
    ".atom": "georss",
    ".georss": "georss",
}
SUPPORTED_EXTENSIONS = tuple(READERS)


@dataclass(frozen=True)
class ExportFormat:
    module: str
    label: str  # the format's own name, the same in every language
    extension: str
    content_type: str


EXPORT_FORMATS = {
    "geojson": ExportFormat("geojson", "GeoJSON", ".geojson", "application/geo+json"),
    "csv": ExportFormat("csv", "CSV", ".csv", "text/csv; charset=utf-8"),
    "kml": ExportFormat("kml", "KML", ".kml", "application/vnd.google-earth.kml+xml"),
    "gpx": ExportFormat("gpx", "GPX", ".gpx", "application/gpx+xml"),
    "umap": ExportFormat("umap", "uMap", ".umap", "application/json"),
}


class FormatError(MapDocumentError):
    """A file that cannot be read at all: wrong type, not UTF-8, not JSON, too large."""


@dataclass
class ImportResult:
    document: dict  # a full document, already passed through validate_document
    notes: list[Issue] = field(default_factory=list)  # read but not shown (yet)


def read_map_file(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """Read an uploaded map file, choosing the reader from its extension."""
    extension = PurePath(filename).suffix.lower()
    if extension not in READERS:
        value = {"value": shown(extension or filename), "choices": ", ".join(READERS)}
        raise FormatError([Issue(m.UNSUPPORTED_EXTENSION, value)])
    check_file_size(data, limits)
    reader = importlib.import_module(f"wagtail_umap.formats.{READERS[extension]}")
    with _gc_paused():
        result = reader.read_file(data, filename=filename, limits=limits)
    if extension != ".umap":  # a uMap backup says which property names its features
        from wagtail_umap.formats.naming import set_label_keys

        set_label_keys(result.document)
    return result


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is read.

    Reading builds millions of lists and dicts that all stay alive (the parsed value, then its
    cleaned copy), and every 700 of them start a collection that walks what was built: on a
    GeoJSON file, over half of the time (and of ``json.load``'s own) goes there, for nothing,
    since JSON values hold no reference cycles. Reference counting still frees everything as
    usual; the collector is switched back on at the end, even on an error, and left alone if
    it was already off. It is process-wide: other threads get no cyclic collection during a
    read either (only for its few seconds, and reference counting still runs for them).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def write_map_file(document: dict, format_name: str) -> bytes:
    """A full document (features inline) written in one of ``EXPORT_FORMATS``."""
    writer = importlib.import_module(f"wagtail_umap.formats.{EXPORT_FORMATS[format_name].module}")
    return writer.write(document)


def layer_name_from(filename: str) -> str:
    """The name a one-layer file's layer gets: the file's name without its extension."""
    return PurePath(filename).stem or "Layer"


# --- rules every reader shares ---------------------------------------------------------------

_IMG_RE = re.compile(r"<img\b", re.IGNORECASE)


def close_rings(geometry: object) -> bool:
    """Close, in place, every polygon ring of ``geometry`` that does not end at its first
    position (the readers' rule, noted by ``messages.NOTE_RING_CLOSED``; validation still
    refuses an unclosed ring in a document from the editor). Whether one was closed."""
    if not isinstance(geometry, dict):
        return False
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    elif kind == "GeometryCollection" and isinstance(geometry.get("geometries"), list):
        return any([close_rings(part) for part in geometry["geometries"]])
    else:
        return False
    closed = False
    for polygon in polygons:
        for ring in polygon if isinstance(polygon, list) else ():
            if (
                isinstance(ring, list)
                and len(ring) >= 3
                and isinstance(ring[0], list)
                and ring[0] != ring[-1]
            ):
                ring.append(list(ring[0]))
                closed = True
    return closed


def skip_unlocated_and_close_rings(features: object, where: Location, notes: list[Issue]) -> object:
    """A reader's features without those that have no geometry, and with their unclosed rings
    closed, each noted at the feature's position in the file (the same rule in every format).
    The features given are not changed: a feature whose rings need closing is copied."""
    if not isinstance(features, list):
        return features
    kept = []
    for number, feature in enumerate(features, start=1):
        here = Location(layer=where.layer, layer_name=where.layer_name, feature=number)
        if isinstance(feature, dict) and feature.get("type") == "Feature":
            geometry = feature.get("geometry")
            if geometry is None:
                notes.append(Issue(m.NOTE_FEATURE_NO_GEOMETRY, {}, here))
                continue
            if _has_open_ring(geometry):
                geometry = copy.deepcopy(geometry)
                close_rings(geometry)
                feature = {**feature, "geometry": geometry}
                notes.append(Issue(m.NOTE_RING_CLOSED, {}, here))
        kept.append(feature)
    return kept


def _has_open_ring(geometry: object) -> bool:
    if not isinstance(geometry, dict):
        return False
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection" and isinstance(geometry.get("geometries"), list):
        return any(_has_open_ring(part) for part in geometry["geometries"])
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return False
    return any(
        isinstance(ring, list)
        and len(ring) >= 3
        and isinstance(ring[0], list)
        and ring[0] != ring[-1]
        for polygon in polygons
        if isinstance(polygon, list)
        for ring in polygon
    )


def image_notes(description: object, where: Location) -> list[Issue]:
    """A note when a description holds an ``<img>`` that the description cleaner removes."""
    if isinstance(description, str) and _IMG_RE.search(description):
        return [Issue(m.NOTE_IMAGE_REMOVED, {}, where)]
    return []


def check_file_size(data: bytes, limits: Limits) -> None:
    check_import_size(len(data), limits)


def check_import_size(size: int, limits: Limits) -> None:
    """Refuse a file of more than ``limits.max_bytes`` (for imports: ``MAX_IMPORT_BYTES``, the
    same limit and message wherever a file comes in)."""
    if size > limits.max_bytes:
        raise FormatError([Issue(m.FILE_TOO_LARGE, {"value": size, "limit": limits.max_bytes})])


def parse_json(data: bytes, limits: Limits) -> object:
    """Parse JSON bytes into Python values, with every failure as a located ``FormatError``."""
    check_file_size(data, limits)
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM some Windows tools write
    except UnicodeDecodeError as error:
        raise FormatError([Issue(m.NOT_UTF8, {"position": error.start})]) from error
    return parse_json_text(text, limits)


def parse_json_text(text: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """Parse JSON text (a file's, or a map document posted by a form) into Python values.

    Every failure is a located ``FormatError``, never another exception: bad syntax, NaN and
    Infinity, nesting deeper than ``limits.max_depth``, an integer of more than
    ``MAX_INTEGER_DIGITS`` digits, a lone surrogate in a string or a key. Time and memory are
    those of ``json.loads``: the checks run at C speed, or only on the error path.
    """
    digits = max_integer_digits()
    if digits != sys.get_int_max_str_digits():
        # Python would convert longer integers, in time quadratic in their length.
        _check_integers(text, digits)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except _ForbiddenConstant as error:
        raise FormatError([Issue(m.JSON_CONSTANT, {"value": error.args[0]})]) from error
    except json.JSONDecodeError as error:
        where = {"line": error.lineno, "column": error.colno}
        raise FormatError([Issue(m.BAD_JSON, where)]) from error
    except RecursionError as error:
        # json.loads cannot be depth-limited; the C parser stops on the interpreter's limit.
        issue = Issue(m.TOO_DEEP_UNMEASURED, {"limit": limits.max_depth})
        raise FormatError([issue]) from error
    except ValueError:
        # Python's own cap on integer conversion (sys.get_int_max_str_digits()).
        _check_integers(text, digits)
        raise  # pragma: no cover - json.loads raises no other ValueError
    try:
        check_depth(value, limits)
        if _SURROGATE_ESCAPE_RE.search(text):
            check_encodable(value)
    except MapDocumentError as error:
        raise FormatError(error.issues) from error
    return value


# Python's default cap on the digits of an integer it converts from text (CPython 3.11+).
MAX_INTEGER_DIGITS = 4300
# A "\uD800" to "\uDFFF" escape: half of a surrogate pair (emoji of an ASCII-only file), or a
# lone one, which only check_encodable tells apart.
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def max_integer_digits() -> int:
    """The most digits a JSON integer may have: ``MAX_INTEGER_DIGITS``, or Python's own lower
    cap when the site set one."""
    python_cap = sys.get_int_max_str_digits()
    return python_cap if 0 < python_cap < MAX_INTEGER_DIGITS else MAX_INTEGER_DIGITS


def _check_integers(text: str, digits: int) -> None:
    """Raise, located, if ``text`` holds a JSON integer of more than ``digits`` digits."""
    # A cheap search first (anchored at the start of a run of digits, so linear); the exact one,
    # which skips strings and reads whole numbers, only when a long run of digits exists.
    if not re.search(rf"(?<![0-9])[0-9]{{{digits + 1}}}", text):
        return
    for match in _STRING_OR_NUMBER_RE.finditer(text):
        number = match.group().lstrip("-")
        if len(number) > digits and number.isdigit():  # floats (".", "e") have no such cap
            start = match.start()
            line = text.count("\n", 0, start) + 1
            column = start - text.rfind("\n", 0, start)
            params = {"value": len(number), "line": line, "column": column, "limit": digits}
            raise FormatError([Issue(m.NUMBER_TOO_LONG, params)])


# Possessive: no backtracking, whatever the length of a string.
_STRING_OR_NUMBER_RE = re.compile(
    r'"(?:[^"\\]++|\\.)*+"|-?[0-9]++(?:\.[0-9]*+)?+(?:[eE][-+]?[0-9]*+)?+'
)


class _ForbiddenConstant(ValueError):
    pass


def _reject_constant(name: str) -> object:
    # NaN and Infinity are not JSON; Python's parser accepts them unless told otherwise.
    raise _ForbiddenConstant(name)
