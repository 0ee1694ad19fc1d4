"""Fixtures of the lesson register's tests."""

import pytest

from lessons.models import Lesson
from tests.factories import LessonsLearnedReportPageFactory, published


def published_report(section_country, title):
    """The ``Lesson`` of a newly published report (the factory's one lesson) of that section."""
    report = published(
        LessonsLearnedReportPageFactory, section_country=section_country, title=title
    )
    return Lesson.objects.get(item_key=report.translation_key)


@pytest.fixture
def lessons():
    """``{"mali": Lesson, "niger": Lesson}``: one lesson of a report of each section."""
    return {
        "mali": published_report("ML", "Committees in Mopti"),
        "niger": published_report("NE", "Shelters in Agadez"),
    }
