"""What a reader typed comes back in messages and forms, but never as characters that rewrite the page.

Bidirectional overrides (U+202E and its kin) reorder what follows them, so an error message echoing
one can be made to say something else ("Trojan Source", CVE-2021-42574); NUL and other control
characters break text and XML. Every channel shows them as U+FFFD.
"""

import json

import pytest

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
