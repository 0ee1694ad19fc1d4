"""Actions in the admin: Wagtail's model views (list, add, edit, delete, history), scoped to the
items each user may edit (``lessons.permissions``). The list is also the follow-up report of
open, due and overdue actions by country and theme, exported to CSV and XLSX by Wagtail's own
spreadsheet export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet

from knowledge.models import Country, KnowledgePage, Theme
from knowledge.visibility import reader_language
from lessons.models import Action, ActionStatus, Lesson
from lessons.permissions import ActionPermissionPolicy, editable_actions, editable_lessons
from lessons.selectors import describe_actions, shown_lessons

#: What starts a formula in a spreadsheet's cell (OWASP, "CSV Injection").
FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: ``?state=``: where actions stand against their due dates (``ActionQuerySet``).
STATES = (
    ("open", _("Open")),
    ("due", _("Due soon")),
    ("overdue", _("Overdue")),
)


def _live_versions():
    return KnowledgePage.objects.filter(live=True)


def _items_tagged(**lookup):
    return KnowledgePage.objects.filter(**lookup).values("translation_key")


class ActionFilterSet(WagtailFilterSet):
    """Filters of the follow-up report: state, status, the item's country and theme, public."""

    state = django_filters.ChoiceFilter(label=_("State"), choices=STATES, method="filter_state")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    country = django_filters.ChoiceFilter(
        label=_("Country"), method="filter_country", choices=lambda: _term_choices(Country, "code")
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), method="filter_theme", choices=lambda: _term_choices(Theme, "slug")
    )
    public = django_filters.BooleanFilter(label=_("Public"))

    class Meta:
        model = Action
        fields = ["state", "status", "country", "theme", "public"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "due":
            return queryset.due(today)
        if value == "overdue":
            return queryset.overdue(today)
        return queryset.open()

    def filter_country(self, queryset, name, value):
        return queryset.filter(lesson__item_key__in=_items_tagged(countries__code=value))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(lesson__item_key__in=_items_tagged(themes__slug=value))


def _term_choices(model, key):
    """``[(code or slug, name)]`` of a taxonomy snippet, named in the reader's language."""
    terms = model.objects.filter(locale__language_code=reader_language())
    return [(getattr(term, key), term.name) for term in terms.order_by("name")]


class ActionForm(WagtailAdminModelForm):
    """An action's form: its lesson is one of those the user may follow, named by statement."""

    #: Chosen with a chooser, which sends an id; a chooser re-shows a bound value by reading it
    #: as one, so anything else is dropped and refused before the form is shown again.
    CHOSEN_BY_ID = ("evidence_page", "evidence_document")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.forged_ids = [
            name
            for name in self.CHOSEN_BY_ID
            if self.is_bound and not str(self.data.get(name) or "0").isdigit()
        ]
        if self.forged_ids:
            self.data = self.data.copy()
            for name in self.forged_ids:
                self.data[name] = ""
        if "lesson" in self.fields and self.for_user is not None:
            # An action keeps its lesson, even one withdrawn from its item since.
            lessons = Lesson.objects.filter(
                Q(pk__in=editable_lessons(self.for_user).values("pk"))
                | Q(pk=self.instance.lesson_id)
            )
            shown = shown_lessons(lessons, reader_language(), _live_versions())
            self.fields["lesson"].queryset = lessons
            self.fields["lesson"].choices = [("", "---------")] + [
                (x.record.pk, f"{x.record} · {x.statement[:120]}") for x in shown
            ]
        if "country" in self.fields:
            self.fields["country"].queryset = Country.objects.filter(
                locale__language_code=reader_language()
            ).order_by("name")

    class Meta(WagtailAdminModelForm.Meta):  # Wagtail's widgets: choosers, date inputs
        model = Action
        fields = "__all__"  # those the panels name
        # Not the snippet chooser: country teams may not open the taxonomy's snippets.
        widgets = {"country": forms.Select}

    def clean(self):
        data = super().clean()
        for name in self.forged_ids:
            self.add_error(name, _("Choose it with the chooser."))
        return data


class ActionIndexView(generic.IndexView):
    """The follow-up report: the user's actions (``editable_actions``), each with its lesson's
    statement and its item's title, countries and themes (``describe_actions``: a fixed number
    of queries per page or export)."""

    def get_base_queryset(self):
        return editable_actions(self.request.user).select_related("lesson", "country")

    def get_table(self, object_list):
        return super().get_table(describe_actions(object_list, reader_language(), _live_versions()))

    def as_spreadsheet(self, queryset, spreadsheet_format):
        self._described = {
            action.pk: action
            for action in describe_actions(queryset, reader_language(), _live_versions())
        }
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def to_row_dict(self, item):
        return super().to_row_dict(self._described[item.pk])

    def preprocess_field_value(self, field, value, export_format):
        """A text a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return first: OWASP, "CSV Injection") is written with a ``'`` before it, so an
        action's description cannot run in the reviewer's spreadsheet. XLSX cells are typed and
        need none."""
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str) and value[:1] in FORMULA:
            return f"'{value}"
        return value


