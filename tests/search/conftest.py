"""Fixtures that switch the portal to the real search engine for one test.

The engine's address comes from the SEARCH_URL environment variable (``make test`` starts a local
OpenSearch node with scripts/search-engine). Without it the engine tests skip on a laptop, with the
reason printed, and fail under CI (CI=true), where a missing engine is a broken build.
"""

import os
import uuid

import pytest

from search.client import get_engine
from search.indexing import rebuild_index

ENGINE_URL = os.environ.get("SEARCH_URL", "")


@pytest.fixture
def search_engine(settings):
    """The engine adapter, with a fresh index prefix for this test; indices are deleted after."""
    if not ENGINE_URL:
        message = "SEARCH_URL is not set: start an engine with scripts/search-engine start"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    settings.SEARCH_URL = ENGINE_URL
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    engine = get_engine()
    yield engine
    for index in engine.indices_matching(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(index)


@pytest.fixture
def reindex(search_engine):
    """Call to index every live, public page as it is now (the index is searchable on return)."""

    def rebuild():
        return rebuild_index(search_engine)

    return rebuild
