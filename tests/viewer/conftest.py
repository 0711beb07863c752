import pytest
from django.core.cache import cache


@pytest.fixture
def empty_cache():
    """The viewer's cache emptied before and after the test: what a test renders is built by
    it, and leaves nothing for the next one."""
    cache.clear()
    yield
    cache.clear()
