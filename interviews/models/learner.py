"""What we keep per learner beyond answers: settings, and one spaced-review card per question.

The review log is the answers themselves: every final answer records the FSRS rating it gave
and the due time that followed (Answer.review_rating, Answer.review_due).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from interviews.models.bank import Question


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(max_length=64, default="UTC")
    desired_retention = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text="How likely you want to be to remember a question when it comes back (0.70 to 0.97).",
    )
    new_per_day = models.PositiveSmallIntegerField(
        "new questions per day",
        default=10,
        validators=[MaxValueValidator(200)],
        help_text="How many questions you have not reviewed before may join a day's review.",
    )
    interview_date = models.DateField(
        "date of my interview",
        null=True,
        blank=True,
        help_text="Your review plan then gets you ready by that day: more new questions a day (up to the most "
        "you allow below), and questions due after it come back before it. Leave empty when you have none.",
    )
    new_per_day_cap = models.PositiveSmallIntegerField(
        "most new questions per day before an interview",
        default=30,
        validators=[MaxValueValidator(200)],
        help_text="The plan raises your new questions per day up to this, so you meet the whole bank in time.",
    )
    leech_lapses = models.PositiveSmallIntegerField(
        "lapses that make a leech",
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text="A question you forget this many times after learning it is flagged as a leech (2 to 20).",
    )
    ask_confidence = models.BooleanField(
        "ask how sure I am",
        default=True,
        help_text="Before you check an answer, say whether you are sure, think so or are guessing. "
        "Your dashboard then shows how well your confidence matches your results.",
    )

    # What the learner sets on the account page; the settings form and the data export both list these.
    SETTINGS = (
        "time_zone",
        "desired_retention",
        "new_per_day",
        "ask_confidence",
        "interview_date",
        "new_per_day_cap",
        "leech_lapses",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_retention__gte=0.7, desired_retention__lte=0.97), name="profile_retention_range"
            ),
        ]

    def __str__(self):
        return f"Settings of {self.user}"


class ReviewCard(models.Model):
    """The FSRS memory state of one question for one learner, in queryable columns."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField(default=1)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    # Times the card was forgotten after it was learnt (Again while in review): many make a leech.
    lapses = models.PositiveIntegerField(default=0)
    # The learner took it out of review (a leech not worth the time for now); answers still count.
    suspended = models.BooleanField(default=False)
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="review_card_once_per_question")]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self):
        return f"Card {self.question_id} of {self.user_id}, due {self.due:%Y-%m-%d %H:%M}"


class DueSummary(models.Model):
    """The learner's review-card counts behind the due summary (review.due_summary), as last
    counted, so that the navigation's badge costs no count on every page; the session's user is
    read with them in one query (interviews.auth.LearnerBackend). Every request that may change
    review cards (any POST) clears `valid_until` and raises `stamp`; counts taken before such a
    clear are stored without `valid_until`, so no page keeps showing a count from before a change."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_summary")
    due = models.PositiveIntegerField(default=0)
    new_waiting = models.PositiveIntegerField(default=0)
    new_today = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True)
    stamp = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Due summary of {self.user}"
