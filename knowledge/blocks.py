"""StreamField blocks for knowledge pages.

Lessons and recommendations are short statements with an explanation so readers can scan the list;
policy recommendations also name the audience they address.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

AUDIENCES = [
    ("national-government", _("National government")),
    ("local-authorities", _("Local authorities")),
    ("donors", _("Donors")),
    ("civil-society", _("Civil society")),
    ("international-organisations", _("International organisations")),
    ("communities", _("Communities")),
    ("private-sector", _("Private sector")),
]


class RequiredStreamBlock(blocks.StreamBlock):
    """A stream that needs at least one item before the page is submitted or published.

    ``required_message`` (a Meta option, or a keyword argument) tells the editor what is missing and
    why readers need it. Saving a draft skips the check, as Wagtail does for every required field.
    """

    class Meta:
        required_message = None

    def clean(self, value):
        """Refuse an empty stream with ``required_message``, unless validation is deferred."""
        if (
            self.meta.required_message
            and self.required
            and not self.is_deferred_validation
            and len(value) == 0
        ):
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList([ValidationError(self.meta.required_message)])
            )
        return super().clean(value)


class StatementBlock(blocks.StructBlock):
    """A lesson or recommendation: one-sentence statement plus its explanation."""

    statement = blocks.CharBlock(
        label=_("Statement"),
        max_length=300,
        help_text=_(
            "One sentence readers can scan in a list, e.g. 'Involve host communities early'."
        ),
    )
    explanation = blocks.RichTextBlock(
        label=_("Explanation"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Why this holds and what the evidence shows."),
    )

    class Meta:
        icon = "tick"
        template = "knowledge/blocks/statement_block.html"
        help_text = _(
            "Readers scan the statements as a list on the page; the explanation opens below each."
        )


class PolicyRecommendationBlock(blocks.StructBlock):
    """A policy recommendation addressed to one audience."""

    statement = blocks.CharBlock(
        label=_("Statement"),
        max_length=300,
        help_text=_("What should be done, in one sentence officials can quote."),
    )
    audience = blocks.ChoiceBlock(
        label=_("Audience"),
        choices=AUDIENCES,
        help_text=_("Who the recommendation is addressed to; shown next to it on the page."),
    )

    class Meta:
        icon = "pick"
        template = "knowledge/blocks/policy_recommendation_block.html"
        help_text = _("One recommendation and the audience expected to act on it.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["audience_label"] = dict(AUDIENCES).get(value["audience"], value["audience"])
        return context


class BodyBlock(blocks.StreamBlock):
    """Free structure for the body of any knowledge page."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        icon="title",
        template="knowledge/blocks/heading_block.html",
        help_text=_("Starts a new part of the text; readers and screen readers navigate by it."),
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        help_text=_("Running text. Use the h3 and h4 styles for sub-headings inside it."),
    )
    quote = blocks.StructBlock(
        [
            (
                "text",
                blocks.TextBlock(
                    label=_("Quotation"),
                    help_text=_("The words quoted, without quotation marks."),
                ),
            ),
            (
                "attribution",
                blocks.CharBlock(
                    label=_("Attribution"),
                    required=False,
                    help_text=_("Who said it, e.g. 'Member of a host community, Gao'."),
                ),
            ),
        ],
        label=_("Quote"),
        icon="openquote",
        template="knowledge/blocks/quote_block.html",
        help_text=_("A voice from the people concerned, set apart from the text."),
    )
    image = ImageBlock(
        label=_("Image"),
        help_text=_(
            "A photo or chart. Describe it in the alt text for readers who cannot see it, "
            "or mark it decorative."
        ),
    )
