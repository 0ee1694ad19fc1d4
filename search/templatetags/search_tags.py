"""``{% related_items page as related %}``: items like a knowledge page, for its template."""

from django import template

from search.related import related_items as find_related_items

register = template.Library()


@register.simple_tag
def related_items(page, limit=4):
    """Up to ``limit`` visible items most like ``page`` (``search.related.related_items``): the
    engine's more_like_this within a second, else items sharing its countries and themes."""
    return find_related_items(page, limit)
