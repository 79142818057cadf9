"""The mistake journal: every miss with the learner's reason, open until answered right twice in a row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from interviews.models.bank import Question
from interviews.models.quiz import Answer


class JournalEntryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)


class JournalEntry(models.Model):
    RIGHT_IN_A_ROW = 2  # right answers in a row that resolve an entry

    class Reason(models.TextChoices):
        DIDNT_KNOW = "didnt_know", "Didn't know it"
        MISREAD = "misread", "Misread the question"
        MIXED_UP = "mixed_up", "Mixed it up with something else"
        CARELESS = "careless", "Careless slip"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="journal_entry")
    reason = models.CharField("why I missed it", max_length=12, choices=Reason, blank=True)
    note = models.CharField("in my own words", max_length=200, blank=True)
    right_in_a_row = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["user", "resolved_at", "-created_at"], name="journal_user_status"),
            models.Index(fields=["user", "question"], name="journal_user_question"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["", "didnt_know", "misread", "mixed_up", "careless"]),
                name="journal_reason_known",
            ),
        ]

    def __str__(self):
        return f"Miss by {self.user_id} on {self.question_id} ({'open' if self.is_open else 'resolved'})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
