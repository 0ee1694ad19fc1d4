"""Factories for the portal's models, built on factory_boy and wagtail-factories.

Knowledge pages are created under the country section of their language in the tree that
``set_up_portal`` builds once per test session (see conftest).
"""

import datetime

import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from knowledge.models import (
    Country,
    CountrySectionPage,
    HomePage,
    KnowledgeAttachment,
    KnowledgeIndexPage,
    KnowledgeTag,
    LessonsLearnedReportPage,
    PolicyNotePage,
    PracticeBriefPage,
    TaggedKnowledgePage,
    Theme,
    ThemeIndexPage,
    country_name,
)
from tests.helpers import pdf_bytes


def locale(language="en"):
    return Locale.objects.get(language_code=language)


def section_page(language="en", country_code="ML"):
    """The country section (or, with ``country_code=None``, the regional section) of a language."""
    sections = CountrySectionPage.objects.filter(locale__language_code=language)
    if country_code is None:
        return sections.get(country__isnull=True)
    return sections.get(country__code=country_code)


class CountryFactory(DjangoModelFactory):
    code = "ML"
    locale = factory.LazyFunction(locale)
    name = factory.LazyAttribute(lambda o: country_name(o.code, o.locale.language_code))

    class Meta:
        model = Country
        django_get_or_create = ("code", "locale")


class ThemeFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    locale = factory.LazyFunction(locale)
    description = "A theme made for a test."

    class Meta:
        model = Theme
        django_get_or_create = ("slug", "locale")


class KnowledgeTagFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"keyword {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = KnowledgeTag
        django_get_or_create = ("slug",)


def home_page(language="en"):
    """The home page set_up_portal made for ``language`` (the first one in the tree)."""
    return HomePage.objects.filter(locale__language_code=language).order_by("path").first()


class HomePageFactory(wagtail_factories.PageFactory):
    """A further home page under the root, e.g. for a second site."""

    title = factory.Sequence(lambda n: f"Home {n}")
    parent = factory.LazyFunction(lambda: home_page().get_parent())

    class Meta:
        model = HomePage


class CountrySectionPageFactory(wagtail_factories.PageFactory):
    """A section under the English home; pass ``country`` (a ``Country``) or leave it regional."""

    title = factory.Sequence(lambda n: f"Section {n}")
    parent = factory.LazyFunction(home_page)
    country = None

    class Meta:
        model = CountrySectionPage


class KnowledgeIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Listing {n}")
    parent = factory.LazyFunction(home_page)
    knowledge_type = "policy_note"

    class Meta:
        model = KnowledgeIndexPage


class ThemeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Themes"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = ThemeIndexPage


class KnowledgePageFactory(wagtail_factories.PageFactory):
    """Base factory: ``language`` and ``section_country`` choose the parent section.

    ``countries`` (codes), ``themes`` (slugs) and ``tags`` (names) are set after creation, from the
    rows of the page's own locale.
    """

    class Params:
        language = "en"
        section_country = "ML"

    title = factory.Sequence(lambda n: f"Knowledge item {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "What the programme learned, in two sentences. It matters to readers."
    publication_date = datetime.date(2024, 5, 1)
    organisation = "COMPASS"
    parent = factory.LazyAttribute(lambda o: section_page(o.language, o.section_country))

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        codes = extracted or [obj.get_parent().specific.country.code]
        obj.countries = list(Country.objects.filter(locale=obj.locale, code__in=codes))

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        slugs = extracted or ["protection"]
        obj.themes = list(Theme.objects.filter(locale=obj.locale, slug__in=slugs))

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        obj.tags.set(extracted or [])
        if create:
            obj.save()


class LessonsLearnedReportPageFactory(KnowledgePageFactory):
    lessons = [
        {
            "type": "lesson",
            "value": {
                "statement": "Involve host communities early",
                "explanation": "<p>They stay.</p>",
            },
        }
    ]

    class Meta:
        model = LessonsLearnedReportPage


class PracticeBriefPageFactory(KnowledgePageFactory):
    community = "Women's savings group"
    practice = "<p>Members pool savings to fund safe livelihoods.</p>"

    class Meta:
        model = PracticeBriefPage


class PolicyNotePageFactory(KnowledgePageFactory):
    key_messages = [{"type": "message", "value": "Fund community-led protection."}]

    class Meta:
        model = PolicyNotePage


#: A real, readable PDF of about 2.8 KB (pages list an unreadable one without a download link).
REPORT_PDF = pdf_bytes(
    " ".join(
        f"Finding {i}: committee {i * 7919 % 1000} met {i * 31 % 97} families." for i in range(120)
    )
)


class KnowledgeAttachmentFactory(DjangoModelFactory):
    """A PDF document attached to a knowledge page."""

    page = factory.SubFactory(PolicyNotePageFactory)
    document = factory.SubFactory(
        wagtail_factories.DocumentFactory,
        title="Full report",
        file=factory.django.FileField(filename="report.pdf", data=REPORT_PDF),
    )
    title = "Full report"

    class Meta:
        model = KnowledgeAttachment


class TaggedKnowledgePageFactory(DjangoModelFactory):
    tag = factory.SubFactory(KnowledgeTagFactory)
    content_object = factory.SubFactory(PolicyNotePageFactory)

    class Meta:
        model = TaggedKnowledgePage


def statements(kind, *entries):
    """A stream of ``kind`` entries ("lesson" or "recommendation") for a report's ``lessons`` or
    ``recommendations``: each entry a ``(statement, explanation HTML)`` pair."""
    return [
        {"type": kind, "value": {"statement": statement, "explanation": explanation}}
        for statement, explanation in entries
    ]


def published(factory_class, **fields):
    """A new page of ``factory_class`` (a page factory) published as an editor publishes it,
    ``save_revision().publish()``: factory pages are otherwise live without Wagtail's
    ``page_published``, which the lesson records and the objectives follow."""
    page = factory_class(live=False, **fields)
    page.save_revision().publish()
    return page
