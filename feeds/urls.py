"""Feed URLs under ``/<lang>/feeds/``: ``rss/`` (RSS 2.0) and ``atom/`` (Atom 1.0).

Both take the query parameters of listings and search, e.g. ``/en/feeds/rss/?country=ML``.
"""

from django.urls import path
from django.views.decorators.http import require_safe

from feeds.feeds import KnowledgeAtomFeed, KnowledgeRssFeed

app_name = "feeds"

urlpatterns = [
    path("rss/", require_safe(KnowledgeRssFeed()), name="rss"),
    path("atom/", require_safe(KnowledgeAtomFeed()), name="atom"),
]
