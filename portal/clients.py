"""Who a request comes from, and how often they may ask.

One rule for the client's address serves every rate limit (the API, the subscription form, the
password forms of private pages and documents, the admin's password reset) and the admin's login
lockout (django-axes reads ``client_address`` through ``AXES_CLIENT_IP_CALLABLE``). Counts live in
the default cache, which production shares between all web workers (see ``CACHES`` in the
production settings).
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse

#: Seconds in each period of a rate ("10/hour"), by the period's first letter (DRF's syntax).
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request):
    """The address the request comes from, as a string: an IPv4 address, or the /64 network of
    an IPv6 one (a single subscriber is usually given a whole /64, RFC 6177, so counting single
    IPv6 addresses would let one client rotate through billions).

    ``REMOTE_ADDR``, unless the portal runs behind ``NUM_PROXIES`` proxies that each append the
    address they saw to ``X-Forwarded-For``: then the entry the outermost trusted proxy added.
    Entries a client wrote into the header itself come before those and are never read, so a
    client cannot choose its address (the rule of Django REST framework's ``NUM_PROXIES``). A
    value that is no IP address falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    candidate = remote
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        candidate = addresses[-min(proxies, len(addresses))]
    return _normalised(candidate) or _normalised(remote) or "unknown"


def _normalised(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return ""
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def parse_rate(rate):
    """``(requests, seconds)`` of a rate such as ``"10/hour"`` or ``"120/min"``.

    Raises ``ValueError`` for anything else.
    """
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


class ClientRateThrottle:
    """At most ``rate`` requests (``"10/hour"``) per client in ``scope``.

    ``key`` names the client (default ``client_address``; a constant makes a limit for everyone
    together). Requests are counted in fixed windows of the rate's period with the cache's atomic
    ``add`` and ``incr`` (atomic in Redis and memcached and within one process; in the database
    cache two workers may both read the same count), so parallel requests cannot all pass the way
    they did through a read-then-write count. A client may send up to twice the rate across a
    window's edge. Usable from any Django view, and as a Django REST framework throttle:
    ``allow_request(request, view)`` and ``wait()`` (seconds until the window ends).
    """

    def __init__(self, scope, rate, key=client_address):
        self.scope = scope
        self.num_requests, self.duration = parse_rate(rate)
        self.key = key
        self.window_ends = 0.0

    def allow_request(self, request, view=None):
        """Count this request; False when the client has used up the window's requests."""
        now = time.time()
        window = int(now // self.duration)
        self.window_ends = (window + 1) * self.duration
        cache_key = f"rate:{self.scope}:{window}:{self.key(request)}"
        cache.add(cache_key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=self.duration + 1)
            count = 1
        return count <= self.num_requests

    def wait(self):
        """Seconds until the client may ask again (at least 1)."""
        return max(1, round(self.window_ends - time.time()))


def too_many_requests(request, seconds, message):
    """The 429 answer of a page past a rate limit: ``message`` (which should say when to come back)
    on a page of the site, and ``Retry-After: seconds``."""
    context = {"message": message}
    response = TemplateResponse(request, "too_many_requests.html", context, status=429)
    response["Retry-After"] = str(round(seconds))
    return response
