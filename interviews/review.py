"""Spaced-review workflows: cards follow every final answer; a review session asks what is due."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q

from interviews import planning, scheduling
from interviews.models import DueSummary, Profile, Question, ReviewCard

SESSION_KEY = "review_prefs"
# The longest a due count is kept, for changes no POST of the learner makes (a curator publishing
# a question) and the rare page counted in one tab while another tab's answer was being saved.
DUE_SUMMARY_SECONDS = 300
MAX_SESSION_SIZE = 50
AHEAD_SIZE = 20


@dataclass(frozen=True)
class Prefs:
    time_zone: str = "UTC"
    desired_retention: float = 0.9
    new_per_day: int = 10
    ask_confidence: bool = True
    interview_date: str | None = None  # ISO date: the session stores JSON
    new_per_day_cap: int = 30
    leech_lapses: int = 4

    @property
    def interview_day(self) -> date | None:
        return date.fromisoformat(self.interview_date) if self.interview_date else None

    @property
    def interview_at(self) -> datetime | None:
        day = self.interview_day
        return planning.interview_start(day, self.time_zone) if day else None


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
        "ask_confidence": profile.ask_confidence,
        "interview_date": profile.interview_date.isoformat() if profile.interview_date else None,
        "new_per_day_cap": profile.new_per_day_cap,
        "leech_lapses": profile.leech_lapses,
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
        new = next_state(card, rating, now=now, prefs=prefs, duration_ms=duration_ms)
        if store_review(card, new, rating, now=now):
            return new
        card = ReviewCard.objects.select_for_update().get(pk=card.pk)


def next_state(card: ReviewCard, rating, *, now: datetime, prefs: Prefs, duration_ms: int = 0) -> scheduling.CardState:
    """The card after one review: FSRS, then brought before the learner's interview if need be."""
    stored = scheduling.CardState(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)
    new, _log = scheduling.review(
        card.pk, stored, rating, now=now, desired_retention=prefs.desired_retention, duration_ms=duration_ms
    )
    return planned(new, card_id=card.pk, now=now, prefs=prefs)


STORE_REVIEW = """
UPDATE interviews_reviewcard SET state = %s, step = %s, stability = %s, difficulty = %s, due = %s, last_review = %s,
    reps = %s, lapses = %s, first_reviewed_at = %s
WHERE id = %s AND reps = %s
"""


def store_review(card: ReviewCard, new: scheduling.CardState, rating, *, now: datetime) -> bool:
    """Write one review over the card as it was read; False, writing nothing, if it was reviewed since
    (its review count is its version). Written out: it runs inside every answer's transaction."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            STORE_REVIEW,
            [
                int(new.state),
                new.step,
                new.stability,
                new.difficulty,
                adapt(new.due),
                adapt(new.last_review),
                card.reps + 1,
                card.lapses + scheduling.is_lapse(card.state, rating),
                adapt(card.first_reviewed_at or now),
                card.pk,
                card.reps,
            ],
        )
        return cursor.rowcount == 1


def planned(new: scheduling.CardState, *, card_id: int, now: datetime, prefs: Prefs) -> scheduling.CardState:
    """FSRS's next review, brought before the learner's interview when it would fall after it."""
    due = planning.due_before_interview(new.due, now=now, interview_at=prefs.interview_at, card_id=card_id)
    return new if due == new.due else replace(new, due=due)


def plan_for_interview(user, *, now: datetime, prefs: Prefs) -> int:
    """When the interview date is set or moved: bring forward the cards due on or after it."""
    interview_at = prefs.interview_at
    if interview_at is None or interview_at <= now:
        return 0
    cards = list(user.review_cards.filter(reps__gt=0, due__gte=interview_at).only("id", "due"))
    for card in cards:
        card.due = planning.due_before_interview(card.due, now=now, interview_at=interview_at, card_id=card.pk)
    ReviewCard.objects.bulk_update(cards, ["due"], batch_size=500)
    return len(cards)


def _unseen_questions(user):
    """Published questions the learner has no card for: never answered, never bookmarked."""
    return Question.objects.published().filter(~Exists(ReviewCard.objects.filter(user=user, question=OuterRef("pk"))))


def due_summary(user, *, now: datetime, prefs: Prefs, counts: dict | None = None) -> dict:
    """Due reviews by the end of the learner's today and new cards still allowed today: one query
    (none with `counts` kept by cached_due_summary), and one more to count the unseen bank while
    the learner prepares for a dated interview."""
    if counts is None:
        end = scheduling.end_of_today(now, prefs.time_zone)
        start = scheduling.start_of_today(now, prefs.time_zone)
        counts = ReviewCard.objects.filter(user=user).aggregate(
            due=Count("id", filter=Q(reps__gt=0, due__lt=end, suspended=False)),
            new_waiting=Count("id", filter=Q(reps=0)),
            new_today=Count("id", filter=Q(first_reviewed_at__gte=start)),
        )
    new_per_day, new_waiting = prefs.new_per_day, counts["new_waiting"]
    today = now.astimezone(ZoneInfo(prefs.time_zone)).date()
    if prefs.interview_day and prefs.interview_day > today:
        # Preparing for an interview: the whole unseen bank is waiting, at a raised allowance.
        new_waiting += _unseen_questions(user).count()
        new_per_day = planning.new_allowance(
            today=today,
            interview_day=prefs.interview_day,
            unseen=new_waiting + counts["new_today"],  # as it was when the day began
            base=prefs.new_per_day,
            cap=prefs.new_per_day_cap,
        )
    new_allowed = min(new_waiting, max(0, new_per_day - counts["new_today"]))
    return {
        "due": counts["due"],
        "new": new_allowed,
        "new_waiting": new_waiting,
        # Why some new questions wait for another day: the daily allowance, and how much of it
        # today's first answers (in quizzes too, not only reviews) already used.
        "new_held_back": new_waiting - new_allowed,
        "new_today": counts["new_today"],
        "new_per_day": new_per_day,
        "raised_for_interview": new_per_day > prefs.new_per_day,
        "total": counts["due"] + new_allowed,
    }


def cached_due_summary(user, *, now: datetime, prefs: Prefs) -> dict:
    """due_summary() for the navigation's badge and home, from counts kept (DueSummary) until one
    of the learner's POSTs may change them (forget_due_summary), the learner's day ends, or
    DUE_SUMMARY_SECONDS pass; counted again, and kept, by one statement otherwise."""
    kept = _loaded_due_summary(user)
    if kept is not None and kept.valid_until is not None and kept.valid_until > now:
        counts = {"due": kept.due, "new_waiting": kept.new_waiting, "new_today": kept.new_today}
    else:
        counts = _count_and_keep(user, now=now, prefs=prefs, stamp=kept.stamp if kept is not None else 0)
    return due_summary(user, now=now, prefs=prefs, counts=counts)


# The card counts of due_summary(), stored as they are taken. A count taken while a POST cleared the
# kept one (its stamp moved on) is stored without validity: it may predate that POST's changes.
COUNT_AND_KEEP = """
INSERT INTO interviews_duesummary (user_id, due, new_waiting, new_today, valid_until, stamp)
SELECT %s,
       COUNT(*) FILTER (WHERE reps > 0 AND due < %s AND NOT suspended),
       COUNT(*) FILTER (WHERE reps = 0),
       COUNT(*) FILTER (WHERE first_reviewed_at >= %s),
       %s,
       0
