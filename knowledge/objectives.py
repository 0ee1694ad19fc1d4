"""The titles of the Global Compact's objectives, for facets, pages and titles of filtered lists.

The titles are the vocabulary's (its GCM collection, edited by taxonomy managers), which builds on
this app: ``KNOWLEDGE_OBJECTIVE_TITLES`` names the function that gives them (``portal.hooks``).
"""

from django.conf import settings
from django.core.checks import register
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from portal.hooks import hook_errors


def objective_titles(language):
    """``{number: (title, other language)}`` of every objective the vocabulary names, e.g.
    ``{10: ("Prevent, combat and eradicate trafficking…", "")}``: the title is in ``language``
    when the vocabulary has it, else "other language" says which it is in (for a ``lang``
    attribute)."""
    titles = import_string(settings.KNOWLEDGE_OBJECTIVE_TITLES)(language)
    return {
        number: (title, code if code != language else "")
        for number, (title, code) in titles.items()
    }


def objective_names(language):
    """``objective_titles`` with each title numbered: "10. Prevent, combat…"."""
    return {
        number: (gettext("%(number)s. %(name)s") % {"number": number, "name": title}, code)
        for number, (title, code) in objective_titles(language).items()
    }


def objective_label(names, number):
    """``(label, other language)`` of objective ``number`` in ``names`` (``objective_names`` or
    ``objective_titles``); ``("GCM <number>", "")`` for one the vocabulary does not name."""
    return names.get(int(number), (f"GCM {number}", ""))


@register()
def check_objective_titles(app_configs, **kwargs):
    """Django system check: ``KNOWLEDGE_OBJECTIVE_TITLES`` names a function that can be
    imported."""
    return hook_errors("KNOWLEDGE_OBJECTIVE_TITLES", "knowledge.E001")
