"""Property-based check of the API against its own OpenAPI schema, with schemathesis.

Schemathesis reads ``/api/v1/schema/`` from the Django application through its WSGI interface and
sends generated requests (valid and invalid parameters) to every operation. Every response must
be no server error and must match the schema: status code, content type, headers and body.
The WSGI calls run in the test's thread, so they see the rows the test made (the ``db`` fixture).
"""

import datetime
import re

import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.wsgi import application
from tests.factories import KnowledgeAttachmentFactory, PolicyNotePageFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


#: Read once at collection; the schema view touches no database table.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def test_connection_kept_open():
    """Django's WSGI handler closes database connections when each request starts and ends; the
    test's connection holds the test's transaction, so it stays open (as Django's test client
    arranges). Without this, PostgreSQL answers "the connection is closed" after one call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published_note(db, settings, test_connection_kept_open):
    """An item with a keyword and an attachment; a rate no generated request can reach."""
    settings.API_RATE = "100000/min"
    note = PolicyNotePageFactory(
        title="Border note", publication_date=datetime.date(2024, 2, 1), tags=["border"]
    )
    KnowledgeAttachmentFactory(page=note)
    return note


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, published_note):
    # Schemathesis' WSGI transport reads bodies as sent: ask for them uncompressed (the portal
    # gzips for clients that accept it, tests/portal/test_headers.py).
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


def _query_parameters(client):
    spec = client.get("/api/v1/schema/?format=json").json()
    for path, operations in spec["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter


@pytest.mark.django_db
def test_the_schema_refuses_the_empty_values_the_api_refuses(client):
    """A client generated from the schema must not send what the API answers 400 (the schema
    accepted ``?country=`` and ``?tag=``, which the API refuses)."""
    checked = 0
    for path, parameter in _query_parameters(client):
        url = re.sub(r"\{[^}]+\}", "1", path)
        if client.get(url, {parameter["name"]: ""}).status_code != 400:
            continue
        schema = parameter["schema"]
        value = [""] if schema.get("type") == "array" else ""
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        assert not validator.is_valid(value), (path, parameter["name"], schema)
        checked += 1
    assert checked >= 15
