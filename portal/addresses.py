"""The portal's absolute addresses: the one rule every channel follows (pages, API, OAI-PMH, feeds,
sitemap, citations, emails).

With a request, a link is on the host the reader asked (``request.build_absolute_uri``: the
scheme and host of the request, which ``ALLOWED_HOSTS`` has vetted), so a portal served under any
name links to itself. Without one (emails, background jobs), it is on the configured public
address, ``WAGTAILADMIN_BASE_URL``. Wagtail's ``Site`` records are never read for it: the setup's
``localhost`` site would otherwise leak into every link.
"""

from django.conf import settings


def absolute(path, request=None):
    """``path`` (starting with /, or already absolute) as an absolute URL: on the request's host
    when ``request`` is given, else under ``WAGTAILADMIN_BASE_URL``."""
    if request is not None:
        return request.build_absolute_uri(path)
    if "://" in path:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def page_address(page, request=None):
    """Absolute URL of a Wagtail ``page`` by ``absolute``'s rule, or ``None`` when the page is not
    routable (outside every site)."""
    path = page.get_url(request)
    return absolute(path, request) if path else None
