"""The Wagtail admin seen through the teams' permissions: which pages a user may see in it, a
middleware that keeps other admin screens from naming the rest, and the page types report
(``portal.urls`` puts it before Wagtail's own)."""

import re

from django.db.models import Q
from wagtail.admin.auth import permission_denied
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


#: Admin addresses that name a page by its id in the path (explorer, editing, moving, history,
#: the chooser's browsing) or in ``id`` parameters (bulk actions, the chooser's chosen pages).
_PAGE_IN_PATH = re.compile(r"^/admin/(?:pages|choose-page)/(\d+)/")
_PAGES_IN_QUERY = re.compile(r"^/admin/(?:bulk/wagtailcore/page/|choose-page/chosen-multiple/)")


class HiddenPagesMiddleware:
    """Keeps the admin from naming a page to a user who may not see it (``choosable``).

    Wagtail checks what a user may *do* with a page, but several admin screens show a page's
    title to anyone with admin access who types its id: the explorer of any page, the move
    confirmation, the bulk actions' confirmations, the chooser. A country team could read every
    other section's draft titles by walking through the ids. Requests naming such a page get
    Wagtail's own "permission denied" answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ids = _page_ids(request)
        user = getattr(request, "user", None)
        if ids and user is not None and user.is_authenticated and not _all_choosable(ids, user):
            return permission_denied(request)
        return self.get_response(request)


def _page_ids(request):
    path = request.path_info
    if match := _PAGE_IN_PATH.match(path):
        return {int(match.group(1))}
    if _PAGES_IN_QUERY.match(path):
        values = request.GET.getlist("id")
        return {int(pk) for pk in values if pk.isascii() and pk.isdigit()}
    return set()


def _all_choosable(ids, user):
    return choosable(Page.objects.filter(pk__in=ids), user).count() == len(ids)


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
