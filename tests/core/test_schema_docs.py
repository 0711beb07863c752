"""The option tables of the docs are written from the schema and kept up to date."""

import shutil
from pathlib import Path

from wagtail_umap.core import schema, schema_docs
from wagtail_umap.core.schema.umap_catalogue import UMAP_ONLY

ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_tables_are_up_to_date():
    # Fix: python -m wagtail_umap.core.schema_docs
    assert schema_docs.outdated(ROOT) == []


def test_a_changed_declaration_makes_the_docs_out_of_date(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    for name in (schema_docs.MAP_DOCUMENT, schema_docs.FORMATS):
        shutil.copy(ROOT / name, tmp_path / name)
    assert schema_docs.outdated(tmp_path) == []
    monkeypatch.setitem(schema_docs.TABLES, "table licence", lambda: "| changed |\n")
    assert schema_docs.outdated(tmp_path) == [schema_docs.MAP_DOCUMENT]
    assert schema_docs.write(tmp_path) == [schema_docs.MAP_DOCUMENT]
    assert "| changed |" in (tmp_path / schema_docs.MAP_DOCUMENT).read_text()
    assert schema_docs.outdated(tmp_path) == []


def test_every_scope_has_its_table():
    text = (ROOT / schema_docs.MAP_DOCUMENT).read_text()
    for item in schema.OPTIONS:
        assert f"| `{item.key}` |" in text, item.name


def test_every_umap_option_is_in_the_formats_table():
    text = (ROOT / schema_docs.FORMATS).read_text()
    linked = {key for item in schema.OPTIONS if item.umap for key in item.umap.keys}
    assert not linked & set(UMAP_ONLY)
    for key in linked | set(UMAP_ONLY):
        assert f"| `{key}` |" in text, key
    assert "| `tilelayer` | map | not supported" in text
    assert "| `showLabel` | map, layer, feature | converted | `style.show_label` |" in text


def test_check_mode(capsys):
    assert schema_docs.main(["--check"]) == 0
