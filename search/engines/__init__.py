"""Thin adapters that carry elasticsearch-dsl request bodies to a cluster through its official client.

``connect(url)`` reads the cluster's root endpoint and returns the adapter for the engine it finds:
``OpenSearchEngine`` (opensearch-py) or ``ElasticsearchEngine`` (elasticsearch).
"""

from .base import EngineTimedOut, EngineUnavailable, IndexMissing, SearchEngine
from .detect import connect

__all__ = ["EngineTimedOut", "EngineUnavailable", "IndexMissing", "SearchEngine", "connect"]
