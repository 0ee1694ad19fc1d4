"""The schema.org description of a lesson's page (``/<lang>/register/<id>/``), as JSON-LD.

schema.org has no type for a lesson or a recommendation; it is a ``CreativeWork`` that
``isPartOf`` its item (a ``Report``), with its kind as ``genre``, its status as
``creativeWorkStatus`` and its text. Its public actions are ``Action``s with ``actionStatus``
(https://schema.org/ActionStatusType: done is ``CompletedActionStatus``, in progress
``ActiveActionStatus``, planned ``PotentialActionStatus``, dropped ``FailedActionStatus``), the
owner as ``agent`` and the country it was applied in as ``location``, listed as its
``potentialAction``, the only property schema.org gives a work for actions about it.
"""

from wagtail.rich_text import get_text_for_indexing

from lessons.models import ActionStatus
from portal.addresses import page_address

from .schema import schema_type

ACTION_STATUS = {
    ActionStatus.PLANNED: "PotentialActionStatus",
    ActionStatus.IN_PROGRESS: "ActiveActionStatus",
    ActionStatus.DONE: "CompletedActionStatus",
    ActionStatus.DROPPED: "FailedActionStatus",
}


def lesson_json_ld(request, lesson, url):
    """The schema.org description of ``lesson`` (a ``lessons.selectors.ShownLesson``) at
    ``url``, its absolute address: a dict for ``json_ld_script``."""
    page = lesson.page
    item_url = page_address(page, request) or ""
    explanation = get_text_for_indexing(str(lesson.explanation)) if lesson.explanation else ""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": lesson.statement,
        "text": " ".join(filter(None, [lesson.statement, explanation])),
        "genre": lesson.record.get_kind_display(),
        "creativeWorkStatus": lesson.record.get_status_display(),
        "inLanguage": page.locale.language_code,
        "datePublished": page.publication_date,
        "isPartOf": {
            "@type": schema_type(page),
            "@id": item_url,
            "url": f"{item_url}#{lesson.anchor}" if item_url else "",
            "name": page.title,
        },
        "spatialCoverage": [
            {"@type": "Country", "name": country.name, "identifier": country.code}
            for country in page.countries.all()
        ],
        "potentialAction": [_action(shown) for shown in lesson.actions],
    }
    return {key: value for key, value in data.items() if value not in ([], "", None)}


def _action(shown):
    action = shown.action
    data = {
        "@type": "Action",
        "name": action.description,
        "agent": {"@type": "Organization", "name": action.owner},
        "actionStatus": f"https://schema.org/{ACTION_STATUS[action.status]}",
        "endTime": action.done_on,
    }
    if action.country:
        data["location"] = {
            "@type": "Country",
            "name": action.country.name,
            "identifier": action.country.code,
        }
    return {key: value for key, value in data.items() if value not in ("", None)}
