"""Subscribe, confirm (double opt-in) and unsubscribe, in the reader's language.

Answers never tell whether an address is already subscribed. The form cannot be turned into a mail
cannon: a confirmation is sent again for the same subscription at most once an hour, one address
gets at most three an hour, one client may ask for ``SUBSCRIBE_RATE`` (10 an hour) and the portal
sends at most ``SUBSCRIPTION_CONFIRMATIONS_PER_HOUR`` in all; past a limit the form answers 429.
The confirmation email carries nothing the sender typed. Confirming and unsubscribing take a POST,
because mail scanners open links in emails; unsubscribing also accepts the one-click POST of mail
programs (RFC 8058), which carries no CSRF token: the link's token is the authority.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from knowledge.visibility import reader_language
from portal.clients import ClientRateThrottle, too_many_requests

from .emails import send_confirmation
from .following import describe, followed_query
from .forms import SubscribeForm
from .models import CONFIRMATIONS_PER_ADDRESS_PER_HOUR, RESEND_AFTER_HOURS, Subscription


def _message(request, title, text, status=200, **extra):
    context = {"title": title, "text": text} | extra
    return TemplateResponse(request, "subscriptions/message.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET ``/subscribe/?country=ML``: the form for that search; POST: store it, ask to confirm."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
    else:
        query, errors = followed_query(request.GET)
        if errors:
            return _message(request, _("This search cannot be followed"), " ".join(errors), 400)
        form = SubscribeForm(initial={"query": query})
    throttle = ClientRateThrottle("subscribe", settings.SUBSCRIBE_RATE)
    if request.method == "POST" and not throttle.allow_request(request):
        return _too_many(request, throttle.wait())
    if request.method == "POST" and form.is_valid():
        if not _store_and_ask(form.cleaned_data, reader_language()):
            return _too_many(request, 3600)
        return _message(
            request,
            _("Check your inbox"),
            _("We sent a link to confirm the subscription. Nothing is sent before you confirm."),
        )
    query = form["query"].value() or ""
    context = {"form": form, "followed": describe(query, reader_language())}
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "subscriptions/subscribe.html", context, status=status)


def _too_many(request, seconds):
    message = _("Too many subscriptions were asked for. Please try again in %(minutes)s minutes.")
    return too_many_requests(request, seconds, message % {"minutes": max(1, round(seconds / 60))})


def _sending_quota_left(now):
    """False once the portal sent ``SUBSCRIPTION_CONFIRMATIONS_PER_HOUR`` in the last hour."""
    sent = Subscription.objects.filter(confirmation_sent_at__gt=now - datetime.timedelta(hours=1))
    return sent.count() < settings.SUBSCRIPTION_CONFIRMATIONS_PER_HOUR


def _store_and_ask(data, language):
    """Store the subscription and ask its address to confirm, as the limits allow; False when
    the portal's own hourly quota of confirmations is spent (nothing is stored then)."""
    if not _sending_quota_left(timezone.now()):
        return False
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            email=data["email"].lower(),
            query=data["query"],
            language=language,
            defaults={"frequency": data["frequency"]},
        )
    if subscription.confirmed_at is not None:
        return True
    now = timezone.now()
    last_sent = subscription.confirmation_sent_at
    if last_sent and now - last_sent < datetime.timedelta(hours=RESEND_AFTER_HOURS):
        return True
    recent = Subscription.objects.filter(
        email=subscription.email, confirmation_sent_at__gt=now - datetime.timedelta(hours=1)
    )
    if recent.count() >= CONFIRMATIONS_PER_ADDRESS_PER_HOUR:
        return True
    subscription.frequency = data["frequency"]
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["frequency", "confirmation_sent_at"])
    send_confirmation(subscription)
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a button to confirm; POST: the subscription starts."""
    subscription = get_object_or_404(Subscription, token=token)
    followed = describe(subscription.query, subscription.language)
    if request.method != "POST":
        return _message(request, _("Confirm your subscription"), followed, action=_("Confirm"))
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return _message(
        request,
        _("Subscription confirmed"),
        _("You will receive new items about: %(followed)s") % {"followed": followed},
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a button to unsubscribe; POST (also one-click from a mail program): delete it."""
    if request.method != "POST":
        subscription = get_object_or_404(Subscription, token=token)
        followed = describe(subscription.query, subscription.language)
        return _message(request, _("Unsubscribe"), followed, action=_("Unsubscribe"))
    Subscription.objects.filter(token=token).delete()
    return _message(
        request, _("You are unsubscribed"), _("We will not email you about this again.")
    )
