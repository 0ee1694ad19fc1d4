"""Country names from the Unicode CLDR: rows still holding the name pycountry gave them at setup
("Tunez", "Niger" in Spanish) take CLDR's ("Túnez", "Níger"); names editors changed are kept."""

import gettext

import babel
import pycountry
from django.db import migrations


def _pycountry_name(code, language):
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    english = getattr(country, "common_name", None) or country.name
    catalogue = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return catalogue.gettext(english)


def _cldr_name(code, language):
    try:
        return babel.Locale.parse(language).territories.get(code.upper())
    except (babel.UnknownLocaleError, ValueError):
        return None


def rename(apps, schema_editor):
    Country = apps.get_model("knowledge", "Country")
    for country in Country.objects.select_related("locale"):
        language = country.locale.language_code
        new = _cldr_name(country.code, language)
        if new and country.name != new and country.name == _pycountry_name(country.code, language):
            country.name = new
            country.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0008_page_objectives")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
