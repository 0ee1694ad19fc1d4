"""``/api/v1/lessons/``: the lesson register, as the register page searches it
(``lessons.register``), with each lesson's status and public actions.

A lesson::

    {"id": 12, "url": "https://.../en/register/12/", "kind": "recommendation",
     "statement": "...", "explanation": "...", "audience": "", "language": "en",
     "status": "validated", "status_since": "2025-03-02T10:00:00Z",
     "item": {"id": 42, "title": "...", "url": "https://.../en/mali/...#entry-<block id>",
              "type": "lessons_report", "publication_date": "2024-05-01"},
     "countries": [{"code": "ML", "name": "Mali"}], "themes": [{"slug": "...", "name": "..."}],
     "actions": [{"description": "...", "owner": "...", "status": "done", "due_date": "...",
                  "done_on": "2025-05-01", "applied_in": {"code": "NE", "name": "Niger"},
                  "evidence": [{"title": "...", "url": "https://..."}]}]}

Only public actions are listed, their evidence only where readers may follow it
(``lessons.selectors.shown_actions``): internal actions never reach the API.
"""

from django import forms
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from wagtail.rich_text import get_text_for_indexing

from knowledge.blocks import AUDIENCES
from lessons.forms import RegisterForm
from lessons.models import ActionStatus, Kind, Lesson, Status
from lessons.register import find_lessons
from lessons.selectors import public_lessons, shown_lessons
from portal.addresses import absolute, page_address

from .errors import ParameterNotFound
from .params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    FieldsField,
    LanguageField,
    WholeNumberField,
    read_params,
)
from .serializers import CountryRefSerializer, ErrorSerializer, ThemeRefSerializer
from .views import MAX_ID, ApiView, page_link

LESSON_FIELDS = (
    "id",
    "url",
    "kind",
    "statement",
    "explanation",
    "audience",
    "language",
    "status",
    "status_since",
    "item",
    "countries",
    "themes",
    "actions",
)
_ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer}


class LessonFieldsForm(forms.Form):
    """``/api/v1/lessons/<id>/``'s parameters."""

    fields = FieldsField(LESSON_FIELDS, help_text="Comma-separated lesson fields (default all).")
    prefer_language = LanguageField(help_text="Version shown of the lesson (default en).")


class LessonListForm(RegisterForm):
    """``/api/v1/lessons/``'s parameters: the register's query (the site's own form), paging,
    field selection and the preferred version's language."""

    page = WholeNumberField(1, MAX_PAGE, help_text=f"Page, from 1 to {MAX_PAGE:,}.")
    page_size = WholeNumberField(
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
        help_text=f"Lessons per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
    )
    fields = LessonFieldsForm.base_fields["fields"]
    prefer_language = LessonFieldsForm.base_fields["prefer_language"]


class ItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The item's id; /api/v1/items/<id>/.")
    title = serializers.CharField()
    url = serializers.URLField(help_text="The lesson's place in the item's page.")
    type = serializers.CharField()
    publication_date = serializers.DateField()


class EvidenceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class ActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.CharField(help_text="A team, an organisation or a named role.")
    status = serializers.ChoiceField(choices=ActionStatus.values)
    due_date = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    applied_in = CountryRefSerializer(allow_null=True)
    evidence = EvidenceSerializer(many=True)