FROM interviews_reviewcard WHERE user_id = %s
ON CONFLICT (user_id) DO UPDATE SET
    due = excluded.due,
    new_waiting = excluded.new_waiting,
    new_today = excluded.new_today,
    valid_until = CASE WHEN interviews_duesummary.stamp = %s THEN excluded.valid_until END
RETURNING due, new_waiting, new_today
"""


def _count_and_keep(user, *, now: datetime, prefs: Prefs, stamp: int) -> dict:
    end = scheduling.end_of_today(now, prefs.time_zone)
    start = scheduling.start_of_today(now, prefs.time_zone)
    valid_until = min(now + timedelta(seconds=DUE_SUMMARY_SECONDS), end)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(COUNT_AND_KEEP, [user.pk, adapt(end), adapt(start), adapt(valid_until), user.pk, stamp])
        due, new_waiting, new_today = cursor.fetchone()
    return {"due": due, "new_waiting": new_waiting, "new_today": new_today}


def forget_due_summary(user):
    """Called after every POST of a learner (and the one GET that reschedules): the next page counts again."""
    kept = _loaded_due_summary(user)
    if kept is None or kept.valid_until is None:
        return
    DueSummary.objects.filter(pk=kept.pk).update(valid_until=None, stamp=F("stamp") + 1)
    kept.valid_until = None


def _loaded_due_summary(user) -> DueSummary | None:
    try:
        return user.due_summary  # read with the user by interviews.auth.LearnerBackend
    except DueSummary.DoesNotExist:
        return None


def session_questions(user, *, now: datetime, prefs: Prefs):
    """The questions of a review session: due cards first (most overdue first), then new ones."""
    summary = due_summary(user, now=now, prefs=prefs)
    end = scheduling.end_of_today(now, prefs.time_zone)
    cards = ReviewCard.objects.filter(user=user, question__status=Question.Status.PUBLISHED, suspended=False)
    due_ids = list(
        cards.filter(reps__gt=0, due__lt=end).order_by("due").values_list("question_id", flat=True)[:MAX_SESSION_SIZE]
    )
    room = min(summary["new"], MAX_SESSION_SIZE - len(due_ids))
    new_ids = (
        list(cards.filter(reps=0).order_by("created_at").values_list("question_id", flat=True)[:room])
        if room > 0
        else []
    )
    if room > len(new_ids) and prefs.interview_day:
        # Preparing for an interview: unseen questions join too, drawn across the topics.
        new_ids += list(_unseen_questions(user).order_by("?").values_list("id", flat=True)[: room - len(new_ids)])
    return due_ids + new_ids


def ahead_questions(user, *, limit: int = AHEAD_SIZE) -> list[int]:
    """Review ahead: the learnt cards due soonest, for when nothing is due."""
    cards = ReviewCard.objects.filter(
        user=user, reps__gt=0, suspended=False, question__status=Question.Status.PUBLISHED
    ).order_by("due", "id")
    return list(cards.values_list("question_id", flat=True)[:limit])
