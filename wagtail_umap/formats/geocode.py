"""A CSV of addresses geocoded by the Base Adresse Nationale's CSV endpoint (pure, no Django).

The BAN (``api-adresse.data.gouv.fr/search/csv/``, or the Géoplateforme's
``data.geopf.fr/geocodage/search/csv``) takes a multipart CSV (``data``), the names of the
columns whose text makes the query (``columns``, repeated), and optionally the names of a
postcode column (``postcode``) and of an INSEE code column (``citycode``) as filters; it
answers the same CSV with ``latitude``, ``longitude``, ``result_label``, ``result_score``,
``result_status`` (``ok``, ``not-found``, ``skipped``…) and more ``result_*`` columns.

Only the chosen columns leave the site, with a row number of ours (``wu_row``): the file's
other columns (names, phone numbers…) are never sent. Each result becomes a point with the
file's own columns, ``result_label`` (the address found) and ``result_score`` (0 to 1), and
``result_review`` when its score is below the site's threshold; a row the BAN did not place is
reported with its line, never silently dropped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue
from wagtail_umap.formats import FormatError
from wagtail_umap.formats.csv import _decode, _records, _unique_names, sniff_delimiter

ROW = "wu_row"
KEPT_RESULTS = ("result_label", "result_score")
REVIEW = "result_review"
NO_ADDRESS_COLUMN = m.gettext_noop("choose at least one column holding the addresses")
UNKNOWN_COLUMN = m.gettext_noop('the file has no column "%(value)s"')
EMPTY_TABLE = m.gettext_noop("the file has no row of data below its header")
BAD_ANSWER = m.gettext_noop("the geocoding service sent an answer that is not its CSV")
NOT_FOUND = m.gettext_noop("line %(line)s (%(value)s): address not found, not placed")
LOW_SCORE = m.gettext_noop(
    "line %(line)s (%(value)s): found “%(label)s” with a score of %(score)s, below "
    "%(threshold)s: to review (property result_review)"
)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)
    notes: list[Issue] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    """The file's header and rows (the CSV reader's decoding and separator guess)."""
    notes: list[Issue] = []
    text = _decode(data, notes)
    delimiter = sniff_delimiter(text)
    records = list(_records(text, delimiter))
    if len(records) < 2:
        raise FormatError([Issue(EMPTY_TABLE, {})])
    header = _unique_names([cell.strip() for cell in records[0][1]])
    return Table(header, records[1:], notes)


@dataclass(frozen=True)
class Choice:
    """The columns an agent chose: the address (one or more, in order), and optional ones."""

    columns: tuple[str, ...]
    postcode: str = ""
    city: str = ""  # the commune's name: added to the query's text
    citycode: str = ""  # the INSEE code: a filter

    def check(self, header: list[str]) -> None:
        if not self.columns:
            raise FormatError([Issue(NO_ADDRESS_COLUMN, {})])
        for name in (*self.columns, self.postcode, self.city, self.citycode):
            if name and name not in header:
                raise FormatError([Issue(UNKNOWN_COLUMN, {"value": name})])

    def sent_columns(self) -> list[str]:
        names = [*self.columns, self.city, self.postcode, self.citycode]
        return list(dict.fromkeys(name for name in names if name))

    def form_fields(self) -> list[tuple[str, str]]:
        """The endpoint's form fields besides the file."""
        query = [*self.columns, *([self.city] if self.city else [])]
        fields = [("columns", name) for name in dict.fromkeys(query)]
        if self.postcode:
            fields.append(("postcode", self.postcode))
        if self.citycode:
            fields.append(("citycode", self.citycode))
        return fields


def batches(table: Table, choice: Choice, size: int) -> Iterator[bytes]:
    """The CSV files sent, ``size`` rows each: ``wu_row`` and the chosen columns only."""
    sent = choice.sent_columns()
    indexes = [table.header.index(name) for name in sent]
    for start in range(0, len(table.rows), size):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([ROW, *sent])
        for position, (_line, cells) in enumerate(table.rows[start : start + size], start):
            writer.writerow(
                [position, *(cells[i].strip() if i < len(cells) else "" for i in indexes)]
            )
        yield out.getvalue().encode("utf-8")


def read_answer(data: bytes) -> dict[int, dict]:
    """The service's answer: each result by our row number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError([Issue(BAD_ANSWER, {})]) from error
    delimiter = sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if (
        not reader.fieldnames
        or ROW not in reader.fieldnames
        or "latitude" not in (reader.fieldnames or [])
    ):
        raise FormatError([Issue(BAD_ANSWER, {})])
    results = {}
    for row in reader:
        try:
            results[int(row[ROW])] = row
        except (TypeError, ValueError):
            continue
    return results


def _number(text: object) -> float | None:
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


@dataclass
class Geocoded:
    features: list[dict]
    not_found: list[Issue]
    to_review: list[Issue]


def features(table: Table, choice: Choice, results: dict[int, dict], threshold: float) -> Geocoded:
    """One point a placed row, with the file's columns and the BAN's label and score."""
    placed, not_found, to_review = [], [], []
    shown_indexes = [table.header.index(name) for name in choice.columns]
    for position, (line, cells) in enumerate(table.rows):
        address = " ".join(cells[i].strip() for i in shown_indexes if i < len(cells)).strip()
        result = results.get(position) or {}
        lat, lng = _number(result.get("latitude")), _number(result.get("longitude"))
        status = (result.get("result_status") or "ok").strip()
        if lat is None or lng is None or status not in ("ok", ""):
            not_found.append(Issue(NOT_FOUND, {"line": line, "value": address or "—"}))
            continue
        properties = {
            name: (cells[index].strip() if index < len(cells) else "")
            for index, name in enumerate(table.header)
        }
        label = (result.get("result_label") or "").strip()
        score = _number(result.get("result_score"))
        properties["result_label"] = label
        properties["result_score"] = round(score, 4) if score is not None else None
        if score is None or score < threshold:
            properties[REVIEW] = True
            to_review.append(
                Issue(
                    LOW_SCORE,
                    {
                        "line": line,
                        "value": address or "—",
                        "label": label,
                        # Numbers, not text: the editor writes them the page's way
                        # ("0,31" in French, editor/french_data.py).
                        "score": round(score, 2) if score is not None else "—",
                        "threshold": threshold,
                    },
                )
            )
        if "name" not in properties:
            properties["name"] = label or address
        placed.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": properties,
            }
        )
    return Geocoded(placed, not_found, to_review)
