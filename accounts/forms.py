"""The second step of signing in (the authenticator app's code, or a recovery code), and the form
that makes new recovery codes."""

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa.forms import TokenForm

from .recovery import DEVICE_NAME

INVALID_CODE = _("Invalid code")


class CodeForm(TokenForm):
    """wagtail-2fa's code form, checking the code against the devices it can come from.

    Why our own code: django-otp 1.7 checks a code against one chosen device only (trying every
    device would count a failure against each), and wagtail-2fa's form chooses none, so every
    code was refused. The code's shape tells: digits come from an authenticator app (TOTP,
    RFC 6238; each of the user's phones is tried), anything else is a recovery code. On success
    ``user.otp_device`` is the device that took it, as wagtail-2fa's view expects.
    """

    def clean(self):
        """Accept the code if one of the user's devices of its kind verifies it."""
        token = "".join((self.cleaned_data.get("otp_token") or "").split())
        self.user.otp_device = None
        for device in self._devices_for(token):
            allowed, _reason = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                self.user.otp_device = device
                return self.cleaned_data
        raise forms.ValidationError(INVALID_CODE, code="invalid_token")

    def _devices_for(self, token):
        if token.isascii() and token.isdigit():
            return TOTPDevice.objects.devices_for_user(self.user, confirmed=True)
        return StaticDevice.objects.filter(user=self.user, name=DEVICE_NAME)


class RecoveryCodesForm(forms.Form):
    """Asks for the user's password before making new recovery codes: a session left open is not
    enough to replace them."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        """The password, if it is the user's; refused otherwise."""
        password = self.cleaned_data["password"]
        username = self.request.user.get_username()
        if authenticate(self.request, username=username, password=password) is None:
            raise forms.ValidationError(_("This is not your password."))
        return password
