"""Email subscriptions as a reader lives them: subscribe, confirm, receive digests, unsubscribe."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from subscriptions.models import Subscription
from tests.factories import PracticeBriefPageFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def subscribe(client, query="country=ML", email="reader@example.org", frequency="daily", **extra):
    return client.post(
        "/en/subscribe/", {"email": email, "frequency": frequency, "query": query}, **extra
    )


def link(message, name):
    """The first link in ``message``'s body to the ``name`` view (confirm or unsubscribe)."""
    return re.search(rf"http://\S+/{name}/\S+/", message.body).group(0)


def path_of(url):
    return url.split("127.0.0.1:8000", 1)[1]


def confirmed_subscription(client, email="reader@example.org", **kwargs):
    subscribe(client, email=email, **kwargs)
    client.post(path_of(link(mail.outbox[-1], "confirm")))
    mail.outbox.clear()
    return Subscription.objects.get(email=email)


def published(**fields):
    """A practice brief published now (by the clock), as the admin publishes it."""
    page = PracticeBriefPageFactory(live=False, **fields)
    page.save_revision().publish()
    return page


def test_the_subscribe_page_names_what_will_be_followed(client):
    response = client.get("/en/subscribe/?country=ML&theme=protection&page=3")
    assert response.status_code == 200
    text = response.content.decode()
    assert "New items about: Mali · Protection" in text
    assert 'value="country=ML&amp;theme=protection"' in text


def test_a_search_that_cannot_be_followed_is_refused(client):
    response = client.get("/en/subscribe/?country=ZZ")
    assert response.status_code == 400
    assert "This search cannot be followed" in response.content.decode()


def test_subscribing_sends_a_confirmation_and_nothing_else_before_it(client):
    with time_machine.travel(NOW, tick=False):
        response = subscribe(client)
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Mali" not in message.body, "the address's owner has not agreed to anyone's text yet"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(message, "unsubscribe") in message.extra_headers["List-Unsubscribe"]
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None

    PracticeBriefPageFactory(countries=["ML"], title="Grain banks")
    mail.outbox.clear()
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert mail.outbox == []


def test_confirming_takes_a_press_of_the_button(client):
    subscribe(client)
    confirm = path_of(link(mail.outbox[0], "confirm"))
    page = client.get(confirm)
    assert page.status_code == 200 and "Confirm your subscription" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    done = client.post(confirm)
    assert "Subscription confirmed" in done.content.decode()
    assert Subscription.objects.get().confirmed_at is not None


def test_a_bad_address_is_a_form_error(client):
    response = subscribe(client, email="not-an-address")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Subscription.objects.exists()


def test_answers_do_not_tell_whether_an_address_is_subscribed(client):
    confirmed_subscription(client)
    again = subscribe(client)
    assert "Check your inbox" in again.content.decode()
    assert mail.outbox == [], "a confirmed subscriber is not asked again"
    assert Subscription.objects.count() == 1


def test_a_digest_lists_new_public_items_once(client):
    with time_machine.travel(NOW, tick=False):
        subscription = confirmed_subscription(client)
        published(countries=["ML"], title="Old news")
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        published(countries=["ML"], title="Grain banks in Kayes")
        published(countries=["NE"], title="Niger only")
        PracticeBriefPageFactory(countries=["ML"], title="A draft", live=False)
        private = published(countries=["ML"], title="Private note")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Grain banks in Kayes" in body
    for absent in ("Old news", "Niger only", "A draft", "Private note"):
        assert absent not in body
    assert "http://127.0.0.1:8000/en/mali/grain-banks-in-kayes/" in body
    assert link(mail.outbox[0], "unsubscribe") in body
    subscription.refresh_from_db()
    assert subscription.last_sent_at == NOW + datetime.timedelta(days=1)

    mail.outbox.clear()
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert mail.outbox == [], "nothing new, no email"


def test_a_saved_search_digest_uses_the_search(client):
    with time_machine.travel(NOW, tick=False):
        confirmed_subscription(client, query="q=kayes", frequency="weekly")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        published(title="Grain banks in Kayes")
        published(title="Border monitoring")
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        call_command("send_digests", "--frequency", "daily")
        assert mail.outbox == [], "weekly subscribers wait for the weekly run"
        call_command("send_digests", "--frequency", "weekly")
    body = mail.outbox[0].body
    assert "Grain banks in Kayes" in body and "Border monitoring" not in body
    assert mail.outbox[0].subject.endswith("“kayes”")


@pytest.mark.parametrize("backend", ["database", "engine"])
def test_a_digest_counts_every_backfilled_item(client, request, backend):
    """An import of older reports is new on the portal: the digest of a saved search finds them
    whatever their publication date, and counts them all (it missed items older than the 12
    newest matches, and said 12 when there were 20)."""
    with time_machine.travel(NOW, tick=False):
        confirmed_subscription(client, query="q=kayes")
        for n in range(13):
            published(title=f"Kayes report {n}", publication_date=datetime.date(2025, 1, n + 1))
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        for n in range(20):
            published(title=f"Kayes archive {n}", publication_date=datetime.date(2010, 1, n + 1))
    if backend == "engine":
        request.getfixturevalue("reindex")()
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        call_command("send_digests", "--frequency", "daily")
    (message,) = mail.outbox
    assert message.body.startswith("20 new items about:")
    assert message.body.count("Kayes archive") == 12
    assert "Kayes report" not in message.body


