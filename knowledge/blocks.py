"""StreamField blocks for knowledge pages.

Lessons and recommendations are short statements with an explanation so readers can scan the list;
policy recommendations also name the audience they address.
"""

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


class PolicyRecommendationBlock(blocks.StructBlock):
    """A policy recommendation addressed to one audience."""

    statement = blocks.CharBlock(
        label=_("Statement"), max_length=300, help_text=_("What should be done.")
    )
    audience = blocks.ChoiceBlock(
        label=_("Audience"),
        choices=AUDIENCES,
        help_text=_("Who the recommendation is addressed to."),
    )

    class Meta:
        icon = "pick"
        template = "knowledge/blocks/policy_recommendation_block.html"

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
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]
    )
    quote = blocks.StructBlock(
        [
            ("text", blocks.TextBlock(label=_("Quotation"))),
            ("attribution", blocks.CharBlock(label=_("Attribution"), required=False)),
        ],
        label=_("Quote"),
        icon="openquote",
        template="knowledge/blocks/quote_block.html",
    )
    image = ImageBlock(label=_("Image"))
