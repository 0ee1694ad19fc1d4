"""``/health/`` (liveness: the process answers) and ``/ready/`` (readiness: it can serve, and
what lags behind; ``operations.readiness``), both JSON and never cached.

They are answered by ``HealthCheckMiddleware``, first in the middleware list, before anything
that could fail for reasons of its own: the ``Host`` check (a container's health check asks
``127.0.0.1``, which ``ALLOWED_HOSTS`` rightly refuses), the HTTPS redirect, the page cache and
the request's database transaction (``ATOMIC_REQUESTS`` would open one before the view and turn
an unreachable database into a 500 instead of a report).
"""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from operations.readiness import UNAVAILABLE, readiness


def health(request):
    """200 ``{"status": "ok"}`` while the process can answer at all; touches nothing else, so a
    process manager restarts only processes that hang, not those whose database is away."""
    return JsonResponse({"status": "ok"})


def ready(request):
    """The readiness report; 503 when the portal cannot serve (its database is unreachable),
    200 when it can, ``"degraded"`` when something behind it lags or is down."""
    report = readiness()
    return JsonResponse(report, status=503 if report["status"] == UNAVAILABLE else 200)


CHECKS = {"/health/": health, "/ready/": ready}


class HealthCheckMiddleware:
    """Answer GET and HEAD of ``/health/`` and ``/ready/`` (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check = CHECKS.get(request.path)
        if check is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = check(request)
        add_never_cache_headers(response)
        return response
