"""How author entries become citation names (the rule in citations.names)."""

import pytest

from citations.names import OrganisationName, PersonName, parse_name, parse_names


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Aïssata Traoré", PersonName("Traoré", "Aïssata")),
        ("  Awa   Traoré ", PersonName("Traoré", "Awa")),
        ("Mary Jane Smith", PersonName("Smith", "Mary Jane")),
        ("Traoré, Aïssata", PersonName("Traoré", "Aïssata")),
        ("TRAORÉ, Aïssata", PersonName("TRAORÉ", "Aïssata")),
        ("Ousmane ag Mohamed", PersonName("ag Mohamed", "Ousmane")),
        ("Ludwig van der Berg", PersonName("van der Berg", "Ludwig")),
        ("محمد الحسيني", PersonName("الحسيني", "محمد")),
        ("محمد بن علي", PersonName("بن علي", "محمد")),
        ("COMPASS Mali team", OrganisationName("COMPASS Mali team")),
        ("Équipe pays Niger", OrganisationName("Équipe pays Niger")),
        ("Ministerio de Inclusión", OrganisationName("Ministerio de Inclusión")),
        ("فريق البرنامج في ليبيا", OrganisationName("فريق البرنامج في ليبيا")),
        ("UNHCR", OrganisationName("UNHCR")),
        ("IOM Niger", OrganisationName("IOM Niger")),
        ("Cohort 2024 researchers", OrganisationName("Cohort 2024 researchers")),
        ("   ", None),
    ],
)
def test_entries_are_read_as_persons_or_organisations(entry, expected):
    assert parse_name(entry) == expected


def test_names_render_in_reading_and_inverted_order():
    person = PersonName("Traoré", "Aïssata")
    assert (person.display, person.inverted) == ("Aïssata Traoré", "Traoré, Aïssata")
    team = OrganisationName("COMPASS Mali team")
    assert team.display == team.inverted == "COMPASS Mali team"


def test_blank_entries_are_dropped_and_order_kept():
    assert parse_names(["B Two", "", "A One"]) == [PersonName("Two", "B"), PersonName("One", "A")]
