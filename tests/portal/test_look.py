"""What every page carries for the eye: a visible focus ring and an icon."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.helpers import soup

CSS = finders.find("css/portal.css")


def luminance(hex_colour):
    """Relative luminance of ``#rrggbb`` (WCAG 2.2, "relative luminance")."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_on_white_and_on_the_dark_header():
    css = Path(CSS).read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6});", css))
    rule = re.search(r":focus-visible \{([^}]*)\}", css).group(1)
    outline = re.search(r"outline: \d+px solid var\(--([\w-]+)\)", rule).group(1)
    halo = re.search(r"box-shadow: [^;]*var\(--([\w-]+)\)", rule).group(1)
    # WCAG 2.2 SC 1.4.11: 3:1 against the adjacent colours.
    assert contrast(colours[outline], colours["paper"]) >= 3
    assert contrast(colours[halo], colours["brand-dark"]) >= 3


@pytest.mark.django_db
def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client):
    icon = soup(client.get("/en/register/")).select_one('link[rel="icon"]')["href"]
    assert finders.find(icon.removeprefix("/static/"))
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (301, icon)
