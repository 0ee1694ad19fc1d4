"""The API's addresses alone, without the portal's language-prefixed patterns.

API views name this module as their request's ``urlconf`` once the address is resolved, so that
Django's ``LocaleMiddleware`` answers an API 404 as it is, instead of redirecting it to the same
address under ``/en/`` (where Wagtail's catch-all pattern would match and serve an HTML 404).
"""

from django.urls import include, path

urlpatterns = [path("api/", include("api.urls"))]
