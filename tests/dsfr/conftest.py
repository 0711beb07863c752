"""The Sites Conformes tests: they need sites-conformes, which the main test environment does
not install (its own requirements pin Django and Wagtail for the whole environment), so they run
in their own, ``.venv-dsfr``, through ``scripts/test-dsfr`` (with ``tests.dsfr.settings``).
Anywhere else they are skipped, saying so. The browser fixtures are those of
tests/browser/fixtures.py (through tests/conftest.py)."""

from __future__ import annotations

import importlib.util

import pytest
from django.conf import settings

SKIP_REASON = (
    "Sites Conformes is not installed here: ./scripts/test-dsfr runs these tests in their own "
    "virtual environment (.venv-dsfr) with tests.dsfr.settings"
)


def sites_conformes_ready() -> bool:
    return importlib.util.find_spec("sites_conformes") is not None and (
        "sites_conformes.content_manager" in settings.INSTALLED_APPS
    )


def pytest_collection_modifyitems(config, items):
    ready = sites_conformes_ready()
    for item in items:
        if "tests/dsfr" not in str(item.fspath).replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.browser)
        if not ready:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
