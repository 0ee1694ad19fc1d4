"""Dates as each language writes them (CLDR's long form), on cards, pages and reminders."""

import datetime

import pytest

from portal.dates import long_date, month_year
from tests.factories import LessonsLearnedReportPageFactory, published
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "September 3, 2023"),
        ("fr", "3 septembre 2023"),
        ("ar", "3 سبتمبر 2023"),
        ("es", "3 de septiembre de 2023"),
    ],
)
def test_a_publication_date_is_written_as_its_language_does(client, language, shown):
    report = published(
        LessonsLearnedReportPageFactory,
        title="Reintegration in Mopti",
        publication_date=datetime.date(2023, 9, 3),
    )
    page = soup(client.get(f"/{language}/search/?q=Mopti"))
    assert [time.get_text() for time in page.select(".card time")] == [shown]
    assert page.select_one(".card time")["datetime"] == "2023-09-03"
    if language == "en":
        published_on = soup(client.get(report.url)).select_one(".facts time")
        assert published_on.get_text() == shown


def test_no_month_is_abbreviated_in_english():
    months = [long_date(datetime.date(2023, month, 1), "en") for month in range(1, 13)]
    assert all("." not in text for text in months)
    assert months[1] == "February 1, 2023"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "June 2023"), ("fr", "juin 2023"), ("es", "junio de 2023"), ("ar", "يونيو 2023")],
)
def test_a_period_is_a_month_and_a_year(language, shown):
    assert month_year(datetime.date(2023, 6, 15), language) == shown
