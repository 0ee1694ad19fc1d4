"""Free keyword tags for knowledge pages, kept apart from image and document tags.

Tags are case-insensitive (``TAGGIT_CASE_INSENSITIVE``): "Border" and "border" are one tag.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase


class KnowledgeTag(TagBase):
    """A free keyword that editors add to knowledge pages."""

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")


class TaggedKnowledgePage(ItemBase):
    """Through model linking a knowledge page to its keywords."""

    tag = models.ForeignKey(KnowledgeTag, related_name="tagged_pages", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "knowledge.KnowledgePage", related_name="tagged_items", on_delete=models.CASCADE
    )
