"""Fixtures of the API tests: a fresh rate-limit count for every test."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with no requests counted against the API's rate limit."""
    cache.clear()
    yield
    cache.clear()
