"""The ways into a language's tree that every page offers: its home and its country sections."""

from dataclasses import dataclass

from knowledge.collation import collated
from knowledge.facets import facet_counts
from knowledge.filters import KnowledgeFilters
from knowledge.models import CountrySectionPage, HomePage
from knowledge.visibility import public_knowledge_pages, visible


def home_for(language_code):
    """The live, public home page of ``language_code`` ('fr'), or ``None``."""
    # A home page is a child of the tree's root (depth 2): the depth lets the database find it
    # among the few pages at that depth (an index, see migration 0007), not among every page of
    # its language.
    homes = HomePage.objects.filter(depth=2, locale__language_code=language_code)
    return visible(homes).first()


def country_sections(home):
    """The public country sections under ``home``, countries in its language's alphabetical order
    (``knowledge.collation``), then the section for regional and global knowledge."""
    sections = visible(CountrySectionPage.objects.child_of(home)).select_related("country")
    countries = [section for section in sections if section.country_id]
    others = [section for section in sections if not section.country_id]
    return collated(countries, home.locale.language_code, key=lambda page: page.title) + others


@dataclass(frozen=True)
class CountryEntry:
    """A country section as the Countries page lists it: ``page`` and the number of public items
    its listing shows (``item_count``; ``None`` for the regional section, which lists by place
    in the tree rather than by country)."""

    page: CountrySectionPage
    item_count: int | None


def country_entries(home):
    """``[CountryEntry]`` of ``country_sections(home)``, all counts in one query."""
    counts = dict(
        facet_counts(public_knowledge_pages(), KnowledgeFilters(), ["country"])["country"]
    )
    return [
        CountryEntry(section, counts.get(section.country.code, 0) if section.country_id else None)
        for section in country_sections(home)
    ]
