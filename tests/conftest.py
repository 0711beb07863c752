import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_bytes():
    """Read one of the real uMap files in tests/fixtures."""
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def fixture_json():
    return lambda name: json.loads((FIXTURES / name).read_text())
