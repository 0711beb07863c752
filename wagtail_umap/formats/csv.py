"""CSV and TSV files read into a one-layer map document, and written from a whole document.

Reading
    Text is UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (a note says so). The
    separator is sniffed among ``,`` ``;`` tab and ``|`` (``.tsv`` means tab). Positions come
    from a latitude and a longitude column found by header (case, accents, ``geo_`` prefixes and
    ``_wgs84`` suffixes ignored; decimal comma accepted), or from a geometry column holding WKT
    or a GeoJSON geometry; when a row has both, the geometry column wins. Every other column is
    a property under its own header (text as written, empty cells dropped), except that a
    ``description`` column becomes ``description``; the column that names the features ("nom",
    "libellé", "Nom de l'équipement"…) keeps its header and becomes the layer's ``label_key``
    (``formats.naming``, as in every format). A row without
    a usable position refuses the whole file, with up to 20 issues located by line number. A
    header of more than ``Limits.max_properties`` columns is refused before it is split.

Writing
    ``write(document)`` gives one UTF-8 CSV with a BOM (so Excel shows accents), ``,`` as the
    separator and RFC 4180 quoting (the form open data portals expect). Columns: ``layer``,
    ``name``, ``description``, every other property (in order of first appearance), ``wkt``, and
    ``latitude``/``longitude`` of the point, or of the centroid of a line (length-weighted) or a
    polygon (area-weighted), computed in degrees. Styles (``_style``, ``_umap_options``) are not
    written. A property named like one of the writer's own columns is written as
    ``"<key> (property)"``. A cell or a header cell a spreadsheet would run as a formula (``=``,
    ``+``, ``-``, ``@``, tab, CR first) gets a leading apostrophe, which reading takes off.

Our own exports
    A file whose header is exactly the writer's (``layer,name,description,…,wkt,latitude,
    longitude``) is read without guessing: one layer per value of ``layer`` (so a whole map comes
    back), positions from ``wkt``, every property under its own key. Read → write → read thus
    gives the same layers, geometries and properties (as text).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from wagtail_umap.core import messages as m
from wagtail_umap.core.document import DOCUMENT_VERSION, default_options, iter_layer_features
from wagtail_umap.core.errors import (
    Gettext,
    Issue,
    IssueCollector,
    Location,
    MapDocumentError,
    shown,
)
from wagtail_umap.core.validation import (
    DEFAULT_LIMITS,
    SIMPLE_GEOMETRIES,
    Limits,
    validate_document,
)
from wagtail_umap.formats import FormatError, ImportResult, check_file_size, layer_name_from
from wagtail_umap.formats.naming import set_label_keys
from wagtail_umap.formats.projection import (
    convert_positions,
    from_lambert93,
    looks_like_lambert93,
)

DELIMITERS = ",;\t|"
# Header words, compared after normalisation (lower case, no accents, "_" between words).
LATITUDE_NAMES = ("latitude", "lat", "lati", "y", "coordy", "yl93")  # "y" may be Lambert-93
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long", "longi", "x", "coordx", "xl93")
# Columns whose name gives no unit: their values say whether they are degrees or Lambert-93.
PLANE_NAMES = frozenset(("x", "y", "coordx", "coordy", "xl93", "yl93"))
# Words that say a coordinate column is in Lambert-93 metres ("X (Lambert 93)", "x_l93").
LAMBERT93_WORDS = frozenset(("l93", "lambert", "lambert93", "93", "rgf93", "2154", "xl93", "yl93"))
GEOMETRY_NAMES = (
    ("geometry", "geom", "wkt", "the_geom", "geojson", "wkt_geom", "geometrie")
    + ("geo_shape", "geoshape")  # OpenDataSoft and data.gouv.fr exports: a GeoJSON geometry
)
# OpenDataSoft's "latitude, longitude" column ("geo_point_2d", labelled "Geo Point").
GEO_POINT_NAMES = ("geo_point_2d", "geo_point", "geopoint", "geo_point_2d_wgs84")
# Words around a coordinate name that do not change its meaning ("geo_Longitude", "lat_wgs84").
NOISE_WORDS = frozenset(
    ("geo", "gps", "wgs84", "wgs", "84", "4326", "epsg", "coord", "coords", "coordinate")
    + ("coordonnee", "coordonnees", "dd", "deg", "degre", "degres", "decimal", "point", "pt")
)
# How many data lines the delimiter sniffer looks at, within how many characters at most.
SNIFF_LINES = 20
SNIFF_CHARS = 64 * 1024
# Different values of a column remembered, at least, to share them between rows (_Rows._shared).
SHARED_VALUES = 1024

NUMBER_RE = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?")
# A valid UTF-8 multi-byte sequence: found in a file that is not UTF-8, it means mixed encodings.
UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
SPREADSHEET_MAGIC = {b"PK\x03\x04": "xlsx, ods", b"\xd0\xcf\x11\xe0": "xls"}

WRITER_COLUMNS = ("layer", "name", "description")
WRITER_GEOMETRY_COLUMNS = ("wkt", "latitude", "longitude")
SKIPPED_PROPERTIES = ("_style", "_umap_options")  # styles are not CSV data
PROPERTY_SUFFIX = " (property)"  # marks a property named like one of the writer's columns


def _identity(message: str) -> str:
    return message


@dataclass(frozen=True)
class LineLocation(Location):
    """A place in a text file: 'layer 1 "Écoles", line 7' (the line is translatable)."""

    line: int | None = None

    def render(self, gettext: Gettext = _identity) -> str:
        where = Location(layer=self.layer, layer_name=self.layer_name).render(gettext)
        line = gettext(m.LOCATION_LINE) % {"line": self.line}
        where = f"{where}, {line}" if where else line
        if self.detail:
            return gettext(m.LOCATION_DETAIL) % {"where": where, "detail": self.detail}
        return where


# --- reading ---------------------------------------------------------------------------------


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A .csv or .tsv file as one layer named after the file."""
    check_file_size(data, limits)
    notes: list[Issue] = []
    tab = PurePath(filename).suffix.lower() == ".tsv"
    # The text is not kept here: read_text lets it go once the rows are read.
    return read_text(
        _decode(data, notes),
        layer_name=layer_name_from(filename),
        delimiter="\t" if tab else None,
        limits=limits,
        notes=notes,
    )


