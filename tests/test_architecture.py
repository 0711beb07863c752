"""The package's layers, as docs/architecture.md draws them: each module imports only from its
own layer or the layers below. A model never imports the viewer, the viewer never the editor."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_umap"

# Lowest first. A module's layer is the first entry whose name is a prefix of its dotted path
# (inside the package).
LAYERS = [
    ("core",),
    ("formats",),
    ("conf", "csp", "safe_cache"),
    ("blocks",),
    ("models",),
    ("viewer", "templatetags"),
    ("editor",),
    ("sharing",),
    ("checks", "api", "urls", "wagtail_hooks", "apps", "management"),
]


def layer_of(module: str) -> int:
    """The layer of ``wagtail_umap.<module>`` (its first dotted part names it)."""
    top = module.split(".")[0]
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    raise AssertionError(f"wagtail_umap.{module} is in no layer: add it to LAYERS and the docs")


def package_modules() -> list[tuple[str, Path]]:
    return [
        (".".join(path.relative_to(PACKAGE).with_suffix("").parts), path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def imported_modules(path: Path) -> set[str]:
    """Every ``wagtail_umap`` module this file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}: the package uses absolute imports"
            if node.module == "wagtail_umap":  # from wagtail_umap import checks
                names = [f"wagtail_umap.{alias.name}" for alias in node.names]
            else:
                names = [node.module or ""]
        else:
            continue
        found.update(
            name.removeprefix("wagtail_umap.") for name in names if name.startswith("wagtail_umap.")
        )
    return found


def test_every_import_points_down_or_sideways():
    upward = []
    for module, path in package_modules():
        if module == "__init__":
            continue
        for target in imported_modules(path):
            if layer_of(target) > layer_of(module):
                upward.append(f"wagtail_umap.{module} imports wagtail_umap.{target}")
    assert upward == []


@pytest.mark.parametrize(
    ("module", "target"),
    [("models.map", "viewer.build"), ("blocks", "viewer.map"), ("viewer.config", "editor.forms")],
)
def test_the_check_sees_an_upward_import(module, target):
    """The rule above can fail: a model importing the viewer, a block importing the viewer, the
    viewer importing the editor are each refused."""
    assert layer_of(target) > layer_of(module)


def test_modules_at_the_package_root_stay_small():
    """The root holds the app's wiring; anything larger belongs in a subpackage."""
    sizes = {
        path.name: len(path.read_text().splitlines())
        for path in PACKAGE.glob("*.py")
        if path.name != "__init__.py"
    }
    assert {name: lines for name, lines in sizes.items() if lines > 300} == {}


def test_the_docs_name_every_module_and_folder():
    """docs/architecture.md matches the package: every module (commands by their name) and every
    folder of the package is named there, and every module it names exists."""
    docs = (PACKAGE.parent / "docs" / "architecture.md").read_text()
    # Each part of a path in backquotes: `models/`, `management/commands/`, `wagtail_umap/csp.py`.
    named = {part for quoted in re.findall(r"`([^`]+)`", docs) for part in quoted.split("/")}
    unnamed = [
        f"wagtail_umap.{module}"
        for module, path in package_modules()
        if path.name != "__init__.py"
        and (path.stem if "commands" in path.parts else path.name) not in named
    ]
    unnamed += [
        f"wagtail_umap/{folder.name}/"
        for folder in sorted(PACKAGE.iterdir())
        if folder.is_dir() and folder.name != "__pycache__" and folder.name not in named
    ]
    assert unnamed == [], "name them in docs/architecture.md, in their layer's row"
    modules = {path.name for path in PACKAGE.rglob("*.py")}
    for folder in ("tests", "benchmarks", "example_site", "example_dsfr"):
        modules |= {path.name for path in (PACKAGE.parent / folder).rglob("*.py")}
    assert {name for name in named if name.endswith(".py")} - modules == set()
