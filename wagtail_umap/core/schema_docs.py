"""Write the option tables of the docs from the schema (pure Python, no Django).

    python -m wagtail_umap.core.schema_docs          # rewrite the tables in docs/
    python -m wagtail_umap.core.schema_docs --check  # exit 1 if a table is out of date

Each table sits between two marker comments in a Markdown file; the text around them is
written by hand. ``tests/core/test_schema_docs.py`` fails when a table is out of date.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from wagtail_umap.core import schema
from wagtail_umap.core.schema import APPLIED, CONVERTED, KEPT, NOT_SUPPORTED, Option
from wagtail_umap.core.schema.umap_catalogue import UMAP_ONLY

ROOT = Path(__file__).resolve().parents[2]
MAP_DOCUMENT = "docs/map-document.md"
FORMATS = "docs/formats.md"
MARKER_RE = re.compile(
    r"(<!-- schema:(?P<name>[a-z-]+(?: [a-z-]+)?) -->\n)(?P<body>.*?)(<!-- /schema -->)",
    re.DOTALL,
)

# --- cells ----------------------------------------------------------------------------------


def _code(value: object) -> str:
    return "`" + json.dumps(value, ensure_ascii=False) + "`"


def _bound(number: float | None) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number)


def type_cell(item: Option) -> str:
    kind = item.type
    if kind == "text":
        text = "text" + (f", ≤ {item.max_length:,} chars" if item.max_length else "")
    elif kind in ("integer", "number"):
        text = "whole number" if kind == "integer" else "number"
        if item.min is not None and item.max is not None:
            text += f" {_bound(item.min)}..{_bound(item.max)}"
        elif item.min is not None:
            text += f" ≥ {_bound(item.min)}"
    elif kind == "boolean":
        text = "`true` or `false`"
    elif kind == "choice":
        text = "one of " + ", ".join(f"`{choice}`" for choice in item.choices)
        if item.default == "":
            text += ' or `""`'
    elif kind == "colour":
        text = "CSS colour (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, a named colour)"
        if item.default == "":
            text += ' or `""`'
    elif kind == "dash":
        text = 'numbers separated by commas or spaces, or `""`'
    elif kind == "key":
        text = f"text matching `{item.pattern}`" if item.pattern else "text"
    elif kind == "url":
        text = "an address" + (f", ≤ {item.max_length:,} chars" if item.max_length else "")
    elif kind == "position":
        text = '`{"lat": number, "lng": number}`'
    elif kind == "object":
        text = f"object ({item.of})" if item.of else "object"
    elif kind == "list":
        plural = {"category": "categories"}.get(item.of, f"{item.of}s")
        text = f"list of {plural}" if item.of else "list"
        if item.max_length:
            text += f", at most {item.max_length}"
    else:
        # A JSON value whose shape its help text gives (``extra["shape"]``), or kept as it is.
        text = item.extra.get("shape") or "object, kept verbatim"
    return text + (" or `null`" if item.nullable else "")


def default_cell(item: Option) -> str:
    if item.required:
        return "**required**"
    if item.sparse:
        return f"{_code(item.default)}, left out" if item.default not in (None,) else "left out"
    if item.default is None and not item.nullable:
        if item.type == "object" and item.of == "representation":
            return '`{"type": "plain"}`'
        if item.type in ("object", "json"):
            return "`{}`" if item.type == "json" or item.of == "style" else "see below"
        if item.type == "list":
            return "`[]`"
        return "absent"
    return _code(item.default)


def umap_cell(item: Option) -> str:
    link = item.umap
    if link is None:
        if item.extra.get("umap_inline"):
            return "the style options beside it"
        return "—"
    names = [f"`{key}`" for key in link.keys if key not in link.legacy]
    cell = ", ".join(names)
    if link.legacy:
        cell += " (older: " + ", ".join(f"`{key}`" for key in link.legacy) + ")"
    if link.status == CONVERTED:
        cell += ", converted"
    return cell


def description_cell(item: Option) -> str:
    text = item.label + (". " + item.help if item.help else ".")
    if item.inherits and item.scope == "style":
        text += " Inherits map → layer → feature."
    elif item.inherits:
        text += " A uMap map's own value goes to each of its layers at import."
    return _escape(text)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


# --- tables ---------------------------------------------------------------------------------


def options_table(scope: str) -> str:
    rows = ["| key | type | default | uMap | what it is |", "|---|---|---|---|---|"]
    seen = set()
    for item in schema.options_in(scope):
        if item.key in seen:
            continue
        seen.add(item.key)
        rows.append(
            f"| `{item.key}` | {type_cell(item)} | {default_cell(item)} | {umap_cell(item)} "
            f"| {description_cell(item)} |"
        )
    return "\n".join(rows) + "\n"


def representation_table() -> str:
    rows = ["| `type` | key | type | default | what it is |", "|---|---|---|---|---|"]
    for kind in schema.REPRESENTATION_TYPES:
        settings = schema.options_in("representation", kind)[1:]  # after "type"
        if not settings:
            rows.append(f"| `{kind}` | — | | | {_escape(_choice_label('type', kind))} |")
        for item in settings:
            rows.append(
                f"| `{kind}` | `{item.key}` | {type_cell(item)} | {default_cell(item)} "
                f"| {description_cell(item)} |"
            )
    return "\n".join(rows) + "\n"


def _choice_label(key: str, value: str) -> str:
    item = schema.option("representation", key)
    return dict(zip(item.choices, item.choice_labels, strict=True))[value]


WHERE = {
    "document": "map",
    "map": "map",
    "controls": "map",
    "licence": "map",
    "slideshow": "map",
    "layer": "layer",
    "style": "map, layer, feature",
    "feature": "feature",
    "group": "group",
}
STATUS_TEXT = {
    APPLIED: "applied",
    CONVERTED: "converted",
    KEPT: "kept for the round trip",
    NOT_SUPPORTED: "not supported (kept for the round trip)",
}


UMAP_OPTIONS_INTRO = """\
## uMap options

