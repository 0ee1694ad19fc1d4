"""The Content Security Policy of the public site and of the admin (django-csp).

Public pages run no inline script or style, so their policy allows only the portal's own files
(``CONTENT_SECURITY_POLICY``). Wagtail's admin needs inline styles and scripts and ``blob:``/
``data:`` images for its editors and previews; it gets ``ADMIN_CONTENT_SECURITY_POLICY``, which
still forbids every other origin.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy under ``/admin/``."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def _is_admin(request):
    return request.path_info.startswith("/admin/")
