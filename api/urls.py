"""URLs of the open API, mounted at ``/api/``: version 1 under ``/api/v1/``.

Any other address under ``/api/`` answers 404 with the API's error body.
"""

from django.urls import include, path, re_path

from . import lessons, views
from .errors import not_found

app_name = "api"

v1_patterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("items/", views.ItemListView.as_view(), name="items"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("lessons/", lessons.LessonListView.as_view(), name="lessons"),
    path("lessons/<int:pk>/", lessons.LessonDetailView.as_view(), name="lesson"),
    path("countries/", views.CountryListView.as_view(), name="countries"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
    path("types/", views.TypeListView.as_view(), name="types"),
]

urlpatterns = [
    path("v1/", include(v1_patterns)),
    path(
        "v1/schema/",
        views.SchemaView.as_view(patterns=[path("api/v1/", include(v1_patterns))]),
        name="schema",
    ),
    re_path(r"^(?:.*/)?$", not_found),
]