What the `.umap` reader does with each option of uMap's own option schema (uMap 3.x), and
what the writer gives back. Written from the schema (`wagtail_umap/core/schema/`) by
`python -m wagtail_umap.core.schema_docs`; `tests/core/test_schema_docs.py` fails when this
table is out of date.

- **applied**: read into the same option of ours, shown as uMap shows it;
- **converted**: read into an option of ours that differs in shape or values, and written
  back in uMap's form;
- **kept for the round trip**: not shown here, kept verbatim in the map's, the layer's or the
  feature's `umap` options and written back, with an import note;
- **not supported**: kept and written back too, but never used, on purpose.

"""
UMAP_BACKUP = """\
### What a `.umap` backup holds

`wagtail_umap.formats.umap.write(document)` writes compact JSON (the indented backups of
earlier versions were 4.5 times the document; a 100,000-point map's backup went from 44.8 MB
to 21.7 MB, the size of the document itself, so a document the size limit accepts gives a
backup the same limit imports). Every option of the schema is written:

- under **uMap's own key** where uMap has one (`color`, `fromZoom`, `labelKey`, `rules`,
  `filters`…), converted to uMap's values (`square` → `Default`, `delay` in milliseconds…);
- **nothing** for an option at the value an absent uMap key means: a backup holds no value its
  source did not have (uMap's default search control stays uMap's);
- what uMap's keys cannot carry (a filter's label, a category's colour, the square marker,
  the slideshow's layer, the basemap key, the permalink control) under **one key uMap ignores
  and keeps**, `"wagtail_umap": {"options": {...}, "check": {...}}`, in the map's
  `properties`, the layer's options or the feature's `_umap_options`. `check` holds a short
  digest of what uMap's own keys of each of those options held when we wrote them: the reader
  takes our value back only while they still hold it, so an option someone changed in uMap
  since keeps uMap's value. (The marker size is written as `markerSize`, a key uMap keeps and
  ignores, as earlier backups did.)

