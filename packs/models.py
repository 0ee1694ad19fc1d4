from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OfflinePack(models.Model):
    """The last PDF built of one country's or theme's knowledge in one language
    (``packs.building``). Everything in it is public: it is built from what readers may see."""

    COUNTRY, THEME = "country", "theme"
    SCOPES = [(COUNTRY, _("country")), (THEME, _("theme"))]

    scope = models.CharField(max_length=10, choices=SCOPES)
    key = models.CharField(
        max_length=100, help_text="The country's ISO 3166-1 alpha-2 code or the theme's slug."
    )
    language = models.CharField(max_length=10)
    file = models.FileField(upload_to="offline_packs/")
    #: Of what the pack holds (``PackContents.fingerprint``): a pack is rebuilt when it changes.
    fingerprint = models.CharField(max_length=64)
    item_count = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Bytes.")
    built_at = models.DateTimeField(auto_now=True)
    #: When the last refresh that looked at every pack started (``packs.building``).
    checked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("offline pack")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "language"], name="one_pack_per_scope")
        ]

    def __str__(self):
        return f"{self.scope} {self.key} ({self.language})"

    @property
    def download_name(self):
        """The file name readers save it under, e.g. ``compass-country-ml-fr.pdf``."""
        return f"compass-{self.scope}-{self.key}-{self.language}.pdf".lower()

    @property
    def url(self):
        return reverse("offline_pack", args=[self.scope, self.key])
