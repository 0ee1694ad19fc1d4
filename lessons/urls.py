from django.urls import path

from lessons.views import lesson_view, register_view

urlpatterns = [
    path("", register_view, name="lesson_register"),
    path("<int:pk>/", lesson_view, name="lesson"),
]
