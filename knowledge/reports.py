"""Admin reports seen through the team's permissions."""

from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView


class TeamPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "Page types usage" report, naming the last edited page of a type only to users
    who may edit that page: it named every section's latest drafts to any country editor."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for item in page_types:
            page = item.last_edited_page
            if page is not None and not page.permissions_for_user(self.request.user).can_edit():
                item.last_edited_page = None
        return page_types