def read_text(
    text: str,
    *,
    layer_name: str,
    delimiter: str | None = ",",
    limits: Limits = DEFAULT_LIMITS,
    notes: list[Issue] | None = None,
) -> ImportResult:
    """Decoded CSV text as one layer (our own exports: one layer per value of "layer");
    ``delimiter`` None: sniffed (``sniff_delimiter``)."""
    delimiter = sniff_delimiter(text) if delimiter is None else delimiter
    _check_header_width(text, delimiter, limits)
    records = _records(text, delimiter)
    header = next(records, None)
    if header is None:
        raise FormatError([Issue(m.CSV_EMPTY)])
    header_line, header_cells = header
    if len(header_cells) > limits.max_properties:
        raise _too_many_columns(len(header_cells), header_line, limits)
    columns = _Columns(header_cells)
    layer = Location(layer=1, layer_name=layer_name)
    rows = _Rows(columns, layer, limits)
    groups = rows.read(records)
    del text, records  # read: when the caller kept no reference, its memory is free again
    notes = [*(notes or []), *columns.notes, *rows.notes]
    if rows.lambert93_used:
        notes.append(Issue(m.NOTE_LAMBERT93))
    layers = [
        {"name": name or layer_name, "features": feats} for name, (feats, _) in groups.items()
    ]
    document = {"version": DOCUMENT_VERSION, "options": default_options(), "layers": layers}
    set_label_keys(document)
    try:
        cleaned = validate_document(document, limits, owned=True)
    except MapDocumentError as error:
        lines = [group_lines for _, group_lines in groups.values()]
        raise MapDocumentError([_at_line(issue, lines) for issue in error.issues]) from error
    return ImportResult(cleaned, notes or [])


def _check_header_width(text: str, delimiter: str, limits: Limits) -> None:
    """Refuse a header with too many columns before the csv module splits it (a header line
    without quotes holds exactly one column more than separators)."""
    number, start = 1, 0
    while True:  # the first line that is not blank, as _records finds it
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() or end < 0:
            break
        number, start = number + 1, end + 1
    if '"' not in line and line.count(delimiter) >= limits.max_properties:
        raise _too_many_columns(line.count(delimiter) + 1, number, limits)


def _too_many_columns(count: int, line: int, limits: Limits) -> FormatError:
    value = {"value": count, "limit": limits.max_properties}
    return FormatError([Issue(m.CSV_TOO_MANY_COLUMNS, value, LineLocation(line=line))])


def _decode(data: bytes, notes: list[Issue]) -> str:
    """The text of ``data``; a note is added to ``notes`` when it is not UTF-8."""
    for magic, kind in SPREADSHEET_MAGIC.items():
        if data.startswith(magic):
            raise FormatError([Issue(m.CSV_SPREADSHEET, {"value": kind})])
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise FormatError([Issue(m.CSV_BINARY, {"line": line})])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if UTF8_SEQUENCE_RE.search(data):
            # Accented letters in UTF-8 elsewhere: decoding as Windows-1252 would garble them.
            line = data.count(b"\n", 0, error.start) + 1
            raise FormatError([Issue(m.CSV_MIXED_ENCODINGS, {"line": line})]) from error
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"  # never fails
    notes.append(Issue(m.CSV_NOTE_ENCODING, {"value": encoding}))
    return text


