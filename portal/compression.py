"""Compression of what the portal writes (pages, feeds, API answers), not of the files it serves."""

from django.middleware.gzip import GZipMiddleware

#: Content types worth compressing: text the portal renders. Documents (PDF, DOCX) and images are
#: compressed already or served as files, whose length and ranges must stay as they are.
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/javascript",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware`` (with its BREACH mitigation, Django 4.2 release notes) for text
    responses only."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
