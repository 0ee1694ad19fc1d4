"""Translating an item in the admin: the copy is tagged with the countries and themes of its language.

Wagtail's "Translate" action (``wagtail.contrib.simple_translation``) copies a page into the
translated parent, but its many-to-many links still point at the source language's countries and
themes, which the target language's form does not offer. After the copy (Wagtail's
``copy_for_translation_done`` signal) the links move to the same terms in the target language and a
new revision records them, so the translator's edit form shows them ticked.
"""

from django.dispatch import receiver
from wagtail.signals import copy_for_translation_done

from knowledge.models import KnowledgePage

TRANSLATED_TERMS = ("countries", "themes")


@receiver(copy_for_translation_done)
def tag_translation_in_its_language(sender, source_obj, target_obj, **kwargs):
    """Point ``target_obj``'s countries and themes at their translations into its locale.

    Terms without a translation in that locale (none, when ``setup_portal`` made the taxonomy) are
    dropped; the translator then sees the field empty and the form asks for a choice.
    """
    if not isinstance(target_obj, KnowledgePage):
        return
    for name in TRANSLATED_TERMS:
        terms = getattr(target_obj, name).all()
        translated = [term.get_translation_or_none(target_obj.locale) for term in terms]
        setattr(target_obj, name, [term for term in translated if term is not None])
    target_obj.save()
    target_obj.save_revision(log_action=False)
