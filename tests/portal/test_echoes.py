"""What a reader typed comes back in messages and forms, but never as characters that rewrite the page.

Bidirectional overrides (U+202E and its kin) reorder what follows them, so an error message echoing
one can be made to say something else ("Trojan Source", CVE-2021-42574); NUL and other control
characters break text and XML. Every channel shows them as U+FFFD.
"""

import io
import json
import logging

import pytest

from portal.log_filters import RequestRefused

pytestmark = pytest.mark.django_db

OVERRIDE = "\u202e"
ISOLATE = "\u2067"


@pytest.mark.parametrize(
    "url",
    [
        "/en/lessons/?country=M{}L",
        "/en/search/?q=a{}b&country=M{}L",
        "/en/search/json/?country=M{}L",
        "/en/feeds/rss/?country=M{}L",
        "/api/v1/items/?fields=ti{}tle",
        "/api/v1/items/?country=M{}L",
        "/api/v1/items/?z{}z=1",
        "/en/search/json/?q=a{}b",
        "/en/subscribe/?country=M{}L",
        "/oai/?verb=Get{}Record",
    ],
)
@pytest.mark.parametrize("character", [OVERRIDE, ISOLATE])
def test_bidi_controls_are_never_echoed(client, url, character):
    response = client.get(url.replace("{}", character))
    assert response.status_code in (200, 400)
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    assert character not in body
    assert "\ufffd" in body


def test_a_forged_host_header_is_logged_on_one_line(client):
    (handler,) = [
        handler
        for handler in logging.getLogger("django.security").handlers
        if any(isinstance(f, RequestRefused) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = client.get("/en/", HTTP_HOST="attacker.example")
    finally:
        handler.setStream(previous)
    assert response.status_code == 400
    logged = stream.getvalue()
    assert "Invalid HTTP_HOST header: 'attacker.example'" in logged
    assert "Traceback" not in logged and len(logged.strip().splitlines()) == 1


@pytest.mark.parametrize("number", ["²", "①", "٣", "1²"])
@pytest.mark.parametrize(
    "path", ["/en/", "/en/lessons/", "/en/mali/", "/en/themes/", "/ar/search/"]
)
def test_digits_of_other_scripts_in_a_page_number_are_no_error(client, path, number):
    """Python reads "²" and "①" as digits that int() refuses: a page number of them gave 500."""
    assert client.get(path, {"page": number}).status_code == 200
