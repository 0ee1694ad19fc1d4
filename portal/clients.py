"""Who a request comes from, and how often they may ask.

One rule for the client's address serves the API's rate limit, the subscription form, the
password form of private pages and the admin's login lockout (django-axes reads
``client_address`` through ``AXES_CLIENT_IP_CALLABLE``). Counts live in the default cache, which
production shares between all web workers (see ``CACHES`` in the production settings).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


def client_address(request):
    """The IP address the request comes from, as a string.

    ``REMOTE_ADDR``, unless the portal runs behind ``NUM_PROXIES`` proxies that each append the
    address they saw to ``X-Forwarded-For``: then the entry the outermost trusted proxy added.
    Entries a client wrote into the header itself come before those and are never read, so a
    client cannot choose its address (the rule of Django REST framework's ``NUM_PROXIES``).
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    if not proxies or not forwarded:
        return request.META.get("REMOTE_ADDR", "")
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))]


class ClientRateThrottle(SimpleRateThrottle):
    """At most ``rate`` requests (``"10/hour"``: a number per second, minute, hour or day) per
    client address in ``scope``; Django REST framework's sliding-window throttle, usable from
    any Django view: ``ClientRateThrottle("subscribe", "10/hour").allow_request(request)``.

    ``wait()`` then tells the seconds until the next request is allowed.
    """

    def __init__(self, scope, rate):
        self.scope = scope
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def allow_request(self, request, view=None):
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
