"""Thin adapters that carry elasticsearch-dsl request bodies to a cluster through its official client.

``connect(url)`` reads the cluster's root endpoint and returns the adapter for the engine it finds:
``OpenSearchEngine`` (opensearch-py) or ``ElasticsearchEngine`` (elasticsearch).
"""

from .base import (
    BulkFailure,
    EngineTimedOut,
    EngineUnavailable,
    IndexMissing,
    SearchEngine,
    WritePolicy,
)
from .detect import connect

__all__ = [
    "BulkFailure",
    "EngineTimedOut",
    "EngineUnavailable",
    "IndexMissing",
    "SearchEngine",
    "WritePolicy",
    "connect",
]
