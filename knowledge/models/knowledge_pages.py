"""The three knowledge page types and what they share.

``KnowledgePage`` is a concrete (multi-table) base so listings, search and feeds query every type at
once; editors create only its subclasses.
"""

import datetime
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
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
    TitleFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from knowledge import changes
from knowledge.blocks import (
    BodyBlock,
    PolicyRecommendationBlock,
    RequiredStreamBlock,
    StatementBlock,
)
from knowledge.forms import KnowledgePageForm
from knowledge.models.documents import DocumentCover
from knowledge.panels import LeftToTranslatePanel

from .tags import TaggedKnowledgePage

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
SUMMARY_MAX_LENGTH = 1200
COMMUNITY_MAX_LENGTH = 600
#: Publication years readers can filter by (knowledge.filters accepts the same range).
MIN_YEAR, MAX_YEAR = 1900, 2100


def _year_range_message():
    return gettext(
        "The publication year must be between %(min)s and %(max)s, the years readers can filter by."
    ) % {"min": MIN_YEAR, "max": MAX_YEAR}


#: Error for a publication date outside the years listings filter by.
YEAR_RANGE_MESSAGE = lazy(_year_range_message, str)()


#: Help text of the title field of every knowledge page (the field itself is Wagtail's).
TITLE_HELP_TEXT = _(
    "The name of the item as readers see it: page heading, cards in listings and search results, "
    "feeds and citations."
)


def _today():
    return timezone.localdate()


class Section(NamedTuple):
    """A part of an item's text as its page shows it: ``anchor`` is its heading's id (the field
    name with hyphens, e.g. ``what-worked``), ``value`` the field's value, ``style`` one of
    ``"text"`` (rich text), ``"numbered"`` or ``"bulleted"`` (a stream's entries)."""

    anchor: str
    heading: str
    value: object
    style: str