class LessonSerializer(serializers.Serializer):
    """A lesson of a published item (a ``ShownLesson``), or the ``fields`` of it asked for."""

    id = serializers.SerializerMethodField(help_text="Stable id; /api/v1/lessons/<id>/.")
    url = serializers.SerializerMethodField(help_text="Absolute address of the lesson's page.")
    kind = serializers.SerializerMethodField()
    statement = serializers.CharField(
        required=False, help_text="In the language of the version shown."
    )
    explanation = serializers.SerializerMethodField(help_text="Plain text, or empty.")
    audience = serializers.SerializerMethodField(help_text="Whom a recommendation addresses.")
    language = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_since = serializers.DateTimeField(
        source="since",
        required=False,
        allow_null=True,
        help_text="When it reached its status; null: never moved.",
    )
    item = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="Its public actions, by due date.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(self.context.get("fields", LESSON_FIELDS)):
            self.fields.pop(name)

    def _absolute(self, path):
        return absolute(path, self.context["request"])

    @extend_schema_field(serializers.IntegerField())
    def get_id(self, lesson):
        return lesson.record.pk

    @extend_schema_field(serializers.URLField())
    def get_url(self, lesson):
        return self._absolute(f"/{lesson.page.locale.language_code}/register/{lesson.record.pk}/")

    @extend_schema_field(serializers.ChoiceField(choices=Kind.values))
    def get_kind(self, lesson):
        return lesson.record.kind

    @extend_schema_field(serializers.CharField())
    def get_explanation(self, lesson):
        return get_text_for_indexing(str(lesson.explanation)) if lesson.explanation else ""

    @extend_schema_field(serializers.ChoiceField(choices=[""] + [c for c, _n in AUDIENCES]))
    def get_audience(self, lesson):
        return lesson.record.audience

    @extend_schema_field(serializers.CharField())
    def get_language(self, lesson):
        return lesson.page.locale.language_code

    @extend_schema_field(serializers.ChoiceField(choices=Status.values))
    def get_status(self, lesson):
        return lesson.record.status

    @extend_schema_field(ItemRefSerializer())
    def get_item(self, lesson):
        page = lesson.page
        return {
            "id": page.pk,
            "title": page.title,
            "url": f"{page_address(page, self.context['request'])}#{lesson.anchor}",
            "type": page.knowledge_type,
            "publication_date": page.publication_date,
        }

    @extend_schema_field(CountryRefSerializer(many=True))
    def get_countries(self, lesson):
        return [{"code": c.code, "name": c.name} for c in lesson.page.countries.all()]

    @extend_schema_field(ThemeRefSerializer(many=True))
    def get_themes(self, lesson):
        return [{"slug": t.slug, "name": t.name} for t in lesson.page.themes.all()]

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, lesson):
        return [self._action(shown) for shown in lesson.actions]

    def _action(self, shown):
        action = shown.action
        evidence = []
        if shown.evidence_page:
            evidence.append(
                {"title": shown.evidence_page.title, "url": self._absolute(shown.evidence_page.url)}
            )
        if shown.evidence_document:
            document = shown.evidence_document
            evidence.append({"title": document.title, "url": self._absolute(document.url)})
        if action.evidence_url:
            evidence.append({"title": action.evidence_url, "url": action.evidence_url})
        country = action.country
        return {
            "description": action.description,
            "owner": action.owner,
            "status": action.status,
            "due_date": action.due_date,
            "done_on": action.done_on,
            "applied_in": {"code": country.code, "name": country.name} if country else None,
            "evidence": evidence,
        }


class LessonListSerializer(serializers.Serializer):
    """A page of lessons with its paging links."""

    count = serializers.IntegerField(help_text="Lessons matching the query, on every page.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LessonSerializer(many=True)


class LessonListView(ApiView):
    """``/api/v1/lessons/?q=...&status=validated&country=ML&page=2``: the lesson register.

    Filters as on the register (values of one parameter ORed, parameters ANDed), free text
    through the search service, paging and field selection. Errors: 400 ``bad_parameter``
    naming the parameter; 404 ``not_found`` with ``parameter: page`` past the last page."""

    parameters_form = LessonListForm

    @extend_schema(
        responses={200: LessonListSerializer, **_ERRORS},
        summary="Lessons and recommendations of published items, with their status and actions",
        operation_id="lessons_list",
    )
    def get(self, request):
        form = read_params(LessonListForm, request.query_params)
        data = form.cleaned_data
        ids = find_lessons(form.register_query(data["prefer_language"])).lesson_ids
        size, number = data["page_size"], data["page"]
        pages = max(1, -(-len(ids) // size))
        if number > pages:
            raise ParameterNotFound("page", f"There are {pages} pages of results.")
        shown = _shown(ids[(number - 1) * size : number * size], data["prefer_language"])
        context = {"request": request, "fields": data["fields"]}
        return Response(
            {
                "count": len(ids),
                "page": number,
                "pages": pages,
                "page_size": size,
                "next": page_link(request, number + 1) if number < pages else None,
                "previous": page_link(request, number - 1) if number > 1 else None,
                "results": LessonSerializer(shown, many=True, context=context).data,
            }
        )


class LessonDetailView(ApiView):
    """``/api/v1/lessons/<id>/``: one lesson of a published item; 404 ``not_found`` else."""

    parameters_form = LessonFieldsForm

    @extend_schema(
        responses={200: LessonSerializer, **_ERRORS},
        summary="One lesson, with its status and public actions",
        operation_id="lessons_retrieve",
    )
    def get(self, request, pk):
        data = read_params(LessonFieldsForm, request.query_params).cleaned_data
        ids = public_lessons().filter(pk=pk) if pk <= MAX_ID else Lesson.objects.none()
        shown = _shown(list(ids.values_list("pk", flat=True)), data["prefer_language"])
        if not shown:
            raise NotFound(_("No published lesson has this id."))
        context = {"request": request, "fields": data["fields"]}
        return Response(LessonSerializer(shown[0], context=context).data)


def _shown(ids, language):
    """``[ShownLesson]`` of lesson ``ids`` in their order, their items' countries and themes
    fetched in bulk: a page of lessons costs the same queries whatever its size."""
    records = Lesson.objects.in_bulk(ids)
    shown = shown_lessons([records[pk] for pk in ids], language)
    prefetch_related_objects([lesson.page for lesson in shown], "countries", "themes")
    return shown
