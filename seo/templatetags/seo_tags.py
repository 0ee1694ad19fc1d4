"""``{% seo_head as seo %}``: the canonical link, hreflang links, Open Graph, Twitter card and
JSON-LD of the page being rendered (see ``seo.metadata``)."""

from django import template

from seo.metadata import head_metadata

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context):
    """The ``HeadMetadata`` of the current page; empty for views without a Wagtail page."""
    return head_metadata(context)
