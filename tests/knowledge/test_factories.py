"""Every model has a factory, and what the factories make shows up where readers look."""

import pytest

from knowledge.models import Country, CountrySectionPage, HomePage, ThemeIndexPage
from tests.factories import (
    CountryFactory,
    CountrySectionPageFactory,
    HomePageFactory,
    KnowledgeAttachmentFactory,
    KnowledgeIndexPageFactory,
    KnowledgeTagFactory,
    PolicyNotePageFactory,
    TaggedKnowledgePageFactory,
    ThemeFactory,
    ThemeIndexPageFactory,
)

pytestmark = pytest.mark.django_db


def test_taxonomy_factories_reuse_existing_rows():
    assert CountryFactory(code="ML") == Country.objects.get(code="ML", locale__language_code="en")
    theme = ThemeFactory(name="Climate mobility")
    assert theme.slug == "climate-mobility" and theme.locale.language_code == "en"


def test_tag_factories_tag_a_page(client):
    tagged = TaggedKnowledgePageFactory(tag=KnowledgeTagFactory(name="drought"))
    response = client.get("/en/search/?tag=drought")
    assert [item.pk for item in response.context["results_page"]] == [tagged.content_object.pk]


def test_structural_page_factories_build_valid_pages(client):
    assert isinstance(HomePageFactory(), HomePage)
    assert isinstance(ThemeIndexPageFactory(), ThemeIndexPage)
    section = CountrySectionPageFactory(country=CountryFactory(code="ET"), slug="ethiopia-2")
    assert isinstance(section, CountrySectionPage)
    listing = KnowledgeIndexPageFactory(slug="more-notes")
    note = PolicyNotePageFactory(title="Listed note")
    assert "Listed note" in client.get(listing.url).content.decode()
    assert "Listed note" not in client.get(section.url).content.decode()
    assert note.live


def test_attachment_factory_attaches_a_pdf():
    attachment = KnowledgeAttachmentFactory()
    assert attachment.document.file_extension == "pdf"
    assert attachment.page.attachments.get() == attachment
