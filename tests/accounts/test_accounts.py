"""Editors' accounts hold: guessing passwords is stopped, and those who publish need a second factor.

Logins go through the real admin login form; codes come from a real TOTP device (RFC 6238),
computed as an authenticator app would.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import KnowledgeAttachmentFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def sign_in(client, username, password, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("musa", "musa@example.org", "right-Pass-1")
    user.groups.add(Group.objects.get(name="Mali moderators"))
    return user


def test_five_failed_logins_pause_the_account_for_that_address(client, lockout, moderator):
    with time_machine.travel(NOW, tick=False):
        answers = [sign_in(client, "musa", "guess").status_code for _ in range(5)]
        assert answers == [200, 200, 200, 200, 429]
        paused = sign_in(client, "musa", "right-Pass-1")
        assert paused.status_code == 429
        assert "too many failed attempts" in paused.content.decode()
        assert "Try again in 30 minutes" in paused.content.decode()
        elsewhere = sign_in(client, "musa", "right-Pass-1", REMOTE_ADDR="192.0.2.44")
        assert elsewhere.status_code == 302, "the owner signs in from another address"
    client.logout()
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        assert sign_in(client, "musa", "right-Pass-1").status_code == 302


def test_the_django_admin_is_not_served(client, admin_client):
    for path in ("/django-admin/", "/django-admin/login/"):
        assert admin_client.get(path, follow=True).status_code == 404


def test_the_password_form_of_a_private_page_stops_guessing(client):
    page = PolicyNotePageFactory(title="Shared with partners")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="partners-2026"
    )
    url = f"/en/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    answers = [
        client.post(url, {"password": f"guess{n}", "return_url": page.url}).status_code
        for n in range(11)
    ]
    assert answers == [200] * 10 + [429]
    refused = client.post(url, {"password": "partners-2026", "return_url": page.url})
    assert refused.status_code == 429 and "Try again in" in refused.content.decode()
    assert refused["Retry-After"]
    other = client.post(
        url, {"password": "partners-2026", "return_url": page.url}, REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 302


def test_the_password_form_of_a_private_collection_stops_guessing(client):
    collection = Collection.get_first_root_node().add_child(name="Partners")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="partners-2026"
    )
    KnowledgeAttachmentFactory(document__collection=collection)
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    answers = [client.post(url, {"password": "guess"}).status_code for _ in range(11)]
    assert answers[-1] == 429 and 429 not in answers[:10]


@pytest.fixture
def two_factor(settings):
    settings.WAGTAIL_2FA_REQUIRED = True
    return settings


def authenticator(user):
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return lambda: (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    )


def test_moderators_and_administrators_must_set_up_two_factor_login(
    client, two_factor, moderator, team_member, django_user_model
):
    client.force_login(moderator)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/devices/new")
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/devices/new")
    client.force_login(team_member("Mali editors", "awa"))
    assert client.get("/admin/").status_code == 200, "editors may choose"


def test_a_code_from_the_authenticator_app_completes_the_login(client, two_factor, moderator):
    code = authenticator(moderator)
    assert sign_in(client, "musa", "right-Pass-1").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/auth")
    wrong = client.post("/admin/2fa/auth", {"otp_token": "000000"})
    assert "Invalid code" in wrong.content.decode()
    # django-otp makes each further try wait longer after a failure (1 s, 2 s, 4 s ...).
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert client.post("/admin/2fa/auth", {"otp_token": code()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_once(client, two_factor, moderator):
    code = authenticator(moderator)
    sign_in(client, "musa", "right-Pass-1")
    client.post("/admin/2fa/auth", {"otp_token": code()})
    page = client.get("/admin/recovery-codes/")
    assert "You have 0 unused recovery codes." in page.content.decode()
    refused = client.post("/admin/recovery-codes/", {"password": "a guess"})
    assert (
        refused.context["codes"] is None
        and "This is not your password." in refused.content.decode()
    )
    made = client.post("/admin/recovery-codes/", {"password": "right-Pass-1"}).context["codes"]
    assert len(made) == 10 and len(set(made)) == 10
    client.post("/admin/logout/")

    sign_in(client, "musa", "right-Pass-1")
    assert client.post("/admin/2fa/auth", {"otp_token": made[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert (
        "You have 9 unused recovery codes." in client.get("/admin/recovery-codes/").content.decode()
    )
    client.post("/admin/logout/")
    sign_in(client, "musa", "right-Pass-1")
    reused = client.post("/admin/2fa/auth", {"otp_token": made[0]})
    assert "Invalid code" in reused.content.decode()


def test_recovery_codes_are_not_shown_to_a_session_without_the_second_factor(
    client, two_factor, moderator
):
    authenticator(moderator)
    sign_in(client, "musa", "right-Pass-1")
    response = client.post("/admin/recovery-codes/", {"password": "right-Pass-1"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/auth")


def test_recovery_codes_need_an_authenticator_app_first(client, two_factor, team_member):
    """Codes alone would turn two-factor login on with nothing but ten codes to pass it."""
    editor = team_member("Mali editors", "awa")
    client.force_login(editor)
    page = client.post("/admin/recovery-codes/", {"password": "password"})
    assert page.status_code == 200 and page.context["codes"] is None
    assert "Add the app first" in page.content.decode()
    assert client.get("/admin/").status_code == 200, "the editor still signs in as before"


def test_a_code_from_either_of_two_phones_completes_the_login(client, two_factor, moderator):
    authenticator(moderator)
    second_phone = authenticator(moderator)
    sign_in(client, "musa", "right-Pass-1")
    assert client.post("/admin/2fa/auth", {"otp_token": second_phone()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_lockout_sees_through_a_forged_forwarded_header(client, lockout, moderator, settings):
    """Behind one proxy, the address the proxy saw counts, whatever the client put before it."""
    settings.NUM_PROXIES = 1
    for n in range(5):
        sign_in(client, "musa", "guess", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}, 203.0.113.5")
    paused = sign_in(client, "musa", "right-Pass-1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert paused.status_code == 429


def test_the_password_reset_sends_few_emails_per_client_and_in_all(client, moderator, settings):
    from django.core import mail

    answers = [
        client.post("/admin/password_reset/", {"email": "musa@example.org"}).status_code
        for _ in range(6)
    ]
    assert answers == [302] * 5 + [429] and len(mail.outbox) == 5
    settings.PASSWORD_RESETS_PER_HOUR = "7/hour"
    others = [
        client.post(
            "/admin/password_reset/", {"email": "musa@example.org"}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(3)
    ]
    assert others == [302, 302, 429] and len(mail.outbox) == 7