**Groups of layers** (uMap 3.7+): a group of ours is written as uMap writes its own, a layer
whose options say `"group": true`, with no features and its children (layers and subgroups)
nested under `layers`, in the tree's order; its id goes in its options as `id`, its kept uMap
options (a group's colour, `displayOnLoad`…) with it. The reader takes that nested form and
uMap's API form (flat layers with `id` and `parent`) into the document's `groups`; a layer
takes the style and popup options of its groups when it has none of its own, as uMap's
children inherit them, and is hidden on load when one of its groups is
([map-document.md](map-document.md#layer-groups-groups); `formats/umap_groups.py`,
`tests/fixtures/umap_modern/groups.umap`).

uMap values an import kept beside ours (uMap's `Ball` icon, an explicit `zoomControl: true`,
the settings of its layer type) go back as they came while they still mean the document's
value; validation drops them once an editor changes that option
(`core.schema.umap_places.prune_kept`), so that what a document keeps is exactly what its
backup gives back.
"""


def umap_options_section() -> str:
    """The uMap section of docs/formats.md: what becomes of each uMap option, and what a
    backup holds."""
    return UMAP_OPTIONS_INTRO + umap_options_table() + "\n" + UMAP_BACKUP


def umap_options_table() -> str:
    """Each uMap option: what wagtail-umap does with it, as which option of ours, and why."""
    rows: dict[str, dict] = {}
    for item in schema.OPTIONS:
        link = item.umap
        if link is None:
            continue
        where = WHERE.get(item.scope, item.scope)
        if item.key == "rules":
            where = "map, layer"
        if item.inherits and item.scope == "layer":
            where = "map, layer"
        ours = f"`{_path(item)}`"
        for position, key in enumerate(link.keys):
            note = link.note if position == 0 else f"see `{link.keys[0]}`"
            if key in link.legacy:
                note = "an older name, read only"
            entry = rows.setdefault(key, {"where": [], "status": [], "ours": [], "notes": []})
            for name, value in (("where", where), ("status", link.status), ("ours", ours)):
                if value not in entry[name]:
                    entry[name].append(value)
            if note and note not in entry["notes"]:
                entry["notes"].append(note)
    for key, (where, status, why) in UMAP_ONLY.items():
        rows[key] = {"where": [where], "status": [status], "ours": ["—"], "notes": [why]}
    lines = [
        "| uMap option | set on | wagtail-umap | as | how, or why not |",
        "|---|---|---|---|---|",
    ]
    for key in sorted(rows, key=str.lower):
        entry = rows[key]
        status = " / ".join(STATUS_TEXT[value] for value in entry["status"])
        lines.append(
            f"| `{key}` | {', '.join(entry['where'])} | {status} | {', '.join(entry['ours'])} "
            f"| {_escape('; '.join(entry['notes']))} |"
        )
    return "\n".join(lines) + "\n"


def _path(item: Option) -> str:
    prefix = {
        "document": "",
        "map": "options.",
        "controls": "options.controls.",
        "licence": "options.licence.",
        "slideshow": "options.slideshow.",
        "layer": "",
        "style": "style.",
        "feature": "properties.",
    }.get(item.scope, item.scope + ".")
    return prefix + item.key


TABLES = {
    "table document": lambda: options_table("document"),
    "table map": lambda: options_table("map"),
    "table controls": lambda: options_table("controls"),
    "table licence": lambda: options_table("licence"),
    "table slideshow": lambda: options_table("slideshow"),
    "table layer": lambda: options_table("layer"),
    "table data": lambda: options_table("data"),
    "table style": lambda: options_table("style"),
    "table feature": lambda: options_table("feature"),
    "table media": lambda: options_table("media"),
    "table representation": representation_table,
    "table category": lambda: options_table("category"),
    "table filter": lambda: options_table("filter"),
    "table rule": lambda: options_table("rule"),
    "table group": lambda: options_table("group"),
    "umap-options": umap_options_section,
}


# --- files ----------------------------------------------------------------------------------


def rendered(text: str) -> str:
    """``text`` with every marked table written from the schema."""

    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name not in TABLES:
            raise KeyError(f"unknown schema table {name!r}")
        return match.group(1) + TABLES[name]() + match.group(4)

    return MARKER_RE.sub(replace, text)


def outdated(root: Path = ROOT) -> list[str]:
    """The docs whose tables differ from the schema."""
    return [
        name
        for name in (MAP_DOCUMENT, FORMATS)
        if (root / name).read_text() != rendered((root / name).read_text())
    ]


def write(root: Path = ROOT) -> list[str]:
    changed = outdated(root)
    for name in changed:
        path = root / name
        path.write_text(rendered(path.read_text()))
    return changed


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = outdated()
        for name in stale:
            print(f"{name} is out of date: run python -m wagtail_umap.core.schema_docs")
        return 1 if stale else 0
    for name in write():
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
