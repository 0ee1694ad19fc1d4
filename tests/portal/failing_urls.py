"""A URL configuration whose one page fails, for the tests of the server error page."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path


def failing_view(request):
    raise RuntimeError("a failure the reader must not see")


urlpatterns = i18n_patterns(path("failing/", failing_view))