def test_one_click_unsubscribe_needs_no_form(client):
    subscription = confirmed_subscription(client)
    url = f"/en/subscribe/unsubscribe/{subscription.token}/"
    assert "Unsubscribe" in client.get(url).content.decode()
    assert Subscription.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert client.post(url).status_code == 200, "a second click is harmless"


def test_unknown_tokens_are_not_found(client):
    assert client.get("/en/subscribe/confirm/nope/").status_code == 404
    assert client.get("/en/subscribe/unsubscribe/nope/").status_code == 404


def test_unconfirmed_addresses_are_deleted_after_a_week(client):
    with time_machine.travel(NOW, tick=False):
        subscribe(client, email="late@example.org")
        confirmed_subscription(client, email="early@example.org")
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert Subscription.objects.count() == 2
    with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=1), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["early@example.org"]


def test_emails_come_in_the_subscribers_language(client):
    client.post(
        "/fr/subscribe/",
        {"email": "lectrice@example.org", "frequency": "weekly", "query": "country=ML"},
    )
    assert "/fr/subscribe/confirm/" in mail.outbox[0].body
    assert Subscription.objects.get().language == "fr"


def test_the_address_is_never_shown_on_a_page(client):
    subscription = confirmed_subscription(client)
    for url in (
        f"/en/subscribe/confirm/{subscription.token}/",
        f"/en/subscribe/unsubscribe/{subscription.token}/",
    ):
        assert "reader@example.org" not in client.get(url).content.decode()


def test_the_form_cannot_flood_an_inbox(client):
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            subscribe(client, email="victim@example.org")
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        subscribe(client, email="victim@example.org", frequency="weekly")
    assert len(mail.outbox) == 2
    assert Subscription.objects.get().frequency == "weekly"


def test_country_pages_and_search_offer_to_subscribe_to_what_they_show(client):
    page = client.get("/en/mali/").content.decode()
    assert 'href="/en/subscribe/?country=ML"' in page
    search = client.get("/en/search/?q=water&theme=protection").content.decode()
    assert 'href="/en/subscribe/?q=water&amp;theme=protection"' in search
    form = client.get("/en/subscribe/?q=water&theme=protection").content.decode()
    assert "New items about: Protection · “water”" in form


def test_one_address_gets_at_most_three_confirmations_an_hour(client):
    with time_machine.travel(NOW, tick=False):
        for word in ("one", "two", "three", "four", "five"):
            subscribe(client, query=f"q={word}", email="victim@example.org")
    assert len(mail.outbox) == 3


def test_a_confirmation_carries_nothing_the_sender_typed(client):
    subscribe(client, query="q=Claim+your+prize+at+evil.example", email="victim@example.org")
    (message,) = mail.outbox
    assert "prize" not in message.body and "evil.example" not in message.body
    assert "prize" not in message.subject
    confirm = client.get(path_of(link(message, "confirm"))).content.decode()
    assert "Claim your prize" in confirm, "the page behind the link shows what was asked"


def test_one_client_may_ask_for_ten_confirmations_an_hour(client):
    with time_machine.travel(NOW, tick=False):
        answers = [subscribe(client, email=f"person{n}@example.org").status_code for n in range(12)]
        other_client = subscribe(client, email="elsewhere@example.org", REMOTE_ADDR="192.0.2.7")
    assert answers == [200] * 10 + [429] * 2
    assert len(mail.outbox) == 11 and other_client.status_code == 200
    assert not Subscription.objects.filter(email="person11@example.org").exists()
    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert subscribe(client, email="person11@example.org").status_code == 200


def test_the_portal_sends_at_most_its_hourly_quota_of_confirmations(client, settings):
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_HOUR = 2
    with time_machine.travel(NOW, tick=False):
        for n in range(2):
            answer = subscribe(client, email=f"p{n}@example.org", REMOTE_ADDR=f"192.0.2.{n}")
            assert answer.status_code == 200
        refused = subscribe(client, email="p9@example.org", REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "Please try again" in refused.content.decode()
    assert len(mail.outbox) == 2 and Subscription.objects.count() == 2


def test_a_query_with_line_breaks_cannot_stop_the_digests(client):
    with time_machine.travel(NOW, tick=False):
        confirmed_subscription(client, query="q=kayes%0D%0A", email="a@example.org")
        confirmed_subscription(client, query="q=kayes", email="b@example.org")
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        published(title="Grain banks in Kayes")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        call_command("send_digests", "--frequency", "daily")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
