"""What a country team editor sees while editing in Wagtail's admin.

Tabs, help text on every field and block, clear messages for what a page still lacks when it is
submitted or published (drafts may be incomplete), the preview of every page type, countries and
themes in the page's language, and keyword autocomplete.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from knowledge.collation import collated
from knowledge.models import (
    Country,
    CountrySectionPage,
    HomePage,
    KnowledgeIndexPage,
    KnowledgePage,
    KnowledgeTag,
    LessonsLearnedReportPage,
    PolicyNotePage,
    PracticeBriefPage,
    Theme,
    ThemeIndexPage,
)
from tests.factories import (
    KnowledgeTagFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    section_page,
)
from tests.helpers import soup
from tests.knowledge.test_admin import brief_data, note_data, report_data

KNOWLEDGE_MODELS = [LessonsLearnedReportPage, PracticeBriefPage, PolicyNotePage]
FORM_DATA = {
    LessonsLearnedReportPage: report_data,
    PracticeBriefPage: brief_data,
    PolicyNotePage: note_data,
}
FACTORIES = {
    LessonsLearnedReportPage: LessonsLearnedReportPageFactory,
    PracticeBriefPage: PracticeBriefPageFactory,
    PolicyNotePage: PolicyNotePageFactory,
}
#: Fields of the promote and settings tabs, which keep Wagtail's own help text (or none).
WAGTAIL_FIELDS = {
    "slug",
    "seo_title",
    "search_description",
    "show_in_menus",
    "go_live_at",
    "expire_at",
    "comment_notifications",
}
#: Wagtail's help text of the page title, which editors of the portal should not see.
WAGTAIL_TITLE_HELP = "The page title as you'd like it to be seen by the public"
PUBLISH = {"action-publish": "action-publish"}
SUBMIT = {"action-submit": "action-submit"}


# --- helpers -------------------------------------------------------------------------------------


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["knowledge", model._meta.model_name, parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def with_slug(data):
    """Form data plus the slug that Wagtail's editor fills in from the title."""
    return data | {"slug": slugify(data["title"])}


def help_texts(response):
    """``{field name: help text}`` of the edit form; attachment fields as ``attachments.<name>``."""
    page = soup(response)
    # Inline panels keep their empty form in a <template>, which the CSS selectors do not enter.
    documents = [page] + [
        BeautifulSoup(template.decode_contents(), "html.parser") for template in page("template")
    ]
    texts = {}
    elements = [
        element for document in documents for element in document.select('[id$="-helptext"]')
    ]
    for element in elements:
        name = element["id"].removesuffix("-helptext").split("-child-")[-1]
        if "__prefix__" in element["id"]:
            name = f"attachments.{name}"
        texts[name] = " ".join(element.stripped_strings)
    return texts


def strings_in(value):
    """Every string in a decoded JSON value (telepath data of StreamFields holds help and errors)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def stream_strings(response, attribute):
    """Strings of the StreamField widgets' ``data-w-block-<attribute>-value`` JSON."""
    name = f"data-w-block-{attribute}-value"
    return {
        string
        for element in soup(response).select(f"[{name}]")
        for string in strings_in(json.loads(element[name]))
    }


def error_messages(response):
    """Every error message the edit form shows, field by field and inside StreamFields."""
    page = soup(response)
    messages = [
        " ".join(element.stripped_strings) for element in page.select("[data-field-errors]")
    ]
    messages.extend(stream_strings(response, "arguments"))
    return {message for message in messages if message}


def option_labels(response, name):
    """Labels of the checkboxes of field ``name``, in the order the editor reads them."""
    return [
        " ".join(label.stripped_strings)
        for label in soup(response).select("label")
        if label.find("input", attrs={"type": "checkbox", "name": name})
    ]


def child_blocks(block):
    """Every block nested in ``block`` (not Wagtail's own parts of an image block)."""
    for child in block.child_blocks.values():
        yield child
        if isinstance(child, blocks.StructBlock | blocks.StreamBlock | blocks.ListBlock) and (
            not isinstance(child, ImageBlock)
        ):
            yield from child_blocks(child)


def block_help_text(block):
    """The help text the editor shows for ``block`` (field blocks keep it on their form field)."""
    field = getattr(block, "field", None)
    return field.help_text if field is not None else block.meta.help_text


