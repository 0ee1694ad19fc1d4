"""Public pages are cached whole for readers who are not signed in: a repeated view costs no
database query, any change readers would see shows at once, and nothing private or per-reader is
ever stored or served from the cache."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.models import Page, PageViewRestriction

from knowledge.models import Theme
from operations.page_cache import current_generation, mark_public
from tests.factories import PolicyNotePageFactory, published, section_page
from tests.sockets import refused_port
from vocabulary.objectives import record_all_objectives

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_TIMEOUT = 600


@pytest.fixture
def note(committed):
    with committed():
        return published(
            PolicyNotePageFactory,
            title="Cached border note",
            summary="Herding across borders.",
            themes=["protection"],
        )


def view(client, url):
    """The page as a reader's browser gets it (text, or the status when not 200)."""
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else response.status_code


def test_a_repeated_view_is_served_without_a_database_query(
    client, note, django_assert_num_queries
):
    first = client.get(note.url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(note.url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_published_change_shows_at_once(client, note, committed):
    assert "Cached border note" in view(client, note.url)
    assert "Cached border note" in view(client, "/en/policy-notes/")
    with committed():
        note.title = "Renamed border note"
        note.save_revision().publish()
    assert "Renamed border note" in view(client, note.url)
    assert "Renamed border note" in view(client, "/en/policy-notes/")


def test_a_moved_or_unpublished_page_is_elsewhere_or_gone_at_once(client, note, committed):
    url = note.url
    view(client, url)
    with committed():
        note.move(section_page("en", "NE"), pos="last-child")
    moved = Page.objects.get(pk=note.pk).specific
    assert client.get(url).headers["Location"].endswith(moved.url)
    assert "Cached border note" in view(client, moved.url)
    with committed():
        moved.unpublish()
    assert view(client, moved.url) == 404


def test_a_renamed_theme_shows_at_once(client, note, committed):
    assert "Protection" in view(client, note.url)
    with committed():
        theme = Theme.objects.get(slug="protection", locale__language_code="en")
        theme.name = "Protection of people on the move"
        theme.save()
    assert "Protection of people on the move" in view(client, note.url)


def test_a_page_made_private_is_never_served_from_the_cache(client, note, committed):
    view(client, note.url)
    with committed():
        PageViewRestriction.objects.create(page=note, restriction_type="password", password="pw")
    page = view(client, note.url)
    assert "Herding across borders." not in page
    assert 'name="password"' in page


def test_what_a_signed_in_reader_sees_is_neither_stored_nor_kept_by_proxies(
    admin_client, note, committed
):
    with committed():
        PageViewRestriction.objects.create(page=note, restriction_type="login")
    private = admin_client.get(note.url)
    assert "Herding across borders." in private.content.decode()
    assert "private" in private["Cache-Control"]
    anonymous = Client().get(note.url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_a_page_disappears_at_its_expiry_date_without_any_change(client, note, committed):
    with committed():
        note.expire_at = timezone.now() + datetime.timedelta(minutes=1)
        note.save_revision().publish()
    assert "Cached border note" in view(client, note.url)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False):
        assert view(client, note.url) == 404


def test_proxies_get_validators_and_revalidate(client, note, committed):
    response = client.get(note.url)
    assert response["Cache-Control"] == "public, no-cache"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith(" GMT")
    unchanged = client.get(note.url, headers={"If-None-Match": response["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    with committed():
        note.title = "Renamed border note"
        note.save_revision().publish()
    changed = client.get(note.url, headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200
    assert "Renamed border note" in changed.content.decode()


def test_a_form_page_gives_every_reader_a_token_of_their_own(note):
    url = "/en/subscribe/?theme=protection"
    first, second = Client(), Client()
    assert first.get(url).status_code == 200
    response = second.get(url)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_gzip_and_plain_readers_each_get_what_they_asked_for(client, note):
    gzipped = client.get(note.url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(note.url)
    assert gzipped["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert "Cached border note" in plain.content.decode()


def test_search_results_are_kept_a_minute_and_answers_of_the_fallback_not_at_all(
    client, note, settings
):
    settings.SEARCH_URL = ""
    response = client.get("/en/search/", {"q": "herding"})
    assert "max-age=60" in response["Cache-Control"]

    settings.SEARCH_URL = f"http://127.0.0.1:{refused_port()}"
    degraded = client.get("/en/search/", {"q": "herding", "page": "1"})
    assert "Cached border note" in degraded.content.decode()
    assert "no-store" in degraded["Cache-Control"]


@pytest.fixture
def unreachable_page_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{refused_port()}/0",
        },
    }


def test_pages_are_served_and_published_when_the_cache_cannot_be_reached(
    client, note, committed, unreachable_page_cache
):
    assert "Cached border note" in view(client, note.url)
    with committed():
        note.title = "Renamed border note"
        note.save_revision().publish()
    assert "Renamed border note" in view(client, note.url)


def test_a_view_that_says_max_age_0_is_not_kept(rf):
    response = HttpResponse("fresh")
    patch_cache_control(response, max_age=0)
    assert mark_public(response, {"at": 0}) == 0


def test_the_bulk_work_of_a_background_task_and_an_upgrade_drop_the_cached_pages():
    first = current_generation()["id"]
    record_all_objectives.enqueue()
    second = current_generation()["id"]
    assert second != first
    call_command("migrate", verbosity=0)
    assert current_generation()["id"] != second
    call_command("drop_cached_pages", stdout=StringIO())


def test_made_up_long_addresses_are_not_kept(client, note, django_assert_max_num_queries):
    long_address = f"{note.url}?filler={'x' * 600}"
    assert client.get(long_address).status_code == 200
    with django_assert_max_num_queries(100) as queries:
        client.get(long_address)
    assert len(queries) > 0


def test_each_change_is_dated_later_than_the_last_even_within_a_second(note, committed):
    first = current_generation()["at"]
    with committed():
        note.save_revision().publish()
    second = current_generation()["at"]
    with committed():
        note.save_revision().publish()
    assert first < second < current_generation()["at"]
