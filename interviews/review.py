"""Spaced-review workflows: cards follow every final answer; a review session asks what is due."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from interviews import scheduling
from interviews.models import Profile, Question, ReviewCard

SESSION_KEY = "review_prefs"
MAX_SESSION_SIZE = 50


@dataclass(frozen=True)
class Prefs:
    time_zone: str = "UTC"
    desired_retention: float = 0.9
    new_per_day: int = 10


def prefs_for(request) -> Prefs:
    """The learner's review settings, kept in the session so that no page pays a query for them."""
    stored = request.session.get(SESSION_KEY)
    if stored is None:
        remember_prefs(request, request.user)
        stored = request.session[SESSION_KEY]
    return Prefs(**stored)


def remember_prefs(request, user, profile: Profile | None = None):
    """Copy the learner's settings into the session (at log-in, and whenever they change)."""
    profile = profile or Profile.objects.filter(user=user).first() or Profile(user=user)
    request.session[SESSION_KEY] = {
        "time_zone": profile.time_zone,
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
    }


def remember_prefs_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_prefs(request, user)


def ensure_card(user, question, *, now) -> ReviewCard:
    """A card for a question the learner met (bookmarked): new, due at once, never reviewed."""
    ReviewCard.objects.bulk_create(
        [ReviewCard(user=user, question=question, due=now, created_at=now)], ignore_conflicts=True
    )
    return ReviewCard.objects.get(user=user, question=question)


def reschedule(
    *,
    user_id: int,
    question_id: int,
    card: ReviewCard | None,
    rating,
    now: datetime,
    prefs: Prefs,
    duration_ms: int = 0,
) -> scheduling.CardState:
    """Apply one review to the learner's card; call inside the answer's transaction.

    `card` is the card as read with the answer, or None. A new card is inserted (an upsert, so a
    concurrent first answer cannot fail) before it is reviewed, so FSRS gets its database id. The
    update applies only if nobody reviewed the card since it was read (its review count is the
    version); otherwise the card is read again, locked, and the review applied to that.
    """
    if card is None:
        card = ReviewCard.objects.bulk_create(
            [ReviewCard(user_id=user_id, question_id=question_id, due=now, created_at=now)],
            update_conflicts=True,
            unique_fields=["user", "question"],
            update_fields=["user"],
        )[0]
        if card.reps is None or card.pk is None:
            card = ReviewCard.objects.select_for_update().get(user_id=user_id, question_id=question_id)
    while True:
        stored = scheduling.CardState(
            card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
        )
        new, _log = scheduling.review(
            card.pk, stored, rating, now=now, desired_retention=prefs.desired_retention, duration_ms=duration_ms
        )
        updated = ReviewCard.objects.filter(pk=card.pk, reps=card.reps).update(
            state=new.state,
            step=new.step,
            stability=new.stability,
            difficulty=new.difficulty,
            due=new.due,
            last_review=new.last_review,
            reps=card.reps + 1,
            first_reviewed_at=card.first_reviewed_at or now,
        )
        if updated:
            return new
        card = ReviewCard.objects.select_for_update().get(pk=card.pk)


def due_summary(user, *, now: datetime, prefs: Prefs) -> dict:
    """Due reviews by the end of the learner's today and new cards still allowed today: one query."""
    end = scheduling.end_of_today(now, prefs.time_zone)
    start = scheduling.start_of_today(now, prefs.time_zone)
    counts = ReviewCard.objects.filter(user=user).aggregate(
        due=Count("id", filter=Q(reps__gt=0, due__lt=end)),
        new_waiting=Count("id", filter=Q(reps=0)),
        new_today=Count("id", filter=Q(first_reviewed_at__gte=start)),
    )
    new_allowed = min(counts["new_waiting"], max(0, prefs.new_per_day - counts["new_today"]))
    return {
        "due": counts["due"],
        "new": new_allowed,
        "new_waiting": counts["new_waiting"],
        # Why some new questions wait for another day: the daily allowance, and how much of it
        # today's first answers (in quizzes too, not only reviews) already used.
        "new_held_back": counts["new_waiting"] - new_allowed,
        "new_today": counts["new_today"],
        "new_per_day": prefs.new_per_day,
        "total": counts["due"] + new_allowed,
    }


def session_questions(user, *, now: datetime, prefs: Prefs):
    """The questions of a review session: due cards first (most overdue first), then new ones."""
    summary = due_summary(user, now=now, prefs=prefs)
    end = scheduling.end_of_today(now, prefs.time_zone)
    cards = ReviewCard.objects.filter(user=user, question__status=Question.Status.PUBLISHED)
    due_ids = list(
        cards.filter(reps__gt=0, due__lt=end).order_by("due").values_list("question_id", flat=True)[:MAX_SESSION_SIZE]
    )
    room = min(summary["new"], MAX_SESSION_SIZE - len(due_ids))
    new_ids = (
        list(cards.filter(reps=0).order_by("created_at").values_list("question_id", flat=True)[:room])
        if room > 0
        else []
    )
    return due_ids + new_ids
