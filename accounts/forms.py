"""The second step of signing in: the code from the authenticator app, or a recovery code."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa.forms import TokenForm

from .recovery import DEVICE_NAME


class CodeForm(TokenForm):
    """wagtail-2fa's code form, told which of the user's devices the code belongs to.

    Why our own code: django-otp 1.7 checks a code against one chosen device only (trying every
    device would count a failure against each), and wagtail-2fa's form chooses none, so every
    code was refused. The code's shape tells: digits come from the authenticator app (TOTP,
    RFC 6238), anything else is a recovery code.
    """

    def clean(self):
        token = "".join((self.cleaned_data.get("otp_token") or "").split())
        device = self._device_for(token)
        if device is None:
            raise forms.ValidationError(_("Invalid code"), code="invalid_token")
        self.cleaned_data.update(otp_token=token, otp_device=device.persistent_id)
        return super().clean()

    def _device_for(self, token):
        if token.isdigit():
            return TOTPDevice.objects.devices_for_user(self.user, confirmed=True).first()
        return StaticDevice.objects.filter(user=self.user, name=DEVICE_NAME).first()
