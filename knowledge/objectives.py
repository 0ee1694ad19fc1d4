"""The names of the Global Compact's objectives, for facets and titles of filtered lists.

The names are the vocabulary's (its GCM collection, edited by taxonomy managers), which builds on
this app: ``KNOWLEDGE_OBJECTIVE_NAMES`` names the function that gives them, as
``SEARCH_QUERY_EXPANSION`` does for search.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string
from django.utils.translation import gettext


def objective_titles(language):
    """``{number: (title, other language)}`` of every objective the vocabulary names, e.g.
    ``{10: ("Prevent, combat and eradicate trafficking…", "")}``: the title is in ``language``
    when the vocabulary has it, else "other language" says which it is in (for a ``lang``
    attribute)."""
    names = import_string(settings.KNOWLEDGE_OBJECTIVE_NAMES)(language)
    return {
        number: (name, code if code != language else "") for number, (name, code) in names.items()
    }


def objective_names(language):
    """``objective_titles`` with each title numbered: "10. Prevent, combat…"."""
    return {
        number: (gettext("%(number)s. %(name)s") % {"number": number, "name": title}, code)
        for number, (title, code) in objective_titles(language).items()
    }


def objective_label(names, number):
    """``(label, other language)`` of objective ``number`` in ``names`` (``objective_names``);
    ``("GCM <number>", "")`` for one the vocabulary does not name."""
    return names.get(int(number), (f"GCM {number}", ""))


@register()
def check_objective_names(app_configs, **kwargs):
    """Django system check: ``KNOWLEDGE_OBJECTIVE_NAMES`` names a function that can be imported."""
    try:
        import_string(settings.KNOWLEDGE_OBJECTIVE_NAMES)
    except ImportError as error:
        return [Error(f"KNOWLEDGE_OBJECTIVE_NAMES: {error}", id="knowledge.E001")]
    return []
