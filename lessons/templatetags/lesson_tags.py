"""``{% lessons_acted_on country=... %}``: how many of a country's or a theme's lessons were
acted on, with a link to them in the register (for the country and theme pages)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from lessons.selectors import acted_on_counts

register = template.Library()


@register.inclusion_tag("lessons/includes/acted_on.html")
def lessons_acted_on(country=None, theme=None):
    """The counts of ``acted_on_counts`` for ``country`` (a ``Country``) or ``theme`` (a
    ``Theme``), and the register's address filtered to them; nothing shown without lessons."""
    if country is not None:
        total, acted = acted_on_counts(countries__code=country.code)
        query = {"country": country.code}
    elif theme is not None:
        total, acted = acted_on_counts(themes__slug=theme.slug)
        query = {"theme": theme.slug}
    else:
        return {"total": 0}
    return {
        "total": total,
        "acted": acted,
        "url": f"{reverse('lesson_register')}?{urlencode(query)}",
    }
