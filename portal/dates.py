"""Dates as each language writes them, from the Unicode CLDR through Babel.

Django's per-locale ``DATE_FORMAT`` gives English "June 15, 2023" but "Feb." and "Sept." (AP style
abbreviations) for some months, and Arabic day-month-year with a comma; CLDR's "long" pattern is what
each language's readers expect: "15 juin 2023", "15 يونيو 2023", "15 de junio de 2023".
"""

from babel.dates import format_date, format_skeleton
from django.utils import translation


def _locale(language):
    return (language or translation.get_language() or "en").replace("-", "_")


def long_date(value, language=None):
    """``value`` (a ``date`` or ``datetime``) in CLDR's long date form in ``language`` (default:
    the active language), e.g. "15 juin 2023"; "" for ``None``."""
    if value is None:
        return ""
    return format_date(value, "long", locale=_locale(language))


def month_year(value, language=None):
    """The month and year of ``value`` in ``language``, e.g. "juin 2023", "junio de 2023" (CLDR's
    ``yMMMM`` skeleton); "" for ``None``."""
    if value is None:
        return ""
    return format_skeleton("yMMMM", value, locale=_locale(language))
