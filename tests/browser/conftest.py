"""Every test of this folder drives a browser; the editor's are also marked ``admin_ui`` (CI runs
them on every stack). The fixtures live in fixtures.py, shared with tests/security and tests/dsfr
through tests/conftest.py."""

from pathlib import Path

import pytest

from tests.factories import make_home

ADMIN_UI_FILES = (
    "test_editor.py",
    "test_editor_panels.py",
    "test_admin_flow.py",
    "test_autosave_race.py",
)


def pytest_collection_modifyitems(items):
    for item in items:
        path = Path(str(item.fspath))
        if "tests/browser" in path.as_posix():
            item.add_marker(pytest.mark.browser)
            if path.name in ADMIN_UI_FILES:
                item.add_marker(pytest.mark.admin_ui)


@pytest.fixture
def live_home(transactional_db, live_server):
    """The site's home page, with the live server the browser reads it from."""
    return make_home()


@pytest.fixture
def tile_thresholds(settings):
    """Thresholds low enough that a few thousand features make a large layer: clustered points,
    tiled polygons (quick to build), never inline."""
    settings.WAGTAIL_UMAP = {
        **getattr(settings, "WAGTAIL_UMAP", {}),
        "CLUSTER_MIN_POINTS": 500,
        "TILE_MIN_VERTICES": 5_000,
        "INLINE_LAYER_MAX_BYTES": 10,
    }
