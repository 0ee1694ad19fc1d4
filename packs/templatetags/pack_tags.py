"""``{% offline_pack_link country=... %}`` / ``theme=...``: the download of a country's or a
theme's offline pack in the reader's language, on its page; nothing while none is built."""

from django import template
from django.utils import translation

from packs.models import OfflinePack

register = template.Library()


@register.inclusion_tag("packs/offline_pack_link.html")
def offline_pack_link(country=None, theme=None):
    """The ``OfflinePack`` of ``country`` (a ``Country``) or ``theme`` (a ``Theme``) in the
    active language, or ``None``."""
    if country is not None:
        scope, key = OfflinePack.COUNTRY, country.code
    elif theme is not None:
        scope, key = OfflinePack.THEME, theme.slug
    else:
        return {"pack": None}
    language = translation.get_language()
    return {"pack": OfflinePack.objects.filter(scope=scope, key=key, language=language).first()}
