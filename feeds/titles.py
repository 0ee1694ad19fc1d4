"""Titles and descriptions that say what a feed covers, in the interface language."""

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from knowledge.models import KNOWLEDGE_TYPES, KnowledgeTag, term_names
from knowledge.objectives import objective_label, objective_names
from knowledge.visibility import public_knowledge_pages

SEPARATOR = " · "


def scope_parts(query):
    """What ``query`` (a ``KnowledgeQuery``) selects, one phrase per dimension, e.g.
    ``["Search: “water”", "Community-led practice briefs", "Mali"]``; empty for everything.

    Countries and themes are named in the interface language (``term_names``); at most three
    queries, whatever the number of values.
    """
    filters, language = query.filters, query.language
    parts = []
    if query.text:
        parts.append(_("Search: “%(text)s”") % {"text": query.text})
    if filters.type:
        names = [
            str(capfirst(KNOWLEDGE_TYPES[key]._meta.verbose_name_plural)) for key in filters.type
        ]
        parts.append(", ".join(names))
    countries, themes = term_names(language, filters.country, filters.theme)
    if filters.country:
        parts.append(", ".join(countries[code] for code in filters.country))
    if filters.theme:
        parts.append(", ".join(themes[slug] for slug in filters.theme))
    if filters.objective:
        names = objective_names(language)
        labels = "; ".join(objective_label(names, number)[0] for number in filters.objective)
        parts.append(_("Global Compact: %(objectives)s") % {"objectives": labels})
    if filters.tag:
        # Only keywords of public items are named: a keyword on drafts alone stays unknown.
        public_tags = KnowledgeTag.objects.filter(
            slug__in=filters.tag, tagged_pages__content_object__in=public_knowledge_pages()
        ).distinct()
        tags = dict(public_tags.values_list("slug", "name"))
        keywords = ", ".join(tags.get(slug, slug) for slug in filters.tag)
        parts.append(_("Keyword: %(keywords)s") % {"keywords": keywords})
    if filters.language:
        languages = dict(settings.LANGUAGES)
        names = ", ".join(str(languages[code]) for code in filters.language)
        parts.append(_("In %(languages)s") % {"languages": names})
    if filters.year:
        years = ", ".join(str(year) for year in filters.year)
        parts.append(_("Published in %(years)s") % {"years": years})
    return parts


def feed_title(parts):
    """E.g. "Community-led practice briefs · Mali · COMPASS Knowledge Portal" from ``scope_parts``."""
    return SEPARATOR.join([*(parts or [_("Latest knowledge")]), _("COMPASS Knowledge Portal")])


def feed_description(parts, limit):
    """One sentence, from ``scope_parts``, on what the feed carries and how many items at most."""
    if not parts:
        return _(
            "The %(limit)s newest lessons-learned reports, community-led practice briefs and "
            "policy notes of the COMPASS Knowledge Portal, in every language."
        ) % {"limit": limit}
    return _("The %(limit)s newest items of the COMPASS Knowledge Portal for: %(scope)s.") % {
        "limit": limit,
        "scope": SEPARATOR.join(parts),
    }
