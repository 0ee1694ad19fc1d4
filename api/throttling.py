"""The API's rate limit: ``settings.API_RATE`` requests per client (e.g. ``"120/min"``).

A client is its address (``portal.clients.client_address``); counts live in the default cache,
shared by every web worker in production. The rate is read on every request, so a deployment (or
a test) changes it through settings alone. Past the limit the API answers 429 with
``Retry-After`` (see ``api.errors``).
"""

from django.conf import settings

from portal.clients import ClientRateThrottle


class ApiRateThrottle(ClientRateThrottle):
    """``settings.API_RATE`` requests per client address, every endpoint counted together."""

    def __init__(self):
        super().__init__("api", settings.API_RATE)
