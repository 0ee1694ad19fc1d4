"""The request side of OAI-PMH 2.0: verbs and their arguments, datestamps, resumption tokens,
errors.

Spec: http://www.openarchives.org/OAI/openarchivesprotocol.html. Section numbers below refer to it.
"""

import datetime
import re
from dataclasses import dataclass

from django.core import signing

from knowledge.filters import printable
from oai import conf

#: Verb → (required arguments, optional arguments); ``resumptionToken`` is exclusive (§3.5) where
#: it is allowed at all.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECONDS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TOKEN_SALT = "oai.resumption-token"  # noqa: S105 - a signing salt, not a secret


class OaiError(Exception):
    """An OAI-PMH error condition (§3.6), answered with HTTP 200 and ``<error code="…">``.

    ``echo_arguments`` is False for badVerb and badArgument: the ``<request>`` element then carries
    no attributes (§3.2).
    """

    def __init__(self, code, message):
        message = printable(message)
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echo_arguments(self):
        return self.code not in {"badVerb", "badArgument"}


@dataclass(frozen=True)
class DateRange:
    """``from``/``until`` as UTC datetimes: ``start`` inclusive, ``end`` exclusive (None: open)."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None


def parse_arguments(params):
    """Validate the request's arguments (a Django ``QueryDict``): returns ``(verb, {name: value})``.

    Raises ``OaiError`` badVerb (missing, repeated or unknown verb) or badArgument (an unknown,
    repeated, missing or empty argument, or ``resumptionToken`` with anything but the verb).
    """
    verbs = params.getlist("verb")
    if len(verbs) != 1:
        raise OaiError("badVerb", "Give exactly one verb argument." if verbs else "No verb given.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError("badVerb", f"'{verb}' is not an OAI-PMH verb.")
    required, optional = VERBS[verb]
    arguments = {}
    for name in params:
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError("badArgument", f"{verb} does not take the argument '{name}'.")
        values = params.getlist(name)
        if len(values) != 1:
            raise OaiError("badArgument", f"The argument '{name}' is repeated.")
        if not values[0]:
            raise OaiError("badArgument", f"The argument '{name}' is empty.")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, arguments
    missing = sorted(required - arguments.keys())
    if missing:
        raise OaiError("badArgument", f"{verb} needs the argument(s): {', '.join(missing)}.")
    return verb, arguments


def parse_datestamp(value, name):
    """``(datetime, granularity)`` of a UTC datestamp, day (``YYYY-MM-DD``) or seconds
    (``YYYY-MM-DDThh:mm:ssZ``) granularity (§3.3.1); badArgument otherwise."""
    try:
        if DAY_RE.match(value):
            day = datetime.date.fromisoformat(value)
            return datetime.datetime.combine(day, datetime.time(), datetime.UTC), "day"
        if SECONDS_RE.match(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=datetime.UTC), "seconds"
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        f"'{name}' must be a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '{value}'.",
    )


def parse_date_range(arguments):
    """The ``DateRange`` of ``from``/``until`` (§2.7.1, §3.3.1).

    ``until`` is inclusive at its granularity: a day covers the whole day, seconds the whole
    second. badArgument when a value is malformed, when the two granularities differ or when
    ``from`` is later than ``until``.
    """
    start = end = None
    granularities = set()
    if "from" in arguments:
        start, granularity = parse_datestamp(arguments["from"], "from")
        granularities.add(granularity)
    if "until" in arguments:
        until, granularity = parse_datestamp(arguments["until"], "until")
        granularities.add(granularity)
        step = datetime.timedelta(days=1) if granularity == "day" else datetime.timedelta(seconds=1)
        # The last representable day (9999-12-31) has no day after it: it leaves the range open.
        end = (
            until + step
            if until < datetime.datetime.max.replace(tzinfo=until.tzinfo) - step
            else None
        )
    if len(granularities) > 1:
        raise OaiError("badArgument", "'from' and 'until' must have the same granularity.")
    if start and end and start >= end:
        raise OaiError("badArgument", "'from' is later than 'until'.")
    return DateRange(start, end)


def format_datestamp(moment):
    """``YYYY-MM-DDThh:mm:ssZ`` in UTC, the repository's granularity."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_resumption_token(verb, arguments, after, cursor):
    """An opaque, signed, stateless token: the verb, the original arguments, the last page id sent
    (``after``) and the number of items sent so far (``cursor``). Tokens last
    ``OAI_RESUMPTION_TOKEN_LIFETIME`` seconds."""
    payload = {"verb": verb, "args": arguments, "after": after, "cursor": cursor}
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(payload, compress=True)


def read_resumption_token(verb, token):
    """``(arguments, after, cursor)`` of a token made for ``verb``; badResumptionToken when it is
    malformed, tampered with, expired or made for another verb (§3.5)."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        payload = signer.unsign_object(token, max_age=conf.token_lifetime())
    except signing.SignatureExpired as error:
        raise OaiError("badResumptionToken", "The resumption token has expired.") from error
    except (signing.BadSignature, ValueError) as error:
        raise OaiError("badResumptionToken", "The resumption token is not valid.") from error
    try:
        if payload["verb"] != verb:
            raise OaiError("badResumptionToken", f"The resumption token is not one of {verb}.")
        return dict(payload["args"]), int(payload["after"]), int(payload["cursor"])
    except (KeyError, TypeError, ValueError) as error:
        raise OaiError("badResumptionToken", "The resumption token is not valid.") from error
