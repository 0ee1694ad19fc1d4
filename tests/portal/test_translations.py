"""The French, Arabic and Spanish catalogues are complete: every message translated, none left
fuzzy, every plural message with as many forms as the language has (a missing form falls back to
English for those numbers), and each compiled catalogue up to date with its source."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["fr", "ar", "es"]


def entries(po_text):
    """The entries of a .po file (blocks separated by blank lines), header left out."""
    blocks = [block for block in po_text.split("\n\n") if "msgid" in block]
    return [block for block in blocks if text_of(block, "msgid")]


def plural_count(po_text):
    return int(re.search(r"nplurals=(\d+)", po_text).group(1))


def text_of(block, key):
    """The concatenated string of ``key`` (e.g. ``msgstr`` or ``msgstr[1]``) in ``block``."""
    match = re.search(rf'^{re.escape(key)} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return None
    return "".join(
        ast.literal_eval(f'"{piece}"') for piece in re.findall(r'"(.*)"', match.group(1))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_in_every_form(language):
    po_text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    forms = plural_count(po_text)
    problems = []
    for block in entries(po_text):
        msgid = text_of(block, "msgid")
        if "#, fuzzy" in block:
            problems.append(f"fuzzy: {msgid}")
        elif "msgid_plural" in block:
            missing = [n for n in range(forms) if not text_of(block, f"msgstr[{n}]")]
            if missing:
                problems.append(f"plural forms {missing} missing: {msgid}")
        elif not text_of(block, "msgstr"):
            problems.append(f"untranslated: {msgid}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_holds_every_translation(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for block in entries((folder / "django.po").read_text()):
        msgid, msgstr = text_of(block, "msgid"), text_of(block, "msgstr")
        if msgstr and "msgid_plural" not in block:
            assert catalogue.get(msgid) == msgstr, msgid
