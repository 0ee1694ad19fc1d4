"""The admin's recovery-codes page and its place in the account menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .views import CodeLoginView, recovery_codes


@hooks.register("register_admin_urls")
def account_urls():
    """The recovery-codes page, and the code step of signing in in place of wagtail-2fa's (this
    app's hooks come first, so its URL is matched first)."""
    return [
        path("recovery-codes/", recovery_codes, name="accounts_recovery_codes"),
        path("2fa/auth", CodeLoginView.as_view(), name="wagtail_2fa_auth"),
    ]


@hooks.register("register_account_menu_item")
def recovery_codes_menu_item(request):
    """The recovery-codes page, beside wagtail-2fa's devices in the account menu."""
    return {
        "url": reverse("accounts_recovery_codes"),
        "label": _("Recovery codes"),
        "help_text": _("Single-use codes to sign in when your authenticator app is not at hand."),
    }
