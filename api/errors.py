"""One error body for every API error: ``{"error": {"code", "message"[, "parameter"]}}``.

``code`` is stable and machine-readable: ``bad_parameter`` (400), ``not_found`` (404),
``method_not_allowed`` (405), ``not_acceptable`` (406), ``rate_limited`` (429, with a
``Retry-After`` header and ``retry_after`` seconds in the body). ``parameter`` names the query
parameter at fault, when there is one.
"""

import math

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from knowledge.filters import printable

API_URLCONF = "api.urlconf"


class BadParameter(exceptions.APIException):
    """A query parameter the API cannot use: unknown, repeated, malformed or out of range."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter, message):
        super().__init__(printable(str(message)))
        self.parameter = printable(parameter)


class ParameterNotFound(exceptions.NotFound):
    """A 404 caused by a parameter, such as a page number past the last page."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter


_CODES = {
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "bad_parameter",
    exceptions.ParseError: "bad_parameter",
}


def error_body(code, message, parameter=None, **extra):
    """The ``{"error": {...}}`` dictionary of one error."""
    error = {"code": code, "message": str(message)}
    if parameter:
        error["parameter"] = parameter
    error.update(extra)
    return {"error": error}


def exception_handler(exc, context):
    """DRF exception handler of the API views: every ``APIException`` as an error body.

    Anything else (a bug) is left to Django, which logs it and answers 500.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    code = next((code for cls, code in _CODES.items() if isinstance(exc, cls)), None)
    code = code or getattr(exc, "default_code", "error")
    message = exc.detail if isinstance(exc.detail, str) else _message_of(exc.detail)
    headers = {}
    extra = {}
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        extra["retry_after"] = wait
        message = _("Too many requests from this client; retry in %(seconds)s seconds.") % {
            "seconds": wait
        }
    body = error_body(code, message, getattr(exc, "parameter", None), **extra)
    return Response(body, status=exc.status_code, headers=headers)


def _message_of(detail):
    """A readable sentence from a DRF error detail that is a list or a dict."""
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_message_of(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_message_of(item) for item in detail)
    return str(detail)


def keep_api_urlconf(request):
    """Mark ``request`` (a Django ``HttpRequest``) as the API's: see ``api.urlconf``."""
    request.urlconf = API_URLCONF


def not_found(request, path=""):
    """Any ``/api/`` address that is not an endpoint: a 404 with the API's error body."""
    keep_api_urlconf(request)
    body = error_body("not_found", _("There is no API endpoint at this address."))
    return JsonResponse(body, status=404)