class KnowledgePage(Page):
    """Fields every knowledge item has: summary, date, countries, themes, keywords, attachments.

    Its language is its Wagtail locale. ``external_id`` links the page to a line of an import file.
    """

    summary = models.TextField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_(
            "Shown on cards in listings and search results, and in feeds; 1–3 plain sentences "
            "that tell readers what they will learn."
        ),
    )
    publication_date = models.DateField(
        _("publication date"),
        default=_today,
        validators=[
            MinValueValidator(datetime.date(MIN_YEAR, 1, 1), message=YEAR_RANGE_MESSAGE),
            MaxValueValidator(datetime.date(MAX_YEAR, 12, 31), message=YEAR_RANGE_MESSAGE),
        ],
        help_text=_(
            "Date the item was published. Listings show the newest first, readers filter by its "
            "year and citations quote it."
        ),
    )
    countries = ParentalManyToManyField(
        "knowledge.Country",
        related_name="knowledge_pages",
        verbose_name=_("countries"),
        help_text=_(
            "Every country the item is about. Readers filter by country, and each country's page "
            "lists the item."
        ),
    )
    themes = ParentalManyToManyField(
        "knowledge.Theme",
        related_name="knowledge_pages",
        verbose_name=_("themes"),
        help_text=_(
            "The programme themes the item covers. Readers filter by theme, and each theme's page "
            "lists the item."
        ),
    )
    tags = ClusterTaggableManager(
        through=TaggedKnowledgePage,
        blank=True,
        verbose_name=_("keywords"),
        help_text=_(
            "Free keywords shown on the page; readers click them to find related items, e.g. "
            "border, youth. Start typing to reuse an existing keyword, or type a new one."
        ),
    )
    organisation = models.CharField(
        _("publishing organisation"),
        max_length=255,
        # Required to publish or submit; a draft may leave it empty (Wagtail's deferred validation).
        help_text=_(
            "Organisation that publishes the item; shown on the page and used as publisher in "
            "citations."
        ),
    )
    authors = StreamField(
        [
            (
                "author",
                blocks.CharBlock(
                    label=_("Name"),
                    max_length=200,
                    help_text=_("Full name of a person or team, as it should appear in citations."),
                ),
            )
        ],
        blank=True,
        verbose_name=_("authors"),
        help_text=_("One name per entry, in the order readers' citations should list them."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_(
            "Any further text, headings, quotes and images, shown after the fields above and "
            "searched with them."
        ),
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

    #: The text sections of the type, in reading order, each with its weight in search (2: what
    #: readers of this type come for). The one declaration of a type's text: the search index
    #: documents (engine and database) and the import schema read it.
    text_sections = {"body": 1}

    #: The streams whose entries the lesson register follows one by one (``lessons``), with the
    #: kind of each entry: ``{field name: kind}``.
    followed_statements = {}

    #: The parts of the type's text as the page shows them, in reading order, with the heading
    #: readers see: ``{field name: heading}``. A rich-text field is shown as text, a stream as a
    #: numbered list of its entries, or a bulleted one if named in ``bulleted_sections``. The body
    #: follows them (see ``sections`` and ``outline``).
    reading_sections = {}
    bulleted_sections = set()

    # Wagtail's own database search index serves the admin's search boxes, which match titles
    # (its page search, chooser and explorer use ``autocomplete``), and the public search's
    # database autocomplete; readers' full-text search has its own index of the whole text
    # (search.text_index). So it holds titles only, and the search app keeps it up to date with
    # the other indexes (search.signal_handlers): Wagtail's handlers re-indexed a page on each of
    # a publish's saves, each time reading the whole index table.
    search_fields = Page.search_fields + [index.FilterField("publication_date")]
    search_auto_update = False

    # Countries and themes are required when the page is submitted or published (see
    # KnowledgePageForm); a draft may be saved without them, as Wagtail does for required fields.
    taxonomy_panels = [
        FieldPanel("countries", widget=forms.CheckboxSelectMultiple, required_on_save=False),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple, required_on_save=False),
        FieldPanel("tags"),
        InlinePanel(
            "attachments",
            label=_("Attached documents"),
            help_text=_(
                "Files readers download from the page, usually the full report as a PDF; listed "
                "under Documents in this order."
            ),
        ),
    ]
    common_panels = [
        LeftToTranslatePanel(),
        TitleFieldPanel("title", help_text=TITLE_HELP_TEXT),
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

    def publish(self, revision, *args, **kwargs):
        """Wagtail's publish, as one batch of changes (``knowledge.changes``): it saves the page
        twice and then sends ``page_published``; the search indexes follow once, at its end."""
        with changes.batch():
            return super().publish(revision, *args, **kwargs)

    @property
    def type_label(self):
        return self.specific_class._meta.verbose_name

    def sections(self):
        """The ``Section``s of ``reading_sections`` that hold text, in reading order."""
        shown = []
        for field, heading in self.reading_sections.items():
            value = getattr(self, field)
            if not value:
                continue
            style = "text" if isinstance(value, str) else "numbered"
            if field in self.bulleted_sections:
                style = "bulleted"
            shown.append(Section(field.replace("_", "-"), heading, value, style))
        return shown

    def outline(self):
        """``[(anchor, heading)]`` of the page's parts, for its "Read online" links: the
        ``sections`` and then the body's heading blocks (anchor ``part-<block id>``)."""
        parts = [(section.anchor, section.heading) for section in self.sections()]
        parts += [
            (f"part-{block.id}", block.value)
            for block in self.body
            if block.block_type == "heading"
        ]
        return parts

    def get_context(self, request, *args, **kwargs):
        # Imported here: knowledge.visibility builds on these models.
        from knowledge.visibility import attachments_shown_on, translations_of

        context = super().get_context(request, *args, **kwargs)
        versions = translations_of([self], KnowledgePage)[self.translation_key]
        context["translations"] = [version for version in versions if version.pk != self.pk]
        attachments = list(attachments_shown_on(self))
        context["attachments"] = attachments
        # The document offered at the top of the page: the first one readers can open.
        main = next((a for a in attachments if not a.unreadable), None)
        context["main_attachment"] = main
        context["main_cover"] = DocumentCover.of(main.document) if main else None
        return context


class KnowledgeAttachment(Orderable):
    """A document (usually a PDF) attached to a knowledge page."""

    page = ParentalKey(KnowledgePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        related_name="+",
        on_delete=models.CASCADE,
        verbose_name=_("document"),
        help_text=_(
            "The file readers download, usually the full PDF. Its text is searched too (the "
            "first two million characters, about a thousand pages), unless its collection is "
            "private."
        ),
    )
    title = models.CharField(
        _("link text"),
        max_length=255,
        blank=True,
        help_text=_(
            "What readers click to download, e.g. 'Full report'. Left empty, the document title "
            "is used."
        ),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title

    @property
    def unreadable(self):
        """Whether the document's file was found unreadable (a damaged or password-protected
        PDF, see ``knowledge.models.documents``): readers are told so instead of a download."""
        check = getattr(self.document, "file_check", None)  # None until a check exists
        return check is not None and not check.readable


class LessonsLearnedReportPage(KnowledgePage):
    """A lessons-learned report: what happened, what worked, lessons and recommendations."""

    context = RichTextField(
        _("context or driving event"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The situation or event that led to the work the report looks back on."),
    )
    what_worked = RichTextField(
        _("what worked"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Approaches that delivered results, so other teams can reuse them."),
    )
    what_did_not_work = RichTextField(
        _("what did not work"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Approaches that failed or fell short, and why, so others avoid them."),
    )
    lessons = StreamField(
        RequiredStreamBlock(
            [("lesson", StatementBlock(label=_("Lesson")))],
            required_message=_(
                "Add at least one lesson: the lessons are what readers of a report come for."
            ),
        ),
        min_num=1,
        verbose_name=_("lessons"),
        help_text=_(
            "Each lesson as a short statement readers can scan, with its explanation. At least "
            "one before submitting."
        ),
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
    period_start = models.DateField(
        _("period covered from"),
        null=True,
        blank=True,
        help_text=_("First day of the period the report looks back on; shown on the page."),
    )
    period_end = models.DateField(
        _("period covered to"),
        null=True,
        blank=True,
        help_text=_("Last day of that period; it cannot come before the first."),
    )
    programme_phase = models.CharField(
        _("programme phase"),
        max_length=100,
        blank=True,
        help_text=_("Phase of the programme the report covers, shown on the page, e.g. Phase II."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
        help_text=_(
            "Shown at the top of the report and when it is shared. Give it alt text in the image "
            "library."
        ),
    )

    knowledge_type = "lessons_report"

    followed_statements = {"lessons": "lesson", "recommendations": "recommendation"}

    text_sections = {
        "context": 1,
        "what_worked": 1,
        "what_did_not_work": 1,
        "lessons": 2,
        "recommendations": 2,
        "evidence": 1,
        "programme_phase": 1,
        **KnowledgePage.text_sections,
    }

    reading_sections = {
        "context": _("Context"),
        "what_worked": _("What worked"),
        "what_did_not_work": _("What did not work"),
        "lessons": _("Lessons"),
        "recommendations": _("Recommendations"),
        "evidence": _("Evidence and sources"),
    }

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

    # A description more than a name: country teams write who the community is, where and since
    # when in 300 to 450 characters, so it is plain text with room to spare.
    community = models.TextField(
        _("community"),
        max_length=COMMUNITY_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMUNITY_MAX_LENGTH)],
        help_text=_(
            "The community that leads the practice: who they are and where, in a sentence or two "
            "(at most 600 characters); shown in the brief's facts."
        ),
    )
    location = models.CharField(
        _("location"),
        max_length=255,
        blank=True,
        help_text=_("Where the practice happens, shown on the page, e.g. Agadez region."),
    )
    practice = RichTextField(
        _("the practice"),
        features=TEXT_FEATURES,
        help_text=_("What people do, step by step, so readers can picture it."),
    )
    led_by = RichTextField(
        _("who led it"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The people and groups behind it."),
    )
    results = RichTextField(
        _("results"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("What changed for the people involved; figures where you have them."),
    )
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

    text_sections = {
        "community": 1,
        "location": 1,
        "practice": 2,
        "led_by": 1,
        "results": 2,
        "replication": 1,
        "contact_organisation": 1,
        **KnowledgePage.text_sections,
    }

    reading_sections = {
        "practice": _("The practice"),
        "led_by": _("Who led it"),
        "results": _("Results"),
        "replication": _("What it takes to replicate it"),
    }

    content_panels = KnowledgePage.common_panels + [
        FieldPanel("community"),
        FieldPanel("location"),
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
        RequiredStreamBlock(
            [
                (
                    "message",
                    blocks.CharBlock(
                        max_length=400,
                        label=_("Message"),
                        help_text=_("One point in one or two sentences, shown as a bullet."),
                    ),
                )
            ],
            required_message=_(
                "Add at least one key message: it is what a busy official reads first."
            ),
        ),
        min_num=1,
        verbose_name=_("key messages"),
        help_text=_(
            "The points a busy official should take away, one per entry, listed at the top of "
            "the note."
        ),
    )
    recommendations = StreamField(
        [("recommendation", PolicyRecommendationBlock(label=_("Recommendation")))],
        blank=True,
        verbose_name=_("recommendations"),
        help_text=_("Each recommendation with the audience it addresses."),
    )

    knowledge_type = "policy_note"

    followed_statements = {"key_messages": "key_message", "recommendations": "recommendation"}

    text_sections = {"key_messages": 2, "recommendations": 2, **KnowledgePage.text_sections}

    reading_sections = {
        "key_messages": _("Key messages"),
        "recommendations": _("Recommendations"),
    }
    bulleted_sections = {"key_messages"}

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
