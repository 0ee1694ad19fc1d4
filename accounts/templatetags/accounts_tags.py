"""Template filters of the accounts pages."""

from django import template

register = template.Library()


@register.filter
def minutes(duration):
    """A ``timedelta`` as whole minutes, at least 1 (``timedelta(minutes=30)`` -> 30)."""
    return max(1, round(duration.total_seconds() / 60))
