"""A page's language versions and their ``hreflang`` alternates, shared by the sitemap and the
``<head>`` tags.

One definition keeps the sitemap's ``<loc>`` and ``hreflang`` links, the canonical link and
``og:url`` identical, as Google asks: an alternate named in the sitemap must be the URL the page
itself declares canonical. The URLs are made absolute by the portal's one rule,
``portal.addresses`` (the request's host, not the Wagtail ``Site`` record's ``localhost``).
"""

from dataclasses import dataclass

from django.conf import settings

#: The ``hreflang`` value for the version shown to readers of any other language
#: (https://developers.google.com/search/docs/specialty/international/localized-versions#xdefault).
X_DEFAULT = "x-default"


@dataclass(frozen=True)
class Version:
    """One language version of a page: its BCP 47 language code, absolute URL and primary key.

    ``pk`` orders versions by creation, which chooses the ``x-default`` one (see ``alternates``).
    """

    language: str
    url: str
    pk: int


def language_order(code):
    """Position of a language in ``settings.LANGUAGES`` (unknown codes last), for stable output."""
    codes = [language for language, _name in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def alternates(versions):
    """``[(hreflang, url)]`` for a page's language versions, followed by the ``x-default`` entry.

    ``versions`` is an iterable of ``Version``. Every version is listed, including the page itself,
    as Google's hreflang rules require each version to name all of them. ``x-default`` is the
    version in ``settings.LANGUAGE_CODE`` if there is one, else the first one created (the item's
    original). An empty ``versions`` gives an empty list.
    """
    versions = sorted(versions, key=lambda version: language_order(version.language))
    if not versions:
        return []
    default = next(
        (version for version in versions if version.language == settings.LANGUAGE_CODE),
        min(versions, key=lambda version: version.pk),
    )
    return [(version.language, version.url) for version in versions] + [(X_DEFAULT, default.url)]
