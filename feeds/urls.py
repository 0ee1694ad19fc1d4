"""Feed URLs under ``/<lang>/feeds/``: ``rss/`` (RSS 2.0) and ``atom/`` (Atom 1.0).

Both take the query parameters of listings and search, e.g. ``/en/feeds/rss/?country=ML``.
"""

from django.urls import path
from django.views.decorators.http import require_safe

from feeds.feeds import KnowledgeAtomFeed, KnowledgeRssFeed
from feeds.lessons import (
    AppliedLessonsAtom,
    AppliedLessonsRss,
    ValidatedLessonsAtom,
    ValidatedLessonsRss,
)

app_name = "feeds"

urlpatterns = [
    path("rss/", require_safe(KnowledgeRssFeed()), name="rss"),
    path("atom/", require_safe(KnowledgeAtomFeed()), name="atom"),
    path("lessons/validated/rss/", require_safe(ValidatedLessonsRss()), name="validated_rss"),
    path("lessons/validated/atom/", require_safe(ValidatedLessonsAtom()), name="validated_atom"),
    path("lessons/applied/rss/", require_safe(AppliedLessonsRss()), name="applied_rss"),
    path("lessons/applied/atom/", require_safe(AppliedLessonsAtom()), name="applied_atom"),
]
