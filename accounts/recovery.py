"""Recovery codes: single-use codes that stand in for the authenticator app when it is lost.

They are django-otp static tokens on one ``StaticDevice`` per user; the code step of signing in
(``accounts.forms.CodeForm``) checks anything that is not digits against them, so a recovery code
is typed where the app's code would be, and is used up by it (django-otp deletes a static token
once it verifies).
"""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

DEVICE_NAME = "Recovery codes"
#: Codes per set; each is 16 base32 characters (django-otp's ``StaticToken.random_token``,
#: 80 random bits), far beyond guessing within the lockout limits.
CODES_PER_SET = 10


def new_recovery_codes(user):
    """Replace ``user``'s recovery codes with a new set; returns the codes (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(CODES_PER_SET)]
    device.token_set.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    """How many unused recovery codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__name=DEVICE_NAME).count()