def stream_field_names(model):
    return [
        field.name
        for field in model._meta.get_fields()
        if field.__class__.__name__ == "StreamField"
    ]


@pytest.fixture
def mali():
    return section_page("en", "ML")


# --- tabs ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", KNOWLEDGE_MODELS)
def test_fields_are_grouped_in_content_taxonomy_and_promote_tabs(admin_client, mali, model):
    response = admin_client.get(add_url(model, mali))
    page = soup(response)
    tabs = [next(tab.stripped_strings) for tab in page.select('[role="tab"]')]
    assert tabs[:3] == ["Content", "Taxonomy and attachments", "Promote"]

    def names_in(tab_id):
        panel = page.select_one(f'section[id="tab-{tab_id}"]')
        return {element["name"] for element in panel.select("[name]")}

    content = names_in("content")
    taxonomy = names_in("taxonomy_and_attachments")
    assert {"title", "summary", "publication_date", "organisation"} <= content
    assert {"countries", "themes", "tags", "attachments-TOTAL_FORMS"} <= taxonomy
    assert not {"countries", "themes", "tags"} & content
    assert {"slug", "search_description"} <= names_in("promote")


# --- help text -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", KNOWLEDGE_MODELS)
def test_every_field_editors_fill_in_has_help_text(admin_client, mali, model):
    response = admin_client.get(add_url(model, mali))
    form = response.context["form"]
    shown = help_texts(response)
    expected = set(form.fields) - WAGTAIL_FIELDS
    missing = {name for name in expected if not shown.get(name)}
    assert not missing, f"fields without help text: {sorted(missing)}"
    assert shown["title"] != WAGTAIL_TITLE_HELP
    assert "readers" in shown["title"]
    assert shown["summary"].startswith(
        "Shown on cards in listings and search results, and in feeds; 1–3 plain sentences"
    )
    assert shown["attachments.document"].startswith("The file readers download")
    assert shown["attachments.title"].startswith("What readers click to download")
    assert "Files readers download from the page" in response.content.decode()
    # Slug and search description keep Wagtail's own help text.
    assert shown["slug"] and shown["search_description"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", KNOWLEDGE_MODELS)
def test_every_streamfield_block_has_help_text_in_the_editor(admin_client, mali, model):
    response = admin_client.get(add_url(model, mali))
    shown = stream_strings(response, "data")
    for name in stream_field_names(model):
        for block in child_blocks(model._meta.get_field(name).stream_block):
            help_text = block_help_text(block)
            assert help_text, f"{model.__name__}.{name}: block {block.name!r} has no help text"
            assert str(help_text) in shown


def site_pages():
    home = HomePage.objects.filter(locale__language_code="en").order_by("path").first()
    return {
        HomePage: home,
        CountrySectionPage: section_page("en", "ML"),
        KnowledgeIndexPage: KnowledgeIndexPage.objects.child_of(home).first(),
        ThemeIndexPage: ThemeIndexPage.objects.child_of(home).first(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [HomePage, CountrySectionPage, KnowledgeIndexPage, ThemeIndexPage], ids=str
)
def test_site_pages_explain_their_fields(admin_client, model):
    page = site_pages()[model]
    response = admin_client.get(edit_url(page))
    assert response.status_code == 200
    shown = help_texts(response)
    expected = set(response.context["form"].fields) - WAGTAIL_FIELDS
    missing = {name for name in expected if not shown.get(name)}
    assert not missing, f"fields without help text: {sorted(missing)}"
    assert shown["title"] != WAGTAIL_TITLE_HELP


@pytest.mark.django_db
def test_country_section_intro_says_where_it_appears(admin_client, mali):
    shown = help_texts(admin_client.get(edit_url(mali)))
    assert shown["intro"].startswith("A short paragraph at the top of the section page")
    assert "Regional and global" in shown["country"]


# --- required fields -----------------------------------------------------------------------------


def report_without_essentials():
    """Form data of a report with no summary, countries, themes or lessons."""
    data = with_slug(report_data(countries=(), themes=()))
    data["summary"] = data["organisation"] = ""
    for key in [key for key in data if key.startswith("lessons-")]:
        del data[key]
    data.update({"lessons-count": "0"})
    return data


MISSING_REPORT_MESSAGES = [
    "Write a summary: readers see it on cards in listings and search results, and in feeds.",
    "Choose at least one country. Readers filter by country, and country pages list the item.",
    "Choose at least one theme. Readers filter by theme, and theme pages list the item.",
    "Add at least one lesson: the lessons are what readers of a report come for.",
    "Name the publishing organisation: the page shows it and citations name it as publisher.",
]


@pytest.mark.django_db
def test_a_new_item_starts_with_the_organisation_of_its_sections_newest_item(admin_client, mali):
    form = soup(admin_client.get(add_url(PracticeBriefPage, mali))).select_one("#id_organisation")
    assert form.get("value", "") == ""
    PracticeBriefPageFactory(title="Older", organisation="Mali Red Cross")
    PracticeBriefPageFactory(title="Newer", organisation="COMPASS Mali")
    PracticeBriefPageFactory(title="Newest, a draft unsigned", organisation="", live=False)
    form = soup(admin_client.get(add_url(PracticeBriefPage, mali))).select_one("#id_organisation")
    assert form["value"] == "COMPASS Mali"
    niger = section_page("en", "NE")
    form = soup(admin_client.get(add_url(PracticeBriefPage, niger))).select_one("#id_organisation")
    assert form.get("value", "") == ""


@pytest.mark.django_db
def test_publishing_says_what_is_missing_and_why(admin_client, mali):
    response = admin_client.post(
        add_url(LessonsLearnedReportPage, mali), report_without_essentials() | PUBLISH
    )
    assert response.status_code == 200
    shown = error_messages(response)
    for message in MISSING_REPORT_MESSAGES:
        assert message in shown
    assert (
        "Not published: correct the errors below. Nothing is saved yet; saving a draft needs "
        "only a title." in response.content.decode()
    )
    assert not LessonsLearnedReportPage.objects.exists()


@pytest.mark.django_db
def test_an_incomplete_draft_can_be_saved_but_not_published(admin_client, mali):
    response = admin_client.post(
        add_url(LessonsLearnedReportPage, mali), report_without_essentials()
    )
    assert response.status_code == 302
    draft = LessonsLearnedReportPage.objects.get(title="Lessons from Mopti")
    assert not draft.live
    assert not draft.countries.exists()

    data = report_without_essentials() | {"slug": draft.slug} | PUBLISH
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 200
    shown = error_messages(response)
    for message in MISSING_REPORT_MESSAGES:
        assert message in shown
    assert (
        "Not published: correct the errors below. Your last saved draft is kept."
        in response.content.decode()
    )
    draft.refresh_from_db()
    assert not draft.live

    response = admin_client.post(edit_url(draft), report_data() | {"slug": draft.slug} | PUBLISH)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live


@pytest.mark.django_db
def test_submitting_for_review_enforces_the_requirements(mali_editor_client, mali):
    response = mali_editor_client.post(
        add_url(LessonsLearnedReportPage, mali), report_without_essentials() | SUBMIT
    )
    assert response.status_code == 200
    shown = error_messages(response)
    for message in MISSING_REPORT_MESSAGES:
        assert message in shown
    assert not LessonsLearnedReportPage.objects.exists()

    response = mali_editor_client.post(
        add_url(LessonsLearnedReportPage, mali), with_slug(report_data()) | SUBMIT
    )
    assert response.status_code == 302
    page = LessonsLearnedReportPage.objects.get(title="Lessons from Mopti")
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_state.workflow.name == "Country review: Mali"


@pytest.mark.django_db
def test_a_country_editor_cannot_publish_an_incomplete_page_by_asking_to_publish(
    mali_editor_client, mali
):
    """Without the publish permission, "publish" is a draft save: nothing goes live."""
    response = mali_editor_client.post(
        add_url(LessonsLearnedReportPage, mali), report_without_essentials() | PUBLISH
    )
    assert response.status_code == 302
    assert not LessonsLearnedReportPage.objects.get(title="Lessons from Mopti").live


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["1850-06-01", "2150-01-01"])
def test_a_publication_year_outside_the_filterable_years_is_refused(admin_client, mali, date):
    data = with_slug(report_data()) | {"publication_date": date}
    response = admin_client.post(add_url(LessonsLearnedReportPage, mali), data | PUBLISH)
    assert response.status_code == 200
    assert (
        "The publication year must be between 1900 and 2100, the years readers can filter by."
        in error_messages(response)
    )
    assert not LessonsLearnedReportPage.objects.exists()


@pytest.mark.django_db
def test_an_unreadable_publication_date_says_what_to_enter(admin_client, mali):
    data = with_slug(report_data()) | {"publication_date": "May 2024"}
    response = admin_client.post(add_url(LessonsLearnedReportPage, mali), data | PUBLISH)
    assert "Enter the publication date as a date, e.g. 2024-05-01." in error_messages(response)


@pytest.mark.django_db
def test_a_practice_brief_needs_its_community_and_practice(admin_client, mali):
    # An empty Draftail editor sends "null".
    data = brief_data() | {"slug": "savings", "community": "", "practice": "null"}
    response = admin_client.post(add_url(PracticeBriefPage, mali), data | PUBLISH)
    assert response.status_code == 200
    shown = error_messages(response)
    assert (
        "Name the community that leads the practice: the brief credits them in listings." in shown
    )
    assert "Describe the practice: it is what readers of a brief come for." in shown


@pytest.mark.django_db
def test_a_policy_note_needs_a_key_message(admin_client, mali):
    data = with_slug(note_data())
    for key in [key for key in data if key.startswith("key_messages-")]:
        del data[key]
    data["key_messages-count"] = "0"
    response = admin_client.post(add_url(PolicyNotePage, mali), data | PUBLISH)
    assert response.status_code == 200
    assert (
        "Add at least one key message: it is what a busy official reads first."
        in error_messages(response)
    )


@pytest.mark.django_db
def test_an_attachment_without_a_document_says_what_to_do(admin_client, mali):
    data = with_slug(report_data()) | {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-document": "",
        "attachments-0-title": "Full report",
        "attachments-0-ORDER": "1",
        "attachments-0-DELETE": "",
        "attachments-0-id": "",
    }
    response = admin_client.post(add_url(LessonsLearnedReportPage, mali), data | PUBLISH)
    assert response.status_code == 200
    assert (
        "Choose the document readers will download, or delete this attachment."
        in error_messages(response)
    )


# --- preview -------------------------------------------------------------------------------------


def preview(client, url, data):
    """Send the form to Wagtail's preview like the editor's preview panel does, then render it."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("model", KNOWLEDGE_MODELS)
def test_a_new_page_of_each_type_can_be_previewed(admin_client, mali, model):
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["knowledge", model._meta.model_name, mali.pk],
    )
    response = preview(
        admin_client, url, with_slug(FORM_DATA[model](title="Previewed before saving"))
    )
    assert response.status_code == 200
    assert "Previewed before saving" in response.content.decode()
    assert not KnowledgePage.objects.filter(title="Previewed before saving").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", KNOWLEDGE_MODELS)
def test_changes_to_an_existing_page_can_be_previewed(admin_client, model):
    page = FACTORIES[model](title="As published")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = FORM_DATA[model](title="As edited") | {"slug": page.slug}
    response = preview(admin_client, url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "As edited" in html
    assert "What we learned." in html
    page.refresh_from_db()
    assert page.title == "As published"


@pytest.mark.django_db
def test_a_draft_without_countries_can_be_previewed(mali_editor_client, mali):
    """Preview defers required fields like a draft save, so editors see their work early."""
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["knowledge", "lessonslearnedreportpage", mali.pk],
    )
    response = preview(mali_editor_client, url, report_without_essentials())
    assert response.status_code == 200
    assert "Lessons from Mopti" in response.content.decode()


@pytest.mark.django_db
def test_a_country_section_can_be_previewed(admin_client, mali):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[mali.pk])
    data = {
        "title": "Mali, previewed",
        "slug": mali.slug,
        "country": mali.country_id,
        "intro": "The Mali team's reports, briefs and notes.",
    }
    response = preview(admin_client, url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mali, previewed" in html
    assert "The Mali team&#x27;s reports, briefs and notes." in html


# --- countries and themes in the page's language -------------------------------------------------


def names(model, language):
    return collated(
        (str(row) for row in model.objects.filter(locale__language_code=language)), language
    )


@pytest.mark.django_db
def test_an_english_page_offers_english_names_in_english_order(admin_client, mali):
    response = admin_client.get(add_url(PracticeBriefPage, mali))
    countries = option_labels(response, "countries")
    assert countries[:4] == ["Afghanistan", "Chad", "Egypt", "Ethiopia"]
    assert countries == names(Country, "en")
    assert len(countries) == 12
    themes = option_labels(response, "themes")
    assert themes == names(Theme, "en")
    assert "Counter-trafficking" in themes


@pytest.mark.django_db
def test_a_french_page_offers_french_names_in_french_order(admin_client):
    response = admin_client.get(add_url(PracticeBriefPage, section_page("fr", "ML")))
    countries = option_labels(response, "countries")
    # Accented names sort with their letter, as French readers expect.
    assert countries[:4] == ["Afghanistan", "Égypte", "Éthiopie", "Irak"]
    assert "Tchad" in countries and "Chad" not in countries
    assert countries == names(Country, "fr")
    themes = option_labels(response, "themes")
    assert themes[0] == "Données et recherche"
    assert "Lutte contre la traite" in themes and "Counter-trafficking" not in themes
    assert themes == names(Theme, "fr")


@pytest.mark.django_db
def test_editing_a_french_page_shows_its_choices_in_french(mali_editor_client):
    page = PolicyNotePageFactory(language="fr", countries=["ML", "NE"], themes=["protection"])
    response = mali_editor_client.get(edit_url(page))
    assert response.status_code == 200
    checked = [
        " ".join(label.stripped_strings)
        for label in soup(response).select("label")
        if label.find("input", attrs={"name": "countries", "checked": True})
    ]
    assert checked == ["Mali", "Niger"]
    assert option_labels(response, "countries") == names(Country, "fr")


# --- keywords ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_keyword_widget_autocompletes_from_the_portals_keywords(mali_editor_client, mali):
    response = mali_editor_client.get(add_url(PolicyNotePage, mali))
    assert response.status_code == 200
    widget = soup(response).select_one('input[name="tags"]')
    assert widget["data-controller"] == "w-tag"
    assert widget["data-w-tag-url-value"] == reverse(
        "wagtailadmin_tag_model_autocomplete", args=["knowledge", "knowledgetag"]
    )
    assert json.loads(widget["data-w-tag-options-value"])["autocompleteOnly"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["admin_client", "mali_editor_client"])
def test_keyword_autocomplete_returns_existing_keywords_matching_the_prefix(request, user):
    client = request.getfixturevalue(user)
    for name in ("zz border", "zz border closure", "Zz Bamako", "youth"):
        KnowledgeTagFactory(name=name)
    url = reverse("wagtailadmin_tag_model_autocomplete", args=["knowledge", "knowledgetag"])
    response = client.get(url, {"term": "ZZ B"})
    assert response.status_code == 200
    assert response.json() == ["Zz Bamako", "zz border", "zz border closure"]
    assert client.get(url, {"term": "zz bor"}).json() == ["zz border", "zz border closure"]


@pytest.mark.django_db
def test_new_keywords_are_created_when_the_page_is_saved(mali_editor_client, mali):
    KnowledgeTagFactory(name="border")
    data = with_slug(report_data()) | {"tags": "Border, a keyword nobody used before"}
    response = mali_editor_client.post(add_url(LessonsLearnedReportPage, mali), data | SUBMIT)
    assert response.status_code == 302
    page = LessonsLearnedReportPage.objects.get(title="Lessons from Mopti")
    revision = page.get_latest_revision_as_object()
    assert sorted(revision.tags.names()) == ["a keyword nobody used before", "border"]
    assert KnowledgeTag.objects.filter(name="a keyword nobody used before").exists()
    assert KnowledgeTag.objects.filter(name__iexact="border").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", [HomePage, KnowledgeIndexPage, ThemeIndexPage], ids=str)
def test_the_other_site_pages_can_be_previewed(admin_client, model):
    page = site_pages()[model]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = {"title": f"{page.title}, previewed", "slug": page.slug, "intro": "Previewed intro."}
    if model is KnowledgeIndexPage:
        data["knowledge_type"] = page.knowledge_type
    response = preview(admin_client, url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{page.title}, previewed" in html
    assert "Previewed intro." in html


@pytest.mark.django_db
def test_a_new_item_in_a_country_section_starts_with_that_country_ticked(admin_client):
    response = admin_client.get(add_url(PracticeBriefPage, section_page("fr", "NE")))
    ticked = [
        label.get_text(strip=True)
        for label in soup(response).select("label")
        if label.find("input", attrs={"name": "countries", "checked": True})
    ]
    assert ticked == ["Niger"]
    regional = admin_client.get(add_url(PracticeBriefPage, section_page("en", None)))
    assert not soup(regional).select('input[name="countries"][checked]')
