"""Settings that name a function of an app higher up (a hook: e.g. the vocabulary's query
expansion, which search calls without depending on the vocabulary), and their system check."""

from django.conf import settings
from django.core.checks import Error
from django.utils.module_loading import import_string


def hook_errors(name, error_id):
    """Django system-check errors for setting ``name``: ``[Error]`` when it names a function that
    cannot be imported, else ``[]`` (also when it is empty: the hook is off)."""
    path = getattr(settings, name)
    if not path:
        return []
    try:
        import_string(path)
    except ImportError as error:
        return [Error(f"{name}: {error}", id=error_id)]
    return []
