from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development-only measurements (``make bench-search``): commands that print figures.

    Installed by the development settings only; production never loads it.
    """

    name = "bench"
