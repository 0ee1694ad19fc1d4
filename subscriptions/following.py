"""What a subscription follows: its query string, described for readers and matched to new items."""

from dataclasses import replace

from django.http import QueryDict
from django.utils.translation import gettext as _

from knowledge.models import KNOWLEDGE_TYPES, term_names
from knowledge.objectives import objective_label, objective_names
from knowledge.visibility import public_knowledge_pages, visible_pages, with_card_relations
from search.forms import KnowledgeQueryForm
from search.query import QUERY_PARAMETERS, SORT_NEWEST
from search.results import search_knowledge

#: Most items one digest lists; it links to the full search for the rest.
DIGEST_SIZE = 12


def followed_query(params):
    """``params`` (a ``QueryDict``) reduced to what a subscription follows, as a canonical string.

    Returns ``(query string, None)``, or ``(None, [messages])`` when the search form refuses it.
    """
    kept = QueryDict(mutable=True)
    for name in QUERY_PARAMETERS:
        values = sorted(value for value in params.getlist(name) if value.strip())
        if values:
            kept.setlist(name, values)
    form = KnowledgeQueryForm(kept)
    if not form.is_valid():
        return None, form.error_messages()
    return kept.urlencode(), None


def describe(query, language):
    """A reader's name for a followed query in ``language``, e.g. "Mali · Protection · “cash”"."""
    params = QueryDict(query)
    parts = [str(KNOWLEDGE_TYPES[key]._meta.verbose_name_plural) for key in params.getlist("type")]
    countries, themes = term_names(language, params.getlist("country"), params.getlist("theme"))
    parts += [*countries.values(), *themes.values()]
    objectives = objective_names(language) if params.getlist("objective") else {}
    parts += [objective_label(objectives, number)[0] for number in params.getlist("objective")]
    parts += [f"#{tag}" for tag in params.getlist("tag")]
    parts += params.getlist("language") + params.getlist("year")
    if params.get("q"):
        parts.append(f"“{params['q']}”")
    # One line, whatever the query holds: it becomes an email subject.
    return " ".join(" · ".join(parts).split()) or _("Everything published")


def new_items(query, language, since):
    """``(items, total)``: up to ``DIGEST_SIZE`` live public items matching ``query`` first
    published after ``since`` (an aware datetime), newest first, and how many there are in all.

    Free text goes through the search service (engine or database), sorted by date.
    """
    form = KnowledgeQueryForm(QueryDict(query))
    form.is_valid()  # stored queries were validated when the reader subscribed
    followed = form.knowledge_query(language)
    if followed.text:
        new = replace(followed, sort=SORT_NEWEST, first_published_after=since)
        results = search_knowledge(new)
        return list(results[:DIGEST_SIZE]), results.count()
    fresh = public_knowledge_pages().filter(first_published_at__gt=since)
    fresh = visible_pages(fresh, followed.filters, language)
    ordered = with_card_relations(fresh.order_by("-first_published_at", "-pk"))
    return list(ordered[:DIGEST_SIZE]), fresh.count()
