"""The admin's code step of signing in and its recovery-codes page; the password forms of private
pages and documents and the admin's password reset behind rate limits."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import views as page_views
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents.views import serve as document_views
from wagtail_2fa.views import LoginView

from portal.clients import ClientRateThrottle, too_many_requests

from .forms import CodeForm, RecoveryCodesForm
from .recovery import new_recovery_codes, recovery_codes_left


class CodeLoginView(LoginView):
    """wagtail-2fa's code step of signing in, with the form that finds the code's device."""

    form_class = CodeForm


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """``/admin/recovery-codes/``: how many codes are left; a POST with the user's password makes
    a new set and shows it once.

    Codes are offered only to users with an authenticator app: codes alone would turn two-factor
    login on with nothing but ten single-use codes to pass it. Only a session that passed
    two-factor login reaches this page (wagtail-2fa's middleware sends the others of a user with
    a device to the code form first).
    """
    has_app = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
    form = RecoveryCodesForm(request, request.POST or None)
    codes = None
    if has_app and request.method == "POST" and form.is_valid():
        codes = new_recovery_codes(request.user)
    context = {
        "codes": codes,
        "form": form,
        "has_app": has_app,
        "left": recovery_codes_left(request.user),
    }
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


def _limited(view, scope, rate_setting, overall_setting=None):
    """``view`` whose POSTs are limited to the rate in ``settings.<rate_setting>`` per client and,
    with ``overall_setting``, to that rate for everyone together; past a limit it answers 429
    with ``Retry-After`` and a message, and ``view`` is not called (no password is checked, no
    email sent)."""

    def limits():
        yield ClientRateThrottle(scope, getattr(settings, rate_setting))
        if overall_setting:
            rate = getattr(settings, overall_setting)
            yield ClientRateThrottle(f"{scope}-all", rate, key=lambda request: "all")

    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            for throttle in limits():
                if not throttle.allow_request(request):
                    return _too_many(request, throttle.wait())
        return view(request, *args, **kwargs)

    return wrapper


def _too_many(request, seconds):
    minutes = max(1, round(seconds / 60))
    message = _("Too many attempts came from your connection. Try again in %(minutes)s minutes.")
    return too_many_requests(request, seconds, message % {"minutes": minutes})


#: Wagtail's own password forms of private pages and of private document collections, and the
#: admin's password reset (which emails whoever owns an address), limited.
page_password = _limited(
    page_views.authenticate_with_password, "page-password", "PASSWORD_FORM_RATE"
)
document_password = _limited(
    document_views.authenticate_with_password, "document-password", "PASSWORD_FORM_RATE"
)
password_reset = _limited(
    PasswordResetView.as_view(),
    "password-reset",
    "PASSWORD_RESET_RATE",
    overall_setting="PASSWORD_RESETS_PER_HOUR",
)
