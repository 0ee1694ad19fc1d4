"""The portal's multilingual migration vocabulary: SKOS concepts with labels in each language.

A concept (``skos:Concept``, W3C SKOS Reference, 2009) has at most one preferred label per
language and any number of alternative labels, broader, narrower and related concepts, and belongs
to one of three collections (``Collection``): the programme's themes, the 23 objectives of the
Global Compact for Migration and the core migration terms. A theme's concept takes its preferred
labels from the theme itself (``knowledge.Theme``), so a theme is named in one place.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from knowledge.models import Theme
from vocabulary.text import content_words


class Collection(models.TextChoices):
    """The groups of concepts the vocabulary publishes (each a ``skos:Collection``)."""

    THEMES = "themes", _("Programme themes")
    GCM_OBJECTIVES = "gcm", _("Global Compact for Migration objectives")
    TERMS = "terms", _("Migration terms")


class LabelKind(models.TextChoices):
    PREFERRED = "pref", _("Preferred")
    ALTERNATIVE = "alt", _("Alternative")


class ConceptForm(WagtailAdminModelForm):
    """Checks the labels as SKOS asks (one preferred label per language) and as readers need
    them (a preferred label in the default language, except on a theme, named by the theme).
    The identifier is fixed once the concept exists: it is the concept's permanent URI."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "identifier" in self.fields:
            self.fields["identifier"].disabled = True

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets["labels"]
        if not formset.is_valid():  # modelcluster cleans the form before its formsets
            return cleaned
        labels = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        preferred = [label["language"] for label in labels if label["kind"] == LabelKind.PREFERRED]
        theme = cleaned.get("collection") == Collection.THEMES
        if theme and preferred:
            self.add_error(
                None,
                _(
                    "A theme is named on the theme itself: give its concept alternative labels only."
                ),
            )
        written = [(label["language"], content_words(label["text"])) for label in labels]
        for language, text in sorted({key for key in written if written.count(key) > 1}):
            self.add_error(
                None,
                _("“%(label)s” is given twice in %(language)s.")
                % {"label": " ".join(text), "language": dict(settings.LANGUAGES)[language]},
            )
        for label in labels:
            self._refuse_label_of_another_concept(label["text"], cleaned.get("identifier"))
        repeated = sorted({code for code in preferred if preferred.count(code) > 1})
        if repeated:
            self.add_error(
                None,
                _("Give one preferred label per language; more than one in: %(languages)s.")
                % {"languages": ", ".join(repeated)},
            )
        if not theme and settings.LANGUAGE_CODE not in preferred:
            self.add_error(
                None,
                _("Give the concept a preferred label in %(language)s.")
                % {"language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]},
            )
        return cleaned

    def _refuse_label_of_another_concept(self, text, identifier):
        """A label names one concept: a query or keyword spelling it must find one."""
        from vocabulary.names import vocabulary_names  # names.py builds on these models

        names = vocabulary_names()
        owner = names.by_content.get(content_words(text))
        if owner and owner != (self.instance.identifier or identifier):
            other = names.concepts[owner].name_in(get_language())[0]
            self.add_error(
                None,
                _("“%(label)s” already names the concept “%(other)s”.")
                % {"label": text, "other": other},
            )


class Concept(ClusterableModel):
    """A concept of the vocabulary, published at ``/vocabulary/<identifier>/``."""

    identifier = models.SlugField(
        _("identifier"),
        max_length=100,
        unique=True,
        help_text=_(
            "The last part of the concept's permanent address, /vocabulary/<identifier>/. Others "
            "link to that address: do not change it once the concept is published. For a theme, "
            "the theme's slug."
        ),
    )
    collection = models.CharField(_("collection"), max_length=10, choices=Collection.choices)
    notation = models.CharField(
        _("notation"),
        max_length=20,
        blank=True,
        help_text=_("A short code that identifies the concept in its collection, e.g. GCM 10."),
    )
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("One or two sentences in English that say what the concept covers."),
    )
    broader = ParentalManyToManyField(
        "self",
        symmetrical=False,
        related_name="narrower",
        blank=True,
        verbose_name=_("broader concepts"),
        help_text=_("More general concepts this one is a kind or part of."),
    )
    related = ParentalManyToManyField(
        "self",
        symmetrical=False,
        related_name="related_from",
        blank=True,
        verbose_name=_("related concepts"),
        help_text=_("Concepts readers of this one should also see, e.g. a GCM objective."),
    )

    base_form_class = ConceptForm
    panels = [
        MultiFieldPanel(
            [FieldPanel("identifier"), FieldPanel("collection"), FieldPanel("notation")],
            heading=_("Identity"),
        ),
        InlinePanel("labels", heading=_("Labels"), label=_("label")),
        FieldPanel("definition"),
        FieldPanel("broader"),
        FieldPanel("related"),
    ]

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ["collection", "identifier"]

    def __str__(self):
        """Its name in the admin's language (``vocabulary.names``), with its notation if any."""
        from vocabulary.names import vocabulary_names  # names.py builds on these models

        names = vocabulary_names().concepts.get(self.identifier)
        name = names.name_in(get_language())[0] if names else self.identifier
        return f"{self.notation} {name}" if self.notation else name

    def clean(self):
        theme = Theme.objects.filter(slug=self.identifier)
        if self.collection == Collection.THEMES and not theme.exists():
            message = _("No theme has the slug “%(slug)s”: a theme's concept takes its slug.")
            raise ValidationError({"identifier": message % {"slug": self.identifier}})


class ConceptLabel(Orderable):
    """A name of a concept in one language: ``skos:prefLabel`` or ``skos:altLabel``."""

    concept = ParentalKey(Concept, related_name="labels", on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(
        _("kind"), max_length=4, choices=LabelKind.choices, default=LabelKind.PREFERRED
    )
    text = models.CharField(
        _("label"),
        max_length=200,
        help_text=_(
            "As readers write it, in lower case unless a name: e.g. “returnees”. Alternative "
            "labels are synonyms and abbreviations that searches in any language will also match."
        ),
    )

    panels = [FieldPanel("language"), FieldPanel("kind"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        # No unique constraint on (concept, language, text): modelcluster writes an edited
        # concept's new labels before it deletes the removed ones, so replacing a label with
        # the same text would fail; ``ConceptForm`` refuses a label given twice instead.
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self):
        return f"{self.text}@{self.language}"
