"""URL of the OAI-PMH endpoint, mounted at ``/oai/`` without a language prefix."""

from django.urls import path

from oai.views import endpoint

app_name = "oai"
urlpatterns = [path("", endpoint, name="endpoint")]
