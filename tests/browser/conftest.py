"""Every test of this folder drives a browser; the editor's are also marked ``admin_ui`` (CI runs
them on every stack). The fixtures live in fixtures.py, shared with tests/security and tests/dsfr
through tests/conftest.py."""

from pathlib import Path

import pytest

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