def sniff_delimiter(text: str) -> str:
    """The separator among ``DELIMITERS``: csv.Sniffer on the first lines, else a count.

    Only the first ``SNIFF_CHARS`` characters are looked at (a line cut there is left out, but
    for the header), so sniffing costs the same on any file.
    """
    lines = text[:SNIFF_CHARS].lstrip("\ufeff").splitlines()
    if len(text) > SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # cut by the sample
    lines = lines[: SNIFF_LINES + 1]
    header = lines[0] if lines else ""
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    if delimiter is not None and delimiter in header:
        return delimiter
    # The sniffer finds nothing on a one-line file and is fooled by decimal commas.
    counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank record; quoting errors become issues."""
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    _allow_large_cells()
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(error, start) from error
        if "".join(cells).strip():  # a cell that is not blank
            yield start, cells
        start = reader.line_num + 1


def _lines(text: str) -> Iterator[str]:
    """``text`` line by line, each with its "\\n": what ``io.StringIO(text)`` gives, without its
    copy of the whole text at 4 bytes a character."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start) + 1 or length
        yield text[start:end]
        start = end


def _allow_large_cells() -> None:
    # A WKT polygon of a commune easily exceeds csv's default 128 KB cell limit; the file size
    # cap bounds every cell anyway. The limit is process-wide, so it is only ever raised.
    if csv.field_size_limit() < DEFAULT_LIMITS.max_bytes:
        csv.field_size_limit(DEFAULT_LIMITS.max_bytes)


def _csv_error(error: csv.Error, line: int) -> FormatError:
    reason = str(error)
    if "end of data" in reason:
        issue = Issue(m.CSV_UNCLOSED_QUOTE)
    elif "field limit" in reason:
        issue = Issue(m.CSV_CELL_TOO_LARGE, {"limit": csv.field_size_limit()})
    else:
        issue = Issue(m.CSV_BAD_QUOTES)
    return FormatError([Issue(issue.template, issue.params, LineLocation(line=line))])


def _at_line(issue: Issue, lines: list[list[int]]) -> Issue:
    """A validation issue about feature N of layer L, located at the line it came from."""
    where = issue.location
    if where.feature is None or where.layer is None or not 0 < where.layer <= len(lines):
        return issue
    layer_lines = lines[where.layer - 1]
    if not 0 < where.feature <= len(layer_lines):
        return issue
    line = layer_lines[where.feature - 1]
    location = LineLocation(where.layer, where.layer_name, None, where.detail, line)
    return Issue(issue.template, issue.params, location)


# --- columns ---------------------------------------------------------------------------------


