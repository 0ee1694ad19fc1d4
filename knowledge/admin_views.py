"""Wagtail admin views seen through the teams' permissions: the page types report and the page
chooser's views that name pages by id. ``portal.urls`` puts them before Wagtail's own."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.admin.views import chooser
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from knowledge.visibility import visible


def choosable(pages, user):
    """``pages`` narrowed to those ``user`` may see in a chooser: every page readers see, and the
    pages of the user's own sections (with their ancestors); all of them for administrators."""
    if user.is_superuser:
        return pages
    own = page_permission_policy.explorable_instances(user)
    return pages.filter(
        Q(pk__in=visible(Page.objects.all()).values("pk")) | Q(pk__in=own.values("pk"))
    )


def _refuse_hidden(request, ids):
    """Raise ``PermissionDenied`` unless every page of ``ids`` is choosable by the user (the
    admin then sends the user back to the dashboard with a message)."""
    ids = {int(pk) for pk in map(str, ids) if pk.isascii() and pk.isdigit()}
    if ids and choosable(Page.objects.filter(pk__in=ids), request.user).count() != len(ids):
        raise PermissionDenied


class ChooserBrowseView(chooser.BrowseView):
    """Browsing the chooser into a page names it (as the parent of the listing)."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            _refuse_hidden(request, [parent_page_id])
        return super().get(request, parent_page_id)


class ChooserChosenMultipleView(chooser.ChosenMultipleView):
    """Answers with the titles of the pages whose ids it is given."""

    def get(self, request):
        _refuse_hidden(request, request.GET.getlist("id"))
        return super().get(request)


class TeamPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "Page types usage" report, naming the last edited page of a type only to users
    who may edit that page (the column stays empty for the others): it named every section's
    latest drafts to any country editor."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for item in page_types:
            page = item.last_edited_page
            if page is not None and not page.permissions_for_user(self.request.user).can_edit():
                item.last_edited_page = None
        return page_types
