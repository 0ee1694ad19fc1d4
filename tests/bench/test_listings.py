"""The listing benchmark's hand-written SQL returns what the pages show, so its ratios compare the
same work: the benchmark checks each page against it before timing (and fails when they differ)."""

import datetime

import pytest
from wagtail.models import Locale

from bench.listings import run_listing_benchmark
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)

pytestmark = pytest.mark.django_db


def test_the_hand_written_sql_agrees_with_every_page_and_each_kind_is_timed(settings):
    settings.KNOWLEDGE_PAGE_SIZE = 2
    for n in range(7):
        LessonsLearnedReportPageFactory(
            title=f"Report {n}",
            themes=["protection"],
            tags=[f"tag {n % 3}"],
            publication_date=datetime.date(2018 + n, 1, 1),
        )
    PracticeBriefPageFactory(title="Brief", themes=["protection"])
    note = PolicyNotePageFactory(title="Note", countries=["ML", "NE"], themes=["protection"])
    french = note.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.save_revision().publish()
    PolicyNotePageFactory(title="Note en français", language="fr", themes=["protection"])

    figures = run_listing_benchmark(repeats=1)

    timed = {kind for kind, row in figures.items() if isinstance(row, dict) and "portal" in row}
    assert timed == {
        "listing_first_page",
        "listing_deep_page",
        "listing_filtered",
        "country_page",
        "theme_page",
        "home_page",
        "theme_list",
    }
    assert figures["visible_items"] == 10
    assert all(figures[kind]["median_ratio"] > 0 for kind in timed)