def normalise_header(header: str) -> str:
    """'  Géo Longitude ' → 'geo_longitude': lower case, no accents, words joined by '_'."""
    decomposed = unicodedata.normalize("NFKD", header.strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "_".join(re.findall(r"[a-z0-9]+", plain))


def _core_word(header: str) -> str:
    """The header without its noise words: 'geo_longitude' → 'longitude', 'X (Lambert 93)' →
    'x'."""
    words = [
        word
        for word in normalise_header(header).split("_")
        if word not in NOISE_WORDS and (word not in LAMBERT93_WORDS or word in PLANE_NAMES)
    ]
    return "_".join(words)


def _says_lambert93(header: str) -> bool:
    return not LAMBERT93_WORDS.isdisjoint(normalise_header(header).split("_"))


class _Columns:
    """Which column holds what, found from the header line."""

    def __init__(self, header: list[str]) -> None:
        self.names = _unique_names(header)
        cores = [_core_word(name) for name in self.names]
        normalised = [normalise_header(name) for name in self.names]
        self.layer = None  # the column naming each row's layer, in our own exports only
        if is_own_export(self.names):
            self._own_export()
            return
        self.latitude = _best(cores, LATITUDE_NAMES)
        self.longitude = _best(cores, LONGITUDE_NAMES)
        self.geometry = _best(normalised, GEOMETRY_NAMES)
        self.geo_point = _best(normalised, GEO_POINT_NAMES)
        self._check()
        pair = [index for index in (self.latitude, self.longitude) if index is not None]
        # Lambert-93 by name ("X (Lambert 93)"), or maybe by value (plain "X" and "Y").
        self.lambert93 = any(_says_lambert93(self.names[index]) for index in pair)
        self.plane = self.lambert93 or all(cores[index] in PLANE_NAMES for index in pair)
        used = {self.latitude, self.longitude, self.geometry, self.geo_point} - {None}
        self.notes: list[Issue] = []
        if self.geometry is not None and self.geo_point is not None:
            # The point an open data portal adds beside each shape is its centre: the shape
            # says more, and a second position would be a property no one can edit.
            column, shape = shown(self.names[self.geo_point]), shown(self.names[self.geometry])
            params = {"value": column, "shape": shape}
            self.notes.append(Issue(m.CSV_NOTE_POINT_COLUMN_DROPPED, params))
        keys = [self._property_key(index, normalised[index]) for index in range(len(self.names))]
        keys = _unique_names(keys)  # "description" mapped may meet a column of that name
        self.properties = [(index, keys[index]) for index in range(len(keys)) if index not in used]

    def _own_export(self) -> None:
        # Columns are known exactly: no guessing, so a property called "@geometry" or "lat"
        # stays a property, and "'=x" and "<key> (property)" get their key back.
        count = len(self.names)
        self.layer = 0
        self.geometry, self.latitude, self.longitude = count - 3, count - 2, count - 1
        self.geo_point, self.lambert93, self.plane, self.notes = None, False, False, []
        self.properties = [
            (index, unneutralise_formula(self.names[index]).removesuffix(PROPERTY_SUFFIX))
            for index in range(1, count - 3)
        ]

    def _check(self) -> None:
        found_both = self.latitude is not None and self.longitude is not None
        if found_both or self.geometry is not None or self.geo_point is not None:
            return
        if self.latitude is not None:
            value = shown(self.names[self.latitude])
            raise FormatError([Issue(m.CSV_NO_LONGITUDE_COLUMN, {"value": value})])
        if self.longitude is not None:
            value = shown(self.names[self.longitude])
            raise FormatError([Issue(m.CSV_NO_LATITUDE_COLUMN, {"value": value})])
        columns = ", ".join(shown(name, 40) for name in self.names)
        raise FormatError([Issue(m.CSV_NO_POSITION_COLUMN, {"columns": columns})])

    def _property_key(self, index: int, normalised: str) -> str:
        if normalised == "description":
            return "description"
        return unneutralise_formula(self.names[index])  # as cells are read


def is_own_export(names: list[str]) -> bool:
    """Whether a header is the one ``write`` gives."""
    return (
        len(names) >= len(WRITER_COLUMNS) + len(WRITER_GEOMETRY_COLUMNS)
        and tuple(names[: len(WRITER_COLUMNS)]) == WRITER_COLUMNS
        and tuple(names[-len(WRITER_GEOMETRY_COLUMNS) :]) == WRITER_GEOMETRY_COLUMNS
    )


def _unique_names(header: list[str]) -> list[str]:
    """Header cells stripped, blanks named "column N", repeats suffixed "_2", "_3"…."""
    names: list[str] = []
    seen: set[str] = set()
    last_suffix: dict[str, int] = {}  # so that n repeats of one name cost n steps, not n²
    for index, cell in enumerate(header, start=1):
        name = cell.strip().lstrip("\ufeff") or f"column {index}"
        candidate, count = name, last_suffix.get(name, 1)
        while candidate in seen:
            count += 1
            candidate = f"{name}_{count}"
        last_suffix[name] = count
        seen.add(candidate)
        names.append(candidate)
    return names


def _best(headers: list[str], wanted: tuple[str, ...]) -> int | None:
    """The index of the header matching the earliest name of ``wanted`` (first column on ties)."""
    for name in wanted:
        if name in headers:
            return headers.index(name)
    return None


# --- rows ------------------------------------------------------------------------------------


class _Rows:
    """Turns records into features, collecting located issues for the rows that fail."""

    def __init__(self, columns: _Columns, layer: Location, limits: Limits) -> None:
        self.columns, self.layer, self.limits = columns, layer, limits
        self.issues = IssueCollector()
        self.width = len(columns.names)
        self.lambert93_used = False  # a position was converted from Lambert-93
        self.notes: list[Issue] = []  # rows skipped for want of a position
        self.rows = 0
        self.values: dict[int, dict[str, str]] = {}  # see _shared
        self.unshared: set[int] = set()

    def _shared(self, column: int, value: str) -> str:
        """One string object for each repeated value of a column (a commune, a type, "oui"):
        open data columns repeat a few values on every row, and a string costs 50 bytes more
        than its characters. A column whose values are mostly different (names, identifiers)
        is no longer remembered once it has ``SHARED_VALUES`` of them: a value remembered
        then saves at least the memory it takes."""
        memo = self.values.get(column)
        if memo is None:
            if column in self.unshared:
                return value
            memo = self.values[column] = {}
        shared = memo.setdefault(value, value)
        if shared is value and len(memo) >= SHARED_VALUES and 2 * len(memo) > self.rows:
            del self.values[column]
            self.unshared.add(column)
        return shared

    def read(self, records: Iterator[tuple[int, list[str]]]) -> dict[str, tuple[list, list]]:
        """Layer name ("" for the file's) → (its features, the line each came from)."""
        groups: dict[str, tuple[list[dict], list[int]]] = {}
        count = 0
        for line, cells in records:
            feature = self._feature(line, cells)
            if feature is not None:
                layer = (
                    ""
                    if self.columns.layer is None
                    else unneutralise_formula(_cell(cells, self.columns.layer))
                )
                features, lines = groups.setdefault(layer, ([], []))
                features.append(feature)
                lines.append(line)
                count += 1
            if count > self.limits.max_features:
                value = {"value": count, "limit": self.limits.max_features}
                raise FormatError([Issue(m.TOO_MANY_FEATURES, value)])
        self.issues.raise_if_any()
        if not groups:
            raise FormatError([Issue(m.CSV_NO_ROWS)])
        return groups

    def _feature(self, line: int, cells: list[str]) -> dict | None:
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            self._add(line, m.CSV_TOO_MANY_CELLS, value=len(cells), expected=self.width)
            return None
        geometry = self._geometry(line, cells)
        if geometry is None:
            return None
        self.rows += 1
        properties = {}
        for index, key in self.columns.properties:
            if index < len(cells):
                value = unneutralise_formula(cells[index].strip())
                if value:
                    properties[key] = self._shared(index, value)
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    def _geometry(self, line: int, cells: list[str]) -> dict | None:
        """The row's geometry: its shape (a geometry column), else its "latitude, longitude"
        column, else its latitude and longitude columns; the first column that is there and
        not empty, or the first that is there when all are empty."""
        columns = self.columns
        pair = columns.latitude is not None and columns.longitude is not None
        places = (columns.geometry, columns.geo_point, columns.latitude, columns.longitude)
        if not any(_cell(cells, index) for index in places if index is not None):
            # An unlocated row, not a broken one: skipped, as in every format.
            where = LineLocation(
                layer=self.layer.layer, layer_name=self.layer.layer_name, line=line
            )
            self.notes.append(Issue(m.NOTE_ROW_NO_POSITION, {}, where))
            return None
        if columns.geometry is not None:
            cell = _cell(cells, columns.geometry)
            if cell or (columns.geo_point is None and not pair):
                return self._cell_geometry(line, cell, columns.names[columns.geometry])
        if columns.geo_point is not None:
            cell = _cell(cells, columns.geo_point)
            if cell or not pair:
                return self._geo_point(line, cell, columns.names[columns.geo_point])
        return self._point(line, cells)

    def _geo_point(self, line: int, cell: str, column: str) -> dict | None:
        if not cell:
            self._add(line, m.CSV_EMPTY_CELL, column=shown(column))
            return None
        numbers = [parse_number(part) for part in cell.strip("[]() ").split(",")]
        if len(numbers) != 2 or None in numbers:
            self._add(line, m.CSV_BAD_GEO_POINT, value=shown(cell, 40))
            return None
        latitude, longitude = numbers
        if not -90 <= latitude <= 90:
            self._add(line, m.CSV_LATITUDE_RANGE, value=shown(latitude))
            return None
        if not -180 <= longitude <= 180:
            self._add(line, m.CSV_LONGITUDE_RANGE, value=shown(longitude))
            return None
        return {"type": "Point", "coordinates": [longitude, latitude]}

    def _cell_geometry(self, line: int, cell: str, column: str) -> dict | None:
        if not cell:
            self._add(line, m.CSV_EMPTY_CELL, column=shown(column))
            return None
        srid = _EWKT_SRID_RE.match(cell)
        if srid and srid.group(1) == LAMBERT93_SRID:
            self.lambert93_used = True
        try:
            return parse_geometry_cell(cell)
        except MapDocumentError as error:
            for issue in error.issues:
                self._add(line, issue.template, **issue.params)
            return None

    def _point(self, line: int, cells: list[str]) -> dict | None:
        columns = self.columns
        latitude = self._number(line, cells, columns.latitude, m.CSV_LATITUDE_NOT_NUMBER)
        longitude = self._number(line, cells, columns.longitude, m.CSV_LONGITUDE_NOT_NUMBER)
        if latitude is None or longitude is None:
            return None
        degrees = -90 <= latitude <= 90 and -180 <= longitude <= 180
        if columns.lambert93 or (columns.plane and not degrees):
            if not looks_like_lambert93(longitude, latitude):
                x, y = _cell(cells, columns.longitude), _cell(cells, columns.latitude)
                self._add(line, m.CSV_NOT_LAMBERT93, x=shown(x, 30), y=shown(y, 30))
                return None
            self.lambert93_used = True
            longitude, latitude = from_lambert93(longitude, latitude)
            return {"type": "Point", "coordinates": [longitude, latitude]}
        if not -90 <= latitude <= 90:
            self._add(line, m.CSV_LATITUDE_RANGE, value=_cell(cells, columns.latitude))
            return None
        if not -180 <= longitude <= 180:
            self._add(line, m.CSV_LONGITUDE_RANGE, value=_cell(cells, columns.longitude))
            return None
        return {"type": "Point", "coordinates": [longitude, latitude]}

    def _number(self, line: int, cells: list[str], index: int, template: str) -> float | None:
        cell = _cell(cells, index)
        if not cell:
            self._add(line, m.CSV_EMPTY_CELL, column=shown(self.columns.names[index]))
            return None
        number = parse_number(cell)
        if number is None:
            self._add(line, template, value=shown(cell, 40))
        return number

    def _add(self, line: int, template: str, **params: object) -> None:
        where = LineLocation(layer=self.layer.layer, layer_name=self.layer.layer_name, line=line)
        self.issues.add(template, where, **params)


def _cell(cells: list[str], index: int) -> str:
    # Spreadsheets drop trailing empty cells, so a short row just has empty cells at its end.
    return cells[index].strip() if index < len(cells) else ""


def parse_number(text: str) -> float | None:
    """A coordinate as written in a spreadsheet: '48.85', ' 48,85 ', '-1.5e1'; else None."""
    text = text.strip().replace("\u00a0", "").replace("\u202f", "")
    try:
        number = float(text)  # the common case, at C speed
    except ValueError:
        pass  # a decimal comma, or no number
    else:
        # What float() takes beyond NUMBER_RE: "nan", "inf", "1_000" (and "1e999", which
        # NUMBER_RE takes too: the slow path gives it back, as always).
        if number - number == 0 and "_" not in text:
            return number
    if not NUMBER_RE.fullmatch(text):
        return None  # also refuses "nan", "inf" and "1_000", which float() would accept
    return float(text.replace(",", "."))


def parse_geometry_cell(cell: str) -> dict:
    """A GeoJSON geometry object or a WKT string, as a GeoJSON geometry (unchecked ranges)."""
    if cell.lstrip().startswith("{"):
        return _geojson_geometry(cell)
    return parse_wkt(cell)


def _geojson_geometry(cell: str) -> dict:
    try:
        value = json.loads(cell, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        value = None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")  # some OpenDataSoft exports wrap the shape in a Feature
    if not isinstance(value, dict) or value.get("type") not in SIMPLE_GEOMETRIES:
        raise MapDocumentError([Issue(m.CSV_BAD_GEOJSON_CELL, {"value": shown(cell, 40)})])
    return {"type": value["type"], "coordinates": value.get("coordinates")}


def _refuse_constant(name: str) -> object:
    raise ValueError(name)  # NaN and Infinity are not JSON


# --- WKT -------------------------------------------------------------------------------------

_WKT_TOKEN_RE = re.compile(
    r"\s*(?:(?P<word>[A-Za-z]+)|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<symbol>[(),]))"
)
_WKT_TYPES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint",
    "MULTILINESTRING": "MultiLineString",
    "MULTIPOLYGON": "MultiPolygon",
}
_EWKT_SRID_RE = re.compile(r"\s*SRID=(\d+);", re.IGNORECASE)
_WGS84_SRIDS = ("4326", "4171", "4258")  # WGS 84, RGF93 and ETRS89 geographic: same degrees
LAMBERT93_SRID = "2154"  # converted (formats/projection.py)


def parse_wkt(text: str) -> dict:
    """A GeoJSON geometry from WKT (2D, Z, M or ZM; an EWKT ``SRID=4326;`` prefix accepted)."""
    srid = _EWKT_SRID_RE.match(text)
    if srid:
        if srid.group(1) not in (*_WGS84_SRIDS, LAMBERT93_SRID):
            value = shown(f"EPSG:{srid.group(1)}")
            raise MapDocumentError([Issue(m.FOREIGN_CRS, {"value": value})])
        text = text[srid.end() :]
    geometry = _WktParser(text).geometry()
    if srid and srid.group(1) == LAMBERT93_SRID:
        geometry["coordinates"] = convert_positions(geometry["coordinates"])
    return geometry


class _WktParser:
    """A recursive-descent parser over WKT tokens; any unexpected token is an error."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._tokenise(text)
        self.index = 0
        self.dimension_z = False  # a "Z" tag, or 3 numbers in a position
        self.dimension_m = False

    def _tokenise(self, text: str) -> list[tuple[str, str, int]]:
        tokens, position = [], 0
        end = len(text.rstrip())
        while position < end:
            match = _WKT_TOKEN_RE.match(text, position)
            if match is None:
                self._fail(len(text) - len(text[position:].lstrip()))
            kind = match.lastgroup
            tokens.append((kind, match.group(kind), match.start(kind)))
            position = match.end()
        return tokens

    def _fail(self, position: int | None = None) -> None:
        if position is None:
            position = (
                self.tokens[self.index][2]
                if self.index < len(self.tokens)
                else len(self.text.rstrip())
            )
        value = {"value": shown(self.text.strip(), 40), "position": position + 1}
        raise MapDocumentError([Issue(m.CSV_BAD_WKT, value)])

    def _peek(self) -> tuple[str, str]:
        if self.index < len(self.tokens):
            kind, value, _ = self.tokens[self.index]
            return kind, value
        return "end", ""

    def _take(self, kind: str, value: str | None = None) -> str:
        found_kind, found = self._peek()
        if found_kind != kind or (value is not None and found != value):
            self._fail()
        self.index += 1
        return found

    def geometry(self) -> dict:
        word = self._take("word").upper()
        if word not in _WKT_TYPES:
            raise MapDocumentError([Issue(m.CSV_UNSUPPORTED_WKT, {"value": shown(word, 40)})])
        self._dimensions()
        kind, value = self._peek()
        if kind == "word" and value.upper() == "EMPTY":
            raise MapDocumentError([Issue(m.CSV_EMPTY_WKT, {"value": shown(word)})])
        kind = _WKT_TYPES[word]
        coordinates = self._body(kind)
        if self._peek()[0] != "end":
            self._fail()
        return {"type": kind, "coordinates": coordinates}

    def _dimensions(self) -> None:
        kind, value = self._peek()
        tag = value.upper() if kind == "word" else ""
        if tag in ("Z", "M", "ZM"):
            self.dimension_z = "Z" in tag
            self.dimension_m = "M" in tag
            self.index += 1

    def _body(self, kind: str) -> list:
        if kind == "Point":
            return self._wrapped(self._position)
        if kind == "LineString":
            return self._list(self._position)
        if kind == "Polygon":
            return self._list(lambda: self._list(self._position))
        if kind == "MultiPoint":
            return self._list(self._multipoint_member)
        if kind == "MultiLineString":
            return self._list(lambda: self._list(self._position))
        return self._list(lambda: self._list(lambda: self._list(self._position)))

    def _wrapped(self, item):
        self._take("symbol", "(")
        value = item()
        self._take("symbol", ")")
        return value

    def _list(self, item) -> list:
        self._take("symbol", "(")
        values = [item()]
        while self._peek() == ("symbol", ","):
            self.index += 1
            values.append(item())
        self._take("symbol", ")")
        return values

    def _multipoint_member(self) -> list[float]:
        # Both "MULTIPOINT ((1 2), (3 4))" and the older "MULTIPOINT (1 2, 3 4)" are in use.
        if self._peek() == ("symbol", "("):
            return self._wrapped(self._position)
        return self._position()

    def _position(self) -> list[float]:
        numbers = [float(self._take("number"))]
        while self._peek()[0] == "number":
            numbers.append(float(self._take("number")))
        if not 2 <= len(numbers) <= 4:
            self._fail()
        if self.dimension_m:
            numbers.pop()  # a measure, not a height: dropped
        return numbers[:3]


# --- writing ---------------------------------------------------------------------------------


def write(document: dict) -> bytes:
    """Every layer's inline features as one CSV (see the module docstring for the columns)."""
    rows = [
        (layer["name"], feature)
        for layer in document["layers"]
        for feature in iter_layer_features(layer)
    ]
    keys = _property_keys(feature for _, feature in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [*WRITER_COLUMNS, *(_column_name(key) for key in keys), *WRITER_GEOMETRY_COLUMNS]
    )
    for layer_name, feature in rows:
        writer.writerow(_row(layer_name, feature, keys))
    return out.getvalue().encode("utf-8-sig")


def _property_keys(features: Iterator[dict]) -> list[str]:
    keys: dict[str, None] = {}  # an ordered set: columns in order of first appearance
    for feature in features:
        for key in feature.get("properties") or {}:
            if key not in ("name", "description", *SKIPPED_PROPERTIES):
                keys.setdefault(key)
    return list(keys)


def _column_name(key: str) -> str:
    """A property's header cell: suffixed when it is named like one of our columns, and
    neutralised like every cell (a header is a row a spreadsheet runs too)."""
    reserved = (*WRITER_COLUMNS, *WRITER_GEOMETRY_COLUMNS)
    suffixed = key + PROPERTY_SUFFIX if key in reserved or key.endswith(PROPERTY_SUFFIX) else key
    return neutralise_formula(suffixed)


def _row(layer_name: str, feature: dict, keys: list[str]) -> list[str]:
    properties = feature.get("properties") or {}
    geometry = feature["geometry"]
    longitude, latitude = centroid(geometry)
    texts = [
        layer_name,
        _text(properties.get("name")),
        _text(properties.get("description")),
        *(_text(properties.get(key)) for key in keys),
    ]
    return [
        *map(neutralise_formula, texts),
        to_wkt(geometry),
        format_number(latitude),
        format_number(longitude),
    ]


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula.

    Open data is opened in spreadsheets: a feature named ``=HYPERLINK(…)`` must stay text.
    Numbers ("-3.5") are left alone; ``unneutralise_formula`` takes the apostrophe back off.
    """
    if text.startswith(FORMULA_STARTS) and parse_number(text) is None:
        return "'" + text
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return "'" + text  # already looks neutralised: keep its own apostrophe on reading
    return text


def unneutralise_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)  # lists and objects stay readable and parseable


def format_number(number: float) -> str:
    """Shortest exact text of a coordinate, never in exponent form ('1e-05' → '0.00001')."""
    text = repr(float(number))
    if "e" in text:
        text = f"{number:.15f}".rstrip("0")
    if text.endswith(".0"):
        text = text[:-2]
    return text.rstrip(".") or "0"


def to_wkt(geometry: dict) -> str:
    """A GeoJSON simple geometry as WKT (``POINT Z`` etc. when positions have a height)."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    word = next(name for name, value in _WKT_TYPES.items() if value == kind)
    tag = " Z" if _has_height(coordinates) else ""
    return f"{word}{tag} {_wkt_body(kind, coordinates)}"


def _has_height(coordinates: list) -> bool:
    position = coordinates
    while position and isinstance(position[0], list):
        position = position[0]
    return len(position) == 3


def _wkt_body(kind: str, coordinates: list) -> str:
    def position(value: list) -> str:
        return " ".join(format_number(number) for number in value)

    def joined(values: list, item) -> str:
        return "(" + ", ".join(item(value) for value in values) + ")"

    def line(value: list) -> str:
        return joined(value, position)

    def polygon(value: list) -> str:
        return joined(value, line)

    if kind == "Point":
        return f"({position(coordinates)})"
    if kind == "MultiPoint":
        return joined(coordinates, lambda value: f"({position(value)})")
    body = {"LineString": line, "Polygon": polygon, "MultiLineString": polygon}.get(kind)
    return body(coordinates) if body else joined(coordinates, polygon)


def centroid(geometry: dict) -> tuple[float, float]:
    """(longitude, latitude) of a point, or the centre of mass of a line or a polygon.

    Planar, in degrees: at the scale of a commune the error is far below a map's precision.
    """
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return coordinates[0], coordinates[1]
    if kind == "MultiPoint":
        return _mean(coordinates)
    if kind in ("LineString", "MultiLineString"):
        lines = [coordinates] if kind == "LineString" else coordinates
        return _line_centroid(lines)
    polygons = [coordinates] if kind == "Polygon" else coordinates
    return _polygon_centroid(polygons)


def _line_centroid(lines: list[list]) -> tuple[float, float]:
    total = x = y = 0.0
    for line in lines:
        for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(line):
            length = math.hypot(x2 - x1, y2 - y1)
            total += length
            x += length * (x1 + x2) / 2
            y += length * (y1 + y2) / 2
    if total == 0:
        return _mean([position for line in lines for position in line])
    return _rounded(x / total, y / total)


def _polygon_centroid(polygons: list[list]) -> tuple[float, float]:
    # Shoelace formula per ring; holes wind either way, so each ring is signed against its
    # polygon's outer ring: the outer ring adds its area, every hole takes its own away.
    total = x = y = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            area, moment_x, moment_y = _ring_moments(ring)
            weight = (1 if index == 0 else -1) * math.copysign(1, area)
            total += weight * area
            x += weight * moment_x
            y += weight * moment_y
    if total == 0:
        return _line_centroid([ring for rings in polygons for ring in rings])
    return _rounded(x / total, y / total)


def _ring_moments(ring: list) -> tuple[float, float, float]:
    """Signed area of a ring and its first moments (area × centroid) along x and y."""
    area = mx = my = 0.0
    x0, y0 = ring[0][0], ring[0][1]  # relative to a vertex, to keep precision
    for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(ring):
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        area += cross
        mx += (x1 + x2) * cross
        my += (y1 + y2) * cross
    area /= 2
    # Moments about the origin: area × (centroid relative to (x0, y0) + (x0, y0)).
    return area, mx / 6 + area * x0, my / 6 + area * y0


def _mean(positions: list) -> tuple[float, float]:
    count = len(positions)
    return _rounded(
        sum(position[0] for position in positions) / count,
        sum(position[1] for position in positions) / count,
    )


def _rounded(longitude: float, latitude: float) -> tuple[float, float]:
    return round(longitude, 6), round(latitude, 6)
