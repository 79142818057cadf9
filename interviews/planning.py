"""Getting ready for a dated interview: predicted recall on the day, and a review plan that gets there.

Pure functions of the cards, the dates and the learner's caps: no clock, no database. Recall is
FSRS retrievability at the start of the interview day; a question never reviewed counts as not known.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from fsrs import Card, Scheduler, State

BUFFER_DAYS = 3  # every unseen question is met at least this many days before the interview
READY_RECALL = 0.8  # a question is ready when its predicted recall on the day is at least this
READY_SHARE = 0.8  # a learner is ready when this share of the bank is ready


@dataclass(frozen=True)
class Memory:
    """What readiness needs of one reviewed card."""

    topic_id: int
    stability: float | None
    last_review: datetime | None


@dataclass(frozen=True)
class TopicReadiness:
    topic_id: int
    name: str
    total: int
    ready: int
    expected: float  # mean predicted recall over the topic's questions, unseen ones as 0

    @property
    def percent(self) -> int:
        return round(100 * self.expected)


@dataclass(frozen=True)
class Readiness:
    topics: list[TopicReadiness]
    total: int
    ready: int
    expected: float

    @property
    def share_ready(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 0


@dataclass(frozen=True)
class Plan:
    interview_day: date
    days_left: int  # study days from today to the day before the interview
    unseen: int
    new_per_day: int  # the raised allowance, until every unseen question is met
    per_day: int  # new questions and reviews, averaged over the days left
    cover_by: date | None  # the day the last unseen question is met at this pace (None: all met)
    last_new_day: date  # the last day new questions should be met, BUFFER_DAYS before the interview
    cap: int

    @property
    def fits(self) -> bool:
        return self.cover_by is None or self.cover_by <= self.last_new_day

    @property
    def still_unseen(self) -> int:
        """Questions still never met on the interview day at this pace."""
        return max(0, self.unseen - self.new_per_day * self.days_left)


def interview_start(day: date, time_zone: str) -> datetime:
    """The first instant of the interview day in the learner's time zone, in UTC."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(time_zone)).astimezone(UTC)


def recall_at(memory: Memory, at: datetime, scheduler: Scheduler) -> float:
    if memory.stability is None or memory.last_review is None:
        return 0.0
    card = Card(
        card_id=1, state=State.Review, stability=memory.stability, last_review=memory.last_review.astimezone(UTC)
    )
    return scheduler.get_card_retrievability(card, at.astimezone(UTC))


def readiness(memories: list[Memory], bank: list[tuple[int, str, int]], *, at: datetime) -> Readiness:
    """Predicted recall at `at` per topic of `bank` (topic id, name, published questions)."""
    scheduler = Scheduler(enable_fuzzing=False)
    recalls: dict[int, list[float]] = {}
    for memory in memories:
        recalls.setdefault(memory.topic_id, []).append(recall_at(memory, at, scheduler))
    topics = []
    for topic_id, name, total in bank:
        values = recalls.get(topic_id, [])[:total]
        topics.append(
            TopicReadiness(
                topic_id=topic_id,
                name=name,
                total=total,
                ready=sum(1 for r in values if r >= READY_RECALL),
                expected=sum(values) / total if total else 0.0,
            )
        )
    total = sum(t.total for t in topics)
    return Readiness(
        topics=topics,
        total=total,
        ready=sum(t.ready for t in topics),
        expected=sum(t.expected * t.total for t in topics) / total if total else 0.0,
    )


def new_allowance(*, today: date, interview_day: date | None, unseen: int, base: int, cap: int) -> int:
    """New questions allowed a day: enough to meet the whole unseen bank BUFFER_DAYS before the
    interview, within the learner's cap, and never fewer than their usual number."""
    if interview_day is None or interview_day <= today:
        return base
    cover_days = max(1, (interview_day - today).days - BUFFER_DAYS)
    return max(base, min(cap, ceil(unseen / cover_days)))


def plan(*, today: date, interview_day: date, unseen: int, reviewing: int, base: int, cap: int) -> Plan | None:
    """The daily plan until the interview, or None on or after its day.

    `unseen` questions were never reviewed; `reviewing` cards are in review. The questions a day are
    an average over the days left: every new question met, about once more after it is met, and each
    reviewed card once (due before the interview, or pulled forward to the days before it).
    """
    days_left = (interview_day - today).days
    if days_left <= 0:
        return None
    new_per_day = new_allowance(today=today, interview_day=interview_day, unseen=unseen, base=base, cap=cap)
    met = min(unseen, new_per_day * days_left)
    return Plan(
        interview_day=interview_day,
        days_left=days_left,
        unseen=unseen,
        new_per_day=min(new_per_day, unseen) if unseen else 0,
        per_day=ceil((2 * met + reviewing) / days_left),
        cover_by=today + timedelta(days=ceil(unseen / new_per_day) - 1) if unseen and new_per_day else None,
        last_new_day=max(today, interview_day - timedelta(days=BUFFER_DAYS + 1)),
        cap=cap,
    )


def due_before_interview(due: datetime, *, now: datetime, interview_at: datetime | None, card_id: int) -> datetime:
    """FSRS's due time; or, when it falls on or after the interview, one of the BUFFER_DAYS days
    before it (spread by card, so they do not all come back on the eve), so that every card is
    reviewed once more before the interview. A card already reviewed inside that window keeps its
    FSRS due time."""
    if interview_at is None or due < interview_at or now >= interview_at:
        return due
    pulled = interview_at - timedelta(days=1 + card_id % BUFFER_DAYS)
    return pulled if pulled > now else due


def verdict(ready: Readiness, plan: Plan | None, interview_day: date) -> tuple[str, str]:
    """ "Ready by DATE?" in words: a short answer (yes, on track, not yet) and a sentence."""
    day = f"{interview_day:%A %-d %B}"
    if ready.total and ready.share_ready >= 100 * READY_SHARE:
        return "yes", f"Yes: {ready.share_ready}% of the bank is ready for {day}. Keep reviewing what comes due."
    if plan is None:
        return "today", f"Your interview is {day}. Good luck: {ready.share_ready}% of the bank is ready."
    if plan.fits:
        return "on-track", (
            f"Not yet ({ready.share_ready}% ready), but on track: at about {plan.per_day} questions a day until {day} "
            f"you meet every question at least {BUFFER_DAYS} days before it and review each once more."
        )
    return "behind", (
        f"Not at this pace: at your cap of {plan.cap} new questions a day, {plan.still_unseen} questions would "
        f"still be new on {day}. Raise the cap in your account settings, or focus on your weakest topics."
    )
