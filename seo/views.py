"""``/sitemap.xml`` and ``/robots.txt``, outside the language prefixes (crawlers look for them there)."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from portal.addresses import absolute

from .sitemaps import PortalSitemap

#: Machine endpoints with nothing for a search engine to index, in every language.
UNCRAWLED_VIEWS = ["search_json", "search_autocomplete"]
#: Paths outside the language prefixes that crawlers may not visit.
UNCRAWLED_PATHS = ["/admin/", "/django-admin/"]


@cache_control(max_age=3600)
def sitemap(request):
    """The sitemap (https://www.sitemaps.org/protocol.html) of every language; see ``seo.sitemaps``.

    Django's view answers 404 for a page number (``?p=``) that does not exist.
    """
    return wagtail_sitemap_views.sitemap(
        request, sitemaps={"pages": PortalSitemap}, template_name="seo/sitemap.xml"
    )


def disallowed_paths():
    """Paths ``robots.txt`` disallows: the admin, and the JSON search endpoints of each language."""
    paths = list(UNCRAWLED_PATHS)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths += [reverse(name) for name in UNCRAWLED_VIEWS]
    return paths


@require_safe
@cache_control(max_age=86400)
def robots_txt(request):
    """``robots.txt`` (RFC 9309): every crawler may read the public site, not the admin or the
    JSON search endpoints; the ``Sitemap:`` line gives the sitemap's absolute URL.
    """
    context = {
        "disallowed": disallowed_paths(),
        "sitemap_url": absolute(reverse("sitemap"), request),
    }
    return TemplateResponse(request, "seo/robots.txt", context, content_type="text/plain")


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers and crawlers ask for whatever a page links: a permanent
    redirect to the portal's icon (an SVG, ``static/img/favicon.svg``)."""
    return redirect(static("img/favicon.svg"), permanent=True)
