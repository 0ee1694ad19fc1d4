"""``{% feed_links as feeds %}``: the feeds of what the reader is looking at, for <link> tags and
the search page's "Subscribe" link."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from knowledge.listings import ListingScope
from knowledge.models import HomePage
from search.query import QUERY_PARAMETERS

register = template.Library()


def _scope_of(context):
    """The ``ListingScope`` of a listing page in ``context``, or None."""
    if context.get("theme") is not None and hasattr(context["theme"], "slug"):
        return ListingScope(theme_slug=context["theme"].slug)
    listing_scope = getattr(context.get("page"), "listing_scope", None)
    return listing_scope() if callable(listing_scope) else None


def feed_parameters(context):
    """The feed query parameters (a ``QueryDict``) matching the page in ``context``, or None.

    - a listing (type listing, country section, theme page): its fixed type, country or theme,
      plus the filters the reader chose; None for the regional section, which no filter expresses;
    - the search page: its ``q`` and filters;
    - the home page: everything (no parameters);
    - anything else, or a page answering 400: None.

    ``page`` and ``sort`` are dropped: feeds list the newest items first, unpaged.
    """
    request = context.get("request")
    if request is None or context.get("errors"):
        return None
    listing = context.get("listing")
    match = getattr(request, "resolver_match", None)
    if listing is not None:
        if listing.errors:
            return None
        scope = _scope_of(context)
        if scope is None or scope.regional:
            return None
        fixed = {
            "type": scope.knowledge_type,
            "country": scope.country_code,
            "theme": scope.theme_slug,
        }
        params = _kept(request.GET, exclude={"q"})
        for name, value in fixed.items():
            if value:
                params.setlist(name, [value])
        return params
    if match is not None and match.url_name == "search":
        return _kept(request.GET)
    if isinstance(context.get("page"), HomePage):
        return QueryDict(mutable=True)
    return None


def _kept(query, exclude=()):
    params = QueryDict(mutable=True)
    for name in QUERY_PARAMETERS:
        values = [value for value in query.getlist(name) if value.strip()]
        if name not in exclude and values:
            params.setlist(name, values)
    return params


@register.simple_tag(takes_context=True)
def feed_links(context):
    """``{"rss": url, "atom": url, "email": url}`` for the page in ``context`` (see
    ``feed_parameters``), or None where the page has no feed; ``email`` is the form that
    subscribes to the same selection by email. URLs are relative, under the current language
    prefix."""
    params = feed_parameters(context)
    if params is None:
        return None
    query = params.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "rss": reverse("feeds:rss") + suffix,
        "atom": reverse("feeds:atom") + suffix,
        "email": reverse("subscriptions:subscribe") + suffix,
    }
