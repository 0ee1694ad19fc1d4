"""The open JSON API: read-only, versioned under ``/api/v1/``, described by an OpenAPI 3 schema.

Endpoints (every one answers GET, HEAD and a CORS preflight from any origin):

- ``/api/v1/items/``: published knowledge items, filtered by ``type``, ``country``, ``theme``,
  ``objective``, ``year``, ``language``, ``tag`` (repeatable, as on the site), ``published_after`` and
  ``published_before`` (ISO dates, inclusive) and free text ``q`` (the portal's search service,
  ``search.results.search_knowledge``: the engine, or the database when there is none); sorted by
  ``sort``; paged with ``page`` and ``page_size``; trimmed to ``fields``.
- ``/api/v1/items/<id>/``: one item.
- ``/api/v1/countries/``, ``/api/v1/themes/``, ``/api/v1/types/``: the taxonomy, named in the
  language given by ``language``.
- ``/api/v1/schema/``: the OpenAPI 3 schema of all of these (JSON; YAML with ``?format=yaml``).

Only live, public pages appear (``knowledge.visibility.public_knowledge_pages``): drafts, private
pages and pages under private sections never do, whoever asks; the API has no authentication.

Every error has one body, whatever the status (400, 404, 405, 406, 429)::

    {"error": {"code": "bad_parameter", "parameter": "country", "message": "..."}}

``parameter`` names the query parameter at fault and is present only when one is.

Why Django REST framework rather than Wagtail's API v2: the filters this API needs (repeatable
country/theme/tag/type values ORed within a dimension, date ranges, free-text search through the
portal's search service with relevance order, validation that names the bad parameter) are the
portal's own (``knowledge.filters``, ``search``), and Wagtail's API v2 would have to be bent to
reach them: its filtering is field equality on declared ``api_fields``, its ``search`` goes straight
to Wagtail's search backend rather than the portal's engine, and it publishes no OpenAPI schema.
DRF (already installed as a dependency of Wagtail) lets plain views call the portal's selectors and
search service, and drf-spectacular derives the OpenAPI 3 schema from the same serializers and
parameter declarations, which the test suite checks against real responses with schemathesis.
"""
