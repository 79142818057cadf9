"""Spaced review with FSRS: pure functions of a card's stored state, a rating and the time.

The `fsrs` package does the scheduling; this module only maps our answers to its ratings and
converts between its Card and the columns we store.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, ReviewLog, Scheduler, State

# Answered correctly faster than this (seconds), an auto-graded question counts as Easy.
EASY_WITHIN_SECONDS = {"true_false": 8, "single": 15, "multiple": 25, "short": 20, "output": 30}
SELF_RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
GUESSING = 1  # Answer.Confidence.GUESSING


@dataclass(frozen=True)
class CardState:
    """What we store of an FSRS card, in columns we can query."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def new_card_state(now: datetime) -> CardState:
    return CardState(state=State.Learning.value, step=0, stability=None, difficulty=None, due=now, last_review=None)


def rating_for_answer(
    *, kind: str, is_correct: bool, time_taken_ms: int, self_rating: str = "", confidence: int | None = None
) -> Rating:
    """Wrong is Again, right is Good, right and fast for its kind is Easy; a self-rating is used as given.

    Right while guessing is Hard: a lucky guess is not knowledge, so the question comes back soon.
    """
    if self_rating:
        rating = SELF_RATINGS[self_rating]
    elif not is_correct:
        rating = Rating.Again
    elif 0 < time_taken_ms <= EASY_WITHIN_SECONDS.get(kind, 0) * 1000:
        rating = Rating.Easy
    else:
        rating = Rating.Good
    if confidence == GUESSING and rating in (Rating.Good, Rating.Easy):
        return Rating.Hard
    return rating


def is_lapse(state_before: int, rating: Rating) -> bool:
    """Forgetting a learnt card: Again while it is in review (not while still learning), as Anki counts."""
    return state_before == State.Review.value and rating == Rating.Again


def review(
    card_id: int, stored: CardState, rating: Rating, *, now: datetime, desired_retention: float, duration_ms: int = 0
) -> tuple[CardState, ReviewLog]:
    """Apply one review. `fsrs` accepts only datetimes in `datetime.timezone.utc`."""
    scheduler = Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
    card = Card(
        card_id=card_id,  # always pass our id: without one, fsrs sleeps a millisecond to invent it
        state=State(stored.state),
        step=stored.step,
        stability=stored.stability,
        difficulty=stored.difficulty,
        due=_utc(stored.due),
        last_review=_utc(stored.last_review) if stored.last_review else None,
    )
    card, log = scheduler.review_card(card, rating, _utc(now), review_duration=duration_ms or None)
    return (
        CardState(card.state.value, card.step, card.stability, card.difficulty, card.due, card.last_review),
        log,
    )


def next_due_times(card_id: int, stored: CardState, *, now: datetime, desired_retention: float) -> dict[str, datetime]:
    """When the card would come back after each self-rating: what the rating buttons show."""
    return {
        name: review(card_id, stored, rating, now=now, desired_retention=desired_retention)[0].due
        for name, rating in SELF_RATINGS.items()
    }


def end_of_today(now: datetime, time_zone: str) -> datetime:
    """The first instant of tomorrow in the learner's time zone: due means due before it."""
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)


def start_of_today(now: datetime, time_zone: str) -> datetime:
    zone = ZoneInfo(time_zone)
    return datetime.combine(now.astimezone(zone).date(), time.min, tzinfo=zone).astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