class ActionCreateView(generic.CreateView):
    """A new action, its lesson chosen from ``?lesson=`` when the lesson's page links here."""

    def get_initial(self):
        """``?lesson=<id>`` (the lesson's admin page links here) chooses the lesson."""
        return {**super().get_initial(), "lesson": self.request.GET.get("lesson")}


class _ScopedObjectMixin:
    """Another section's action is not this user's to see: 404, as if it did not exist (the
    edit and delete views find their action in ``get_queryset``)."""

    def get_queryset(self):
        return editable_actions(self.request.user)


class _ScopedBaseObjectMixin:
    """The same for the history and usage views, which find it in ``get_base_object_queryset``
    (their ``get_queryset`` lists log entries and references)."""

    def get_base_object_queryset(self):
        return editable_actions(self.request.user)


class ActionEditView(_ScopedObjectMixin, generic.EditView):
    pass


class ActionDeleteView(_ScopedObjectMixin, generic.DeleteView):
    pass


class ActionHistoryView(_ScopedBaseObjectMixin, HistoryView):
    pass


class ActionUsageView(_ScopedBaseObjectMixin, UsageView):
    pass


class ActionViewSet(ModelViewSet):
    """``/admin/actions/``: the actions of the lessons a user follows, and the report of them."""

    model = Action
    permission_policy = ActionPermissionPolicy()
    icon = "tasks"
    menu_label = _("Actions")
    add_to_admin_menu = True
    menu_order = 265
    copy_view_enabled = False
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    delete_view_class = ActionDeleteView
    history_view_class = ActionHistoryView
    usage_view_class = ActionUsageView
    filterset_class = ActionFilterSet
    list_display = [
        TitleColumn("description", label=_("Action"), url_name="lessons_action:edit"),
        Column("statement", label=_("Lesson")),
        Column("item_countries", label=_("Countries")),
        Column("owner", label=_("Owner")),
        DateColumn("due_date", label=_("Due date")),
        Column("get_status_display", label=_("Status")),
        Column("public", label=_("Public")),
    ]
    list_export = [
        "pk",
        "description",
        "lesson_id",
        "statement",
        "item_title",
        "item_countries",
        "item_themes",
        "owner",
        "owner_email",
        "due_date",
        "get_status_display",
        "done_on",
        "country",
        "evidence_url",
        "public",
    ]
    export_headings = {
        "pk": _("Action id"),
        "description": _("Action"),
        "lesson_id": _("Lesson id"),
        "statement": _("Lesson"),
        "item_title": _("Item"),
        "item_countries": _("Countries"),
        "item_themes": _("Themes"),
        "get_status_display": _("Status"),
        "country": _("Applied in"),
    }
    export_filename = "actions"
    edit_handler = ObjectList(
        [
            FieldPanel("lesson"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("owner"), FieldPanel("owner_email"), FieldPanel("owner_language")],
                heading=_("Owner"),
            ),
            FieldRowPanel([FieldPanel("due_date"), FieldPanel("status"), FieldPanel("done_on")]),
            FieldPanel("country"),
            MultiFieldPanel(
                [
                    FieldPanel("evidence_url"),
                    FieldPanel("evidence_document"),
                    FieldPanel("evidence_page"),
                ],
                heading=_("Evidence that it was done"),
            ),
            FieldPanel("public"),
        ],
        base_form_class=ActionForm,
    )
