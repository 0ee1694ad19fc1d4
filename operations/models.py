from django.db import models


class JobRun(models.Model):
    """One run of a scheduled job (``operations.scheduler``): when it started and ended, and
    whether it succeeded. The readiness check reads the newest (``operations.readiness``)."""

    job = models.CharField(max_length=60, db_index=True)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True)
    succeeded = models.BooleanField(null=True, help_text="Empty while the job runs.")
    #: The end of what the job printed, or the error that stopped it.
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}"
