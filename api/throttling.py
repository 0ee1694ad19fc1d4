"""The API's rate limit: ``settings.API_RATE`` requests per client (e.g. ``"120/min"``).

A client is its IP address (DRF's ``get_ident``: ``REMOTE_ADDR``, or ``X-Forwarded-For`` behind
``REST_FRAMEWORK["NUM_PROXIES"]`` proxies); counts live in the default cache. The rate is read on
every request, so a deployment (or a test) changes it through settings alone. Past the limit the
API answers 429 with ``Retry-After`` (see ``api.errors``).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiRateThrottle(SimpleRateThrottle):
    """``settings.API_RATE`` requests per client IP address, every endpoint counted together."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
