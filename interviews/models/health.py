"""A single row that /healthz rewrites to prove the database accepts writes."""

from django.db import models


class HealthProbe(models.Model):
    # Rewritten in place on every probe, so the check writes without ever growing the database.
    checked_at = models.DateTimeField()

    def __str__(self):
        return f"health probe at {self.checked_at:%Y-%m-%d %H:%M:%S}"
