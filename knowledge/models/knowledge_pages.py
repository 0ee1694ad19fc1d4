"""The three knowledge page types and what they share.

``KnowledgePage`` is a concrete (multi-table) base so listings, search and feeds query every type at
once; editors create only its subclasses.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from knowledge.blocks import BodyBlock, PolicyRecommendationBlock, StatementBlock
from knowledge.forms import KnowledgePageForm

from .tags import TaggedKnowledgePage

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
SUMMARY_MAX_LENGTH = 1200
#: Publication years readers can filter by (knowledge.filters accepts the same range).
MIN_YEAR, MAX_YEAR = 1900, 2100


def _today():
    return timezone.localdate()


class KnowledgePage(Page):
    """Fields every knowledge item has: summary, date, countries, themes, keywords, attachments.

    Its language is its Wagtail locale. ``external_id`` links the page to a line of an import file.
    """

    summary = models.TextField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Two or three plain sentences. Shown in listings, search results and feeds."),
    )
    publication_date = models.DateField(
        _("publication date"),
        default=_today,
        validators=[
            MinValueValidator(datetime.date(MIN_YEAR, 1, 1)),
            MaxValueValidator(datetime.date(MAX_YEAR, 12, 31)),
        ],
        help_text=_("Date the item was published. Listings sort and filter by its year."),
    )
    countries = ParentalManyToManyField(
        "knowledge.Country",
        related_name="knowledge_pages",
        verbose_name=_("countries"),
        help_text=_("Every country the item is about. Readers filter by these."),
    )
    themes = ParentalManyToManyField(
        "knowledge.Theme",
        related_name="knowledge_pages",
        verbose_name=_("themes"),
        help_text=_("The programme themes the item covers. Readers filter by these."),
    )
    tags = ClusterTaggableManager(
        through=TaggedKnowledgePage,
        blank=True,
        verbose_name=_("keywords"),
        help_text=_("Free keywords readers can click to find related items, e.g. border, youth."),
    )
    organisation = models.CharField(
        _("publishing organisation"),
        max_length=255,
        blank=True,
        help_text=_("Organisation that publishes the item; used in citations."),
    )
    authors = StreamField(
        [("author", blocks.CharBlock(label=_("Name"), max_length=200))],
        blank=True,
        verbose_name=_("authors"),
        help_text=_("One name per entry, in the order they should be cited."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Any further text, headings, quotes and images."),
    )
    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    import_checksum = models.CharField(max_length=64, blank=True, editable=False)

    is_creatable = False
    parent_page_types = ["knowledge.CountrySectionPage"]
    subpage_types = []
    base_form_class = KnowledgePageForm
    exclude_fields_in_copy = ["external_id", "import_checksum"]

    #: Key of the type in import files, listings and URLs (e.g. ``?type=policy_note``).
    knowledge_type = ""

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=3),
        index.SearchField("body"),
        index.SearchField("organisation"),
        index.RelatedFields("countries", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("publication_date"),
    ]

    taxonomy_panels = [
        FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        InlinePanel("attachments", label=_("Attached documents")),
    ]
    common_panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("publication_date"), FieldPanel("organisation")]),
        FieldPanel("authors"),
    ]

    class Meta:
        verbose_name = _("knowledge page")

    @classmethod
    def tabs(cls, content_panels):
        """Edit screen tabs: content, taxonomy and attachments, promote, settings."""
        return TabbedInterface(
            [
                ObjectList(content_panels, heading=_("Content")),
                ObjectList(cls.taxonomy_panels, heading=_("Taxonomy and attachments")),
                ObjectList(Page.promote_panels, heading=_("Promote")),
                ObjectList(Page.settings_panels, heading=_("Settings")),
            ]
        )

    @property
    def type_label(self):
        return self.specific_class._meta.verbose_name

    def get_context(self, request, *args, **kwargs):
        # Imported here: the search app builds on these models.
        from search.related import related_items

        context = super().get_context(request, *args, **kwargs)
        context["translations"] = self.get_translations().live().public().select_related("locale")
        context["related_pages"] = related_items(self)
        context["attachments"] = self.attachments.select_related("document")
        return context


class KnowledgeAttachment(Orderable):
    """A document (usually a PDF) attached to a knowledge page."""

    page = ParentalKey(KnowledgePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        related_name="+",
        on_delete=models.CASCADE,
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("link text"),
        max_length=255,
        blank=True,
        help_text=_(
            "What readers click, e.g. 'Full report'. Left empty, the document title is used."
        ),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title


class LessonsLearnedReportPage(KnowledgePage):
    """A lessons-learned report: what happened, what worked, lessons and recommendations."""

    context = RichTextField(
        _("context or driving event"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The situation or event that led to the work the report looks back on."),
    )
    what_worked = RichTextField(_("what worked"), features=TEXT_FEATURES, blank=True)
    what_did_not_work = RichTextField(_("what did not work"), features=TEXT_FEATURES, blank=True)
    lessons = StreamField(
        [("lesson", StatementBlock(label=_("Lesson")))],
        min_num=1,
        verbose_name=_("lessons"),
        help_text=_("Each lesson as a short statement readers can scan, with its explanation."),
    )
    recommendations = StreamField(
        [("recommendation", StatementBlock(label=_("Recommendation")))],
        blank=True,
        verbose_name=_("recommendations"),
        help_text=_("What the report recommends, one statement each."),
    )
    evidence = RichTextField(
        _("evidence and sources"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Data, surveys and documents the lessons rest on."),
    )
    period_start = models.DateField(_("period covered from"), null=True, blank=True)
    period_end = models.DateField(_("period covered to"), null=True, blank=True)
    programme_phase = models.CharField(
        _("programme phase"),
        max_length=100,
        blank=True,
        help_text=_("e.g. Phase II (2019-2022)."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )

    knowledge_type = "lessons_report"

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("context"),
        index.SearchField("what_worked"),
        index.SearchField("what_did_not_work"),
        index.SearchField("lessons", boost=2),
        index.SearchField("recommendations", boost=2),
        index.SearchField("evidence"),
    ]

    content_panels = KnowledgePage.common_panels + [
        FieldPanel("cover_image"),
        FieldPanel("context"),
        FieldPanel("what_worked"),
        FieldPanel("what_did_not_work"),
        FieldPanel("lessons"),
        FieldPanel("recommendations"),
        FieldPanel("evidence"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("programme_phase"),
            ],
            heading=_("Period and phase"),
        ),
        FieldPanel("body"),
    ]
    edit_handler = KnowledgePage.tabs(content_panels)

    class Meta:
        verbose_name = _("lessons-learned report")
        verbose_name_plural = _("lessons-learned reports")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class PracticeBriefPage(KnowledgePage):
    """A community-led practice brief: the practice, who led it, results and how to replicate it."""

    community = models.CharField(
        _("community"), max_length=255, help_text=_("The community that leads the practice.")
    )
    location = models.CharField(
        _("location"), max_length=255, blank=True, help_text=_("e.g. Agadez region.")
    )
    practice = RichTextField(
        _("the practice"), features=TEXT_FEATURES, help_text=_("What people do.")
    )
    led_by = RichTextField(
        _("who led it"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The people and groups behind it."),
    )
    results = RichTextField(_("results"), features=TEXT_FEATURES, blank=True)
    replication = RichTextField(
        _("what it takes to replicate it"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("People, money, time and conditions another community would need."),
    )
    contact_organisation = models.CharField(
        _("contact organisation"),
        max_length=255,
        blank=True,
        help_text=_("Who readers can contact to learn more."),
    )

    knowledge_type = "practice_brief"

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("community"),
        index.SearchField("location"),
        index.SearchField("practice", boost=2),
        index.SearchField("led_by"),
        index.SearchField("results", boost=2),
        index.SearchField("replication"),
    ]

    content_panels = KnowledgePage.common_panels + [
        FieldRowPanel([FieldPanel("community"), FieldPanel("location")]),
        FieldPanel("practice"),
        FieldPanel("led_by"),
        FieldPanel("results"),
        FieldPanel("replication"),
        FieldPanel("contact_organisation"),
        FieldPanel("body"),
    ]
    edit_handler = KnowledgePage.tabs(content_panels)

    class Meta:
        verbose_name = _("community-led practice brief")
        verbose_name_plural = _("community-led practice briefs")


class PolicyNotePage(KnowledgePage):
    """A policy note: key messages and recommendations addressed to named audiences."""

    key_messages = StreamField(
        [("message", blocks.CharBlock(max_length=400, label=_("Message")))],
        min_num=1,
        verbose_name=_("key messages"),
        help_text=_("The points a busy official should take away, one per entry."),
    )
    recommendations = StreamField(
        [("recommendation", PolicyRecommendationBlock(label=_("Recommendation")))],
        blank=True,
        verbose_name=_("recommendations"),
        help_text=_("Each recommendation with the audience it addresses."),
    )

    knowledge_type = "policy_note"

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("key_messages", boost=2),
        index.SearchField("recommendations", boost=2),
    ]

    content_panels = KnowledgePage.common_panels + [
        FieldPanel("key_messages"),
        FieldPanel("recommendations"),
        FieldPanel("body"),
    ]
    edit_handler = KnowledgePage.tabs(content_panels)

    class Meta:
        verbose_name = _("policy note")
        verbose_name_plural = _("policy notes")


#: The knowledge types by key, in the order readers see them.
KNOWLEDGE_TYPES = {
    model.knowledge_type: model
    for model in (LessonsLearnedReportPage, PracticeBriefPage, PolicyNotePage)
}
