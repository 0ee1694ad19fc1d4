"""URL configuration: admin and documents without a language prefix, public pages under /<lang>/."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from accounts.views import document_password, page_password, password_reset
from knowledge.admin_messages import PageCreateView, PageEditView, PageWorkflowAction
from knowledge.admin_views import TeamPageTypesUsageReportView
from knowledge.views import countries_view, document_cover, untranslated_view
from packs.views import offline_pack
from search.views import autocomplete_json, search_json, search_view
from vocabulary.urls import document_patterns as vocabulary_documents
from vocabulary.urls import page_patterns as vocabulary_pages

# Admin views of the portal matched before Wagtail's own, at the same addresses, wrapped as Wagtail
# wraps its admin views: the page types report through the teams' permissions; the page editor and
# the review action with messages that say what happened (knowledge.admin_messages).
admin_overrides = [
    path("reports/page-types-usage/", TeamPageTypesUsageReportView.as_view()),
    path(
        "reports/page-types-usage/results/",
        TeamPageTypesUsageReportView.as_view(results_only=True),
    ),
    path(
        "pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
        "<int:parent_page_id>/",
        PageCreateView.as_view(),
    ),
    path("pages/<int:page_id>/edit/", PageEditView.as_view()),
    path(
        "pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        PageWorkflowAction.as_view(),
    ),
]
admin_overrides = decorate_urlpatterns(admin_overrides, require_admin_access)
admin_overrides = decorate_urlpatterns(admin_overrides, display_custom_404)
admin_overrides = decorate_urlpatterns(admin_overrides, never_cache)

urlpatterns = [
    path("", include("seo.urls")),
    path("oai/", include("oai.urls")),
    path("api/", include("api.urls")),
    path("vocabulary/", include(vocabulary_documents)),
    path("admin/password_reset/", password_reset, name="wagtailadmin_password_reset"),
    path("admin/", include(admin_overrides)),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/<int:document_id>/cover/", document_cover, name="document_cover"),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # The development server serves image renditions only: files behind documents (and original
    # images) go through Wagtail's document view and its privacy checks, never straight from disk.
    # In production the web server serves MEDIA_URL/images/ and nothing else of MEDIA_ROOT.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=Path(settings.MEDIA_ROOT) / "images"
    )

urlpatterns += i18n_patterns(
    path("search/", search_view, name="search"),
    path("search/json/", search_json, name="search_json"),
    path("search/autocomplete/", autocomplete_json, name="search_autocomplete"),
    path("feeds/", include("feeds.urls")),
    path("cite/", include("citations.urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("vocabulary/", include(vocabulary_pages)),
    path("register/", include("lessons.urls")),
    path("countries/", countries_view, name="countries"),
    path("offline/<slug:scope>/<slug:key>.pdf", offline_pack, name="offline_pack"),
    path("untranslated/<int:page_id>/", untranslated_view, name="untranslated"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
)
