"""Quizzes: the questions drawn for one sitting, and the learner's answers to them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from interviews.models.bank import Question


class Quiz(models.Model):
    # Exam answers that arrive this long after the deadline still count (network, slow phones).
    GRACE = timedelta(seconds=5)
    MIN_SIZE, MAX_SIZE = 5, 50

    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        EXAM = "exam", "Exam"
        INTERVIEW = "interview", "Interview"
        REVIEW = "review", "Review"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"
        ABANDONED = "abandoned", "Abandoned"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quizzes")
    title = models.CharField(max_length=120)
    mode = models.CharField(max_length=10, choices=Mode)
    status = models.CharField(max_length=12, choices=Status, default=Status.IN_PROGRESS)
    size = models.PositiveSmallIntegerField()
    answered_count = models.PositiveSmallIntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    # Questions a curator withdrew before the learner answered them: not asked, not counted.
    skipped_count = models.PositiveSmallIntegerField(default=0)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    per_question_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "quizzes"
        indexes = [models.Index(fields=["user", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=["practice", "exam", "interview", "review"]), name="quiz_mode_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "finished", "abandoned"]), name="quiz_status_known"
            ),
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=50), name="quiz_size_in_range"),
            models.CheckConstraint(condition=Q(answered_count__lte=models.F("size")), name="quiz_answered_le_size"),
            models.CheckConstraint(condition=Q(skipped_count__lte=models.F("size")), name="quiz_skipped_le_size"),
            models.CheckConstraint(
                condition=Q(correct_count__lte=models.F("answered_count")), name="quiz_correct_le_answered"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_mode_display()}, {self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return self.url

    @cached_property
    def url(self) -> str:
        return reverse("interviews:quiz-detail", args=[self.pk])  # the card writes it several times

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_exam(self) -> bool:
        return self.mode == self.Mode.EXAM

    @property
    def counted_size(self) -> int:
        """The questions that count towards the score: those drawn, less those withdrawn unanswered."""
        return self.size - self.skipped_count

    @property
    def progress_percent(self) -> int:
        return round(100 * self.answered_count / self.counted_size) if self.counted_size else 100

    def score(self) -> int:
        return round(100 * self.correct_count / self.counted_size) if self.counted_size else 0

    def is_past_deadline(self, now) -> bool:
        return self.deadline is not None and now > self.deadline + self.GRACE

    def seconds_left(self, now) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    def finish(self, *, now, save=True):
        self.status = self.Status.FINISHED
        self.finished_at = now
        self.score_percent = self.score()
        if save:
            self.save(update_fields=["status", "finished_at", "score_percent"])

    def abandon(self, *, now):
        self.status = self.Status.ABANDONED
        self.finished_at = now
        self.save(update_fields=["status", "finished_at"])


class QuizQuestion(models.Model):
    """One drawn question, in the order the learner sees it."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    flagged = models.BooleanField(default=False)
    # Interview drill-downs: this item's place in its follow-up chain (1 opens it) and the chain's length.
    chain_step = models.PositiveSmallIntegerField(null=True, blank=True)
    chain_length = models.PositiveSmallIntegerField(null=True, blank=True)
    # A curator withdrew the question before it was answered, so it was skipped (see skip_withdrawn).
    skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="quiz_item_position_unique"),
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_item_question_unique"),
        ]

    def __str__(self):
        return f"{self.quiz_id}#{self.position}"


class Answer(models.Model):
    class Rating(models.TextChoices):
        AGAIN = "again", "Again"
        HARD = "hard", "Hard"
        GOOD = "good", "Good"
        EASY = "easy", "Easy"

    class Confidence(models.IntegerChoices):
        SURE = 3, "Sure"
        THINK_SO = 2, "Think so"
        GUESSING = 1, "Guessing"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="answers")
    item = models.OneToOneField(QuizQuestion, on_delete=models.CASCADE, related_name="answer")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    question_version = models.PositiveIntegerField()
    selected_choice_ids = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=5000)
    # None for an open question until the learner rates themselves.
    is_correct = models.BooleanField(null=True)
    self_rating = models.CharField(max_length=5, choices=Rating, blank=True)
    # The learner claimed a typed answer marked wrong was right ("I was right"): it now counts as correct.
    overridden = models.BooleanField(default=False)
    covered_points = models.JSONField(default=list, blank=True)
    time_taken_ms = models.PositiveIntegerField(default=0)
    # How sure the learner said they were before checking; None when not asked or not said.
    confidence = models.PositiveSmallIntegerField(choices=Confidence, null=True, blank=True)
    # The review log: the FSRS rating this answer gave the learner's card, and its next due time.
    review_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    review_due = models.DateTimeField(null=True, blank=True)
    # The card as it was before this answer rescheduled it (null: a new card), so an override can
    # replay the review with the corrected rating.
    card_before = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    # The calendar day of the answer in the learner's time zone at the time: streaks and the
    # activity heatmap group by it without converting time zones per row.
    local_day = models.DateField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            # Exactly once: a retried request or a second tab can never add a second row.
            models.UniqueConstraint(fields=["quiz", "question"], name="answer_once_per_quiz_question"),
            models.CheckConstraint(
                condition=Q(self_rating__in=["", "again", "hard", "good", "easy"]), name="answer_rating_known"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__in=[1, 2, 3]), name="answer_confidence_known"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "answered_at"]),
            models.Index(fields=["user", "local_day", "is_correct", "time_taken_ms"], name="answer_user_day"),
            models.Index(fields=["user", "question", "is_correct"], name="answer_user_question"),
            models.Index(fields=["question", "is_correct"]),
            # Calibration on the dashboard: answers per question and confidence, counted in index order
            # without reading the table.
            models.Index(
                fields=["user", "question", "confidence", "is_correct", "answered_at"], name="answer_user_confidence"
            ),
        ]

    def __str__(self):
        return f"Answer by {self.user_id} to {self.question_id} in quiz {self.quiz_id}"

    @property
    def is_final(self) -> bool:
        """An open question's answer is complete only once the learner has rated it."""
        return self.is_correct is not None
