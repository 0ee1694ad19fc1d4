"""Turning the free-text author entries of a knowledge page into citation names.

Editors type one name per entry of the ``authors`` StreamField, a person ("Aïssata Traoré") or a
team ("COMPASS Mali team"). Citation formats need persons split into family and given names and
organisations kept whole, so ``parse_name`` applies these rules, in order:

1. Whitespace is collapsed; an empty entry gives ``None``.
2. **Organisation** (kept whole, CSL ``literal``) when the entry is a single word ("UNHCR"),
   contains a digit, or contains a word that names a body in one of the portal's languages
   (team, programme, ministry, équipe, ministère, equipo, فريق, وزارة, …; see ``ORGANISATION_WORDS``).
3. **"Family, Given"**: one comma with text on both sides is read as family name, given names
   ("Traoré, Aïssata"). Editors use it to force a reading, e.g. "TRAORÉ, Aïssata".
4. **Organisation** again when a word of two or more letters is all capitals ("COMPASS Mali",
   "IOM Niger"): an acronym marks a body far more often than a name.
5. Otherwise **"Given … Family"**: the last word is the family name, together with the lowercase
   particles just before it (de, van, ag, ould, ben, al, بن, …: "Ousmane ag Mohamed" → family "ag
   Mohamed"); the words before are the given names. Arabic script follows the same rule ("محمد
   الحسيني" → given "محمد", family "الحسيني").
"""

import re
from dataclasses import dataclass

#: Words that mark an organisation rather than a person (compared case-insensitively).
ORGANISATION_WORDS = frozenset(
    """
    team teams programme program project office unit ministry department directorate agency
    organisation organization association network committee council commission secretariat
    centre center institute university foundation group partners partnership coalition consortium
    alliance federation union initiative service services authority government
    équipe equipe programme projet bureau ministère ministere direction agence réseau reseau
    comité comite conseil centre institut université universite fondation groupe partenaires
    equipo programa proyecto oficina ministerio dirección direccion agencia asociación asociacion
    red comité comisión comision centro instituto universidad fundación fundacion grupo socios
    فريق برنامج مشروع مكتب وزارة مديرية وكالة منظمة جمعية شبكة لجنة مجلس مركز معهد جامعة مؤسسة
    مجموعة شركاء اتحاد هيئة حكومة
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

#: Lowercase words that belong to the family name that follows them.
PARTICLES = frozenset(
    """
    de del della der den di da das do dos du la le van von ten ter ag ould ben bin ibn al el abu
    bint
    بن ابن ولد أبو ابو بنت
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PersonName:
    """A person's name split for citations, e.g. ``PersonName("Traoré", "Aïssata")``."""

    family: str
    given: str = ""

    @property
    def display(self):
        """The name in reading order: "Aïssata Traoré"."""
        return f"{self.given} {self.family}".strip()

    @property
    def inverted(self):
        """The name family first, as RIS and BibTeX want it: "Traoré, Aïssata"."""
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class OrganisationName:
    """A team or organisation, cited whole (CSL's ``literal``)."""

    name: str

    @property
    def display(self):
        return self.name

    inverted = display


def _is_acronym(word):
    letters = [character for character in word if character.isalpha()]
    return len(letters) >= 2 and all(character.isupper() for character in letters)


def parse_name(text):
    """A ``PersonName`` or ``OrganisationName`` for one author entry, ``None`` if it is blank."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    words = text.split()
    folded = {word.strip(".,;:()").casefold() for word in words}
    if len(words) == 1 or _DIGIT.search(text) or folded & ORGANISATION_WORDS:
        return OrganisationName(text)
    if text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        if family and given:
            return PersonName(family=family, given=given)
    if any(_is_acronym(word) for word in words):
        return OrganisationName(text)
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].casefold() in PARTICLES:
        family_start -= 1
    return PersonName(family=" ".join(words[family_start:]), given=" ".join(words[:family_start]))


def parse_names(entries):
    """Names of the non-blank ``entries``, in order."""
    return [name for name in map(parse_name, entries) if name is not None]
