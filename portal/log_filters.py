"""Logging filters of the portal (see ``LOGGING`` in the settings)."""

import logging


class RequestRefused(logging.Filter):
    """Logs a refused request on one line, as a warning, without its traceback.

    Django logs every ``SuspiciousOperation`` (a forged ``Host`` header, too many fields, an
    oversized body) at ERROR with the full traceback under ``django.security.*``; scanners send
    such requests all day, and the portal already answered them 400. What was refused and why is
    kept; the stack, identical each time, is not.
    """

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
