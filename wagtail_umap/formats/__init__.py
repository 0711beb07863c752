"""Reading and writing map files (GeoJSON, uMap) as map documents, without Django."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePath

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue, MapDocumentError, shown
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, check_size

SUPPORTED_EXTENSIONS = (".geojson", ".json", ".umap")


class FormatError(MapDocumentError):
    """A file that cannot be read at all: wrong type, not UTF-8, not JSON, too large."""


@dataclass
class ImportResult:
    document: dict  # a full document, already passed through validate_document
    notes: list[Issue] = field(default_factory=list)  # read but not shown (yet)


def read_map_file(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """Read an uploaded map file, choosing the reader from its extension and content."""
    from wagtail_umap.formats import geojson, umap  # the readers import this module

    path = PurePath(filename)
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise FormatError([Issue(m.UNSUPPORTED_EXTENSION, {"value": shown(extension or filename)})])
    value = parse_json(data, limits)
    name = path.stem or "Layer"
    is_umap = isinstance(value, dict) and value.get("type") == "umap"
    if extension == ".umap" or (extension == ".json" and is_umap):
        return umap.from_value(value, limits=limits, default_layer_name=name)
    return geojson.from_value(value, layer_name=name, limits=limits)


def check_file_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        value = {"value": len(data), "limit": limits.max_bytes}
        raise FormatError([Issue(m.FILE_TOO_LARGE, value)])


def parse_json(data: bytes, limits: Limits) -> object:
    """Parse JSON bytes into Python values, with every failure as a located ``FormatError``."""
    check_file_size(data, limits)
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM some Windows tools write
    except UnicodeDecodeError as error:
        raise FormatError([Issue(m.NOT_UTF8, {"position": error.start})]) from error
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
    try:
        check_size(value, limits)
    except MapDocumentError as error:
        raise FormatError(error.issues) from error
    return value


class _ForbiddenConstant(ValueError):
    pass


def _reject_constant(name: str) -> object:
    # NaN and Infinity are not JSON; Python's parser accepts them unless told otherwise.
    raise _ForbiddenConstant(name)
