import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MODULES = [
    "wagtail_umap.core",
    "wagtail_umap.core.messages",
    "wagtail_umap.core.errors",
    "wagtail_umap.core.document",
    "wagtail_umap.core.validation",
    "wagtail_umap.core.content",
    "wagtail_umap.core.classify",
    "wagtail_umap.core.sanitize",
    "wagtail_umap.core.validation_viz",
    "wagtail_umap.core.schema",
    "wagtail_umap.core.schema.model",
    "wagtail_umap.core.schema.options",
    "wagtail_umap.core.schema.umap_links",
    "wagtail_umap.core.schema.umap_places",
    "wagtail_umap.core.schema.umap_catalogue",
    "wagtail_umap.core.schema_docs",
    "wagtail_umap.core.markup",
    "wagtail_umap.formats",
    "wagtail_umap.formats.geojson",
    "wagtail_umap.formats.umap",
    "wagtail_umap.formats.csv",
    "wagtail_umap.formats.kml",
    "wagtail_umap.formats.gpx",
    "wagtail_umap.formats.safexml",
]


def test_core_and_formats_import_no_django():
    # The package's own __init__ may import Django later: load ours without running it.
    code = (
        "import sys, types, pathlib\n"
        "package = types.ModuleType('wagtail_umap')\n"
        "package.__path__ = [str(pathlib.Path('wagtail_umap').resolve())]\n"
        "sys.modules['wagtail_umap'] = package\n"
        f"for name in {MODULES!r}: __import__(name)\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_messages_are_marked_for_extraction():
    # makemessages finds templates through the gettext_noop keyword.
    source = (ROOT / "wagtail_umap/core/messages.py").read_text()
    assert source.count("gettext_noop(") >= 60
    assert 'f"' not in source
