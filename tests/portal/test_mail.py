"""Email leaves through the background worker: a mail server that refuses or hangs never reaches a
request, and a message it could not take is delivered on a later attempt.

The mail server is a real local socket (refusing, or accepting and never answering); the queue is
the real database task backend and its worker command.
"""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Subscription
from tests.factories import LessonsLearnedReportPageFactory
from tests.sockets import HungServer, refused_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_mail(settings):
    """Tasks in the database (as in production) and SMTP delivery to a local port."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "portal.mail.BackgroundEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 0.5
    return settings


def subscribe(client):
    return client.post(
        "/en/subscribe/",
        {"email": "reader@example.org", "frequency": "daily", "query": "country=ML"},
    )


def run_worker():
    """Run the due tasks as ``manage.py db_worker --batch`` does, without its exclusive
    transaction (SQLite cannot open one inside the test's transaction)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    )
    for task_result in DBTaskResult.objects.ready():
        worker.run_task(task_result)


def test_a_hanging_mail_server_never_holds_a_request(client, queued_mail):
    server = HungServer()
    queued_mail.EMAIL_PORT = server.port
    try:
        response = subscribe(client)
        assert response.status_code == 200
        assert "Check your inbox" in response.content.decode()
        assert server.connections == 0
        assert DBTaskResult.objects.filter(task_path="portal.mail.deliver_email").count() == 1
        run_worker()  # times out after EMAIL_TIMEOUT and schedules the next attempt
        assert server.connections == 1
    finally:
        server.close()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][1] == 2
    assert retry.run_after > timezone.now()


def test_a_refusing_mail_server_delays_the_email_and_loses_nothing(client, queued_mail):
    queued_mail.EMAIL_PORT = refused_port()
    assert subscribe(client).status_code == 200
    run_worker()
    assert mail.outbox == []
    queued_mail.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()  # the next attempt is not due yet
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False):
        run_worker()
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    token = Subscription.objects.get().token
    assert f"/en/subscribe/confirm/{token}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_every_email_of_the_site_is_queued(queued_mail):
    """Every email of the site goes through the queue, the admin's own included."""
    from django.core.mail import send_mail

    send_mail("Subject", "Body", None, ["moderator@example.org"], html_message="<p>Body</p>")
    (queued,) = DBTaskResult.objects.filter(task_path="portal.mail.deliver_email")
    assert queued.args_kwargs["args"][0]["alternatives"] == [["<p>Body</p>", "text/html"]]


def test_every_kind_of_attachment_survives_the_queue(queued_mail):
    from email.mime.text import MIMEText

    from django.core.mail import EmailMessage

    from portal.mail import message_data, message_from_data

    part = MIMEText("a,b\n1,2\n", "csv")
    part.add_header("Content-Disposition", "attachment", filename="figures.csv")
    message = EmailMessage("Figures", "See attached.", to=["team@example.org"])
    message.attach("notes.txt", "Plain notes", "text/plain")
    message.attach(part)
    restored = message_from_data(json.loads(json.dumps(message_data(message))))
    assert [(name, mime) for name, _content, mime in restored.attachments] == [
        ("notes.txt", "text/plain"),
        ("figures.csv", "text/csv"),
    ]
    assert restored.attachments[1][1] == "a,b\n1,2\n"


def test_emails_wait_behind_the_sites_other_background_tasks(queued_mail):
    """With a mail server hanging, each delivery takes EMAIL_TIMEOUT; the worker takes Wagtail's
    index and reference updates first, so new pages reach the database search meanwhile."""
    from django.core.mail import send_mail

    send_mail("Subject", "Body", None, ["someone@example.org"])
    LessonsLearnedReportPageFactory(title="Published while mail waits")
    ready = list(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert ready[-1] == "portal.mail.deliver_email" and len(ready) > 1
