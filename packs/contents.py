"""What an offline pack holds: a country's or a theme's validated lessons and recommendations
and its practice briefs, in one language, all of it public.

A country's pack covers the items tagged with the country, a theme's those tagged with the theme
(in any language: countries and themes are the same terms in every locale, named by code and
slug). Lessons and recommendations are those the lesson register counts as validated or further
on (``lessons.selectors.STILL_VALIDATED``), each shown from the version of its item in the pack's
language when there is one (``shown_lessons``); a brief likewise.
"""

import hashlib
from dataclasses import dataclass, field

from knowledge.models import CountrySectionPage, PracticeBriefPage, Theme
from knowledge.visibility import public_knowledge_pages, visible
from lessons.models import Kind
from lessons.selectors import STILL_VALIDATED, public_lessons, shown_lessons
from packs.models import OfflinePack

#: Changes when the layout of the PDF does, so every pack is built again.
PACK_FORMAT = 1


@dataclass(frozen=True)
class PackScope:
    """One pack's subject: ``scope`` (``OfflinePack.COUNTRY`` or ``THEME``), ``key`` (country code
    or theme slug), ``language`` (a language code) and ``title`` (the country's or theme's name in
    that language)."""

    scope: str
    key: str
    language: str
    title: str

    @property
    def item_lookup(self):
        """The knowledge pages' lookup of the country or theme, e.g. ``{"countries__code": "ML"}``."""
        if self.scope == OfflinePack.COUNTRY:
            return {"countries__code": self.key}
        return {"themes__slug": self.key}


@dataclass
class PackContents:
    """What the pack of ``scope`` holds: ``lessons`` and ``recommendations`` (``ShownLesson``s,
    newest item first) and ``briefs`` (practice brief pages, newest first)."""

    scope: PackScope
    lessons: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)
    briefs: list = field(default_factory=list)

    @property
    def item_count(self):
        """How many entries the pack holds (lessons, recommendations and briefs)."""
        return len(self.lessons) + len(self.recommendations) + len(self.briefs)

    @property
    def fingerprint(self):
        """SHA-256 (hex) of what the PDF is made of: each entry's record, status and the version
        and publication of the page it is read from. Equal fingerprints, equal packs."""
        parts = [PACK_FORMAT, self.scope]
        for shown in self.lessons + self.recommendations:
            parts.append((shown.record.pk, shown.record.status, _published(shown.page)))
        parts += [_published(brief) for brief in self.briefs]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _published(page):
    """What of ``page`` a pack shows that may change: its version, publication and address."""
    published = page.last_published_at.isoformat() if page.last_published_at else ""
    return page.pk, published, page.url_path


def pack_scopes():
    """Every ``PackScope``: the countries of the public country sections and every theme, in each
    language they are named in."""
    scopes = []
    sections = visible(CountrySectionPage.objects.filter(country__isnull=False))
    for section in sections.select_related("country", "locale").order_by("pk"):
        scopes.append(
            PackScope(
                OfflinePack.COUNTRY,
                section.country.code,
                section.locale.language_code,
                section.title,
            )
        )
    for theme in Theme.objects.select_related("locale").order_by("pk"):
        scopes.append(
            PackScope(OfflinePack.THEME, theme.slug, theme.locale.language_code, theme.name)
        )
    return scopes


def pack_contents(scope):
    """The ``PackContents`` of ``scope`` (a ``PackScope``)."""
    items = public_knowledge_pages().filter(**scope.item_lookup)
    keys = set(items.values_list("translation_key", flat=True))
    validated = public_lessons().filter(item_key__in=keys, status__in=STILL_VALIDATED)
    lessons = shown_lessons(validated.filter(kind=Kind.LESSON), scope.language)
    recommendations = shown_lessons(validated.filter(kind=Kind.RECOMMENDATION), scope.language)
    return PackContents(scope, lessons, recommendations, _briefs(keys, scope.language))


def _briefs(keys, language):
    """The public briefs among the items ``keys``, each in ``language`` when it has a version in
    it, else in its first version; newest publication first."""
    chosen = {}
    versions = visible(PracticeBriefPage.objects.filter(translation_key__in=keys))
    for brief in versions.select_related("locale").order_by("pk"):
        current = chosen.get(brief.translation_key)
        if current is None or (
            brief.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[brief.translation_key] = brief
    return sorted(chosen.values(), key=lambda brief: brief.publication_date, reverse=True)
