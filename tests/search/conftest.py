"""Fixtures shared by the search tests that run on both backends."""

import logging

import pytest


@pytest.fixture(params=["database", "engine"])
def backend(request, corpus, caplog):
    """Runs a test once on the database backend and once on the real engine, after the module's
    ``corpus``; the engine must answer every search itself: a failure would fall back to the
    database unseen, but for its log."""
    if request.param == "engine":
        request.getfixturevalue("reindex")()
    yield request.param
    failures = [
        r for r in caplog.records if r.name.startswith("search") and r.levelno >= logging.WARNING
    ]
    assert not failures, [record.getMessage() for record in failures]
