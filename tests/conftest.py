import json
from pathlib import Path

import pytest

# The browser fixtures, defined once for tests/browser, tests/security and tests/dsfr (one
# Chromium for the session).
from tests.browser.fixtures import axe, browser, page, screenshot, viz_demo, watch  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_bytes():
    """Read one of the real uMap files in tests/fixtures."""
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def fixture_json():
    return lambda name: json.loads((FIXTURES / name).read_text())
