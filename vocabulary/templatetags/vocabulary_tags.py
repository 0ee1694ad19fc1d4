from django import template
from django.utils import translation

from vocabulary.keywords import keywords_in

register = template.Library()


@register.simple_tag
def keywords_named(tags):
    """The ``tags`` as ``vocabulary.keywords.Keyword`` in the current language."""
    return keywords_in(tags, translation.get_language())
