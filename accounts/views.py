"""The recovery-codes page of the admin, and the password forms of private pages and documents
behind a rate limit."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views
from wagtail_2fa.views import LoginView

from portal.clients import ClientRateThrottle

from .forms import CodeForm
from .recovery import new_recovery_codes, recovery_codes_left


class CodeLoginView(LoginView):
    """wagtail-2fa's code step of signing in, with the form that finds the code's device."""

    form_class = CodeForm


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """``/admin/recovery-codes/``: how many codes are left; POST makes a new set and shows it once.

    Only a session that passed two-factor login may see or replace codes (wagtail-2fa's middleware
    sends other sessions of a user who has a device to the code form first).
    """
    codes = new_recovery_codes(request.user) if request.method == "POST" else None
    context = {"codes": codes, "left": recovery_codes_left(request.user)}
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


def _throttled(view, scope):
    """``view`` with at most ``PASSWORD_FORM_RATE`` password submissions per client address;
    past it the form answers 429 and says when to try again."""

    def wrapper(request, *args, **kwargs):
        throttle = ClientRateThrottle(scope, settings.PASSWORD_FORM_RATE)
        if request.method == "POST" and not throttle.allow_request(request):
            minutes = max(1, round((throttle.wait() or 60) / 60))
            context = {
                "message": _(
                    "Too many passwords were tried from your connection. Try again in "
                    "%(minutes)s minutes."
                )
                % {"minutes": minutes}
            }
            response = TemplateResponse(request, "accounts/too_many_attempts.html", context)
            response.status_code = 429
            response["Retry-After"] = str(minutes * 60)
            return response
        return view(request, *args, **kwargs)

    return wrapper


#: Wagtail's own password forms of private pages and of private document collections, limited.
page_password = _throttled(page_views.authenticate_with_password, "page-password")
document_password = _throttled(document_views.authenticate_with_password, "document-password")
