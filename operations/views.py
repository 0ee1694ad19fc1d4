"""``/health/`` (liveness: the process answers) and ``/ready/`` (readiness: it can serve, and
what lags behind; ``operations.readiness``), both JSON and never cached."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from operations.readiness import UNAVAILABLE, readiness


@never_cache
@require_safe
def health(request):
    """200 ``{"status": "ok"}`` while the process can answer at all; touches nothing else, so a
    process manager restarts only processes that hang, not those whose database is away."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    """The readiness report; 503 when the portal cannot serve (its database is unreachable),
    200 when it can, ``"degraded"`` when something behind it lags or is down."""
    report = readiness()
    return JsonResponse(report, status=503 if report["status"] == UNAVAILABLE else 200)
