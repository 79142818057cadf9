"""The learning sections of the dashboard and home page, each in a fixed number of queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count

from interviews import planning, scheduling
from interviews.calibration import calibration_data
from interviews.leeches import dashboard_leeches
from interviews.models import Question, ReviewCard
from interviews.review import Prefs


def readiness_data(user, *, now: datetime, prefs: Prefs) -> dict:
    """Readiness for the learner's interview and the plan that gets there: two queries, none without a date."""
    day = prefs.interview_day
    if day is None:
        return {"readiness": None}
    today = now.astimezone(ZoneInfo(prefs.time_zone)).date()
    if day < today:
        return {"readiness": {"interview_day": day, "passed": True}}
    start = scheduling.start_of_today(now, prefs.time_zone)
    cards = list(
        ReviewCard.objects.filter(user=user, reps__gt=0, question__status=Question.Status.PUBLISHED).values_list(
            "question__topic_id", "stability", "last_review", "first_reviewed_at", "suspended"
        )
    )
    bank = [
        (row["topic_id"], row["topic__name"], row["total"])
        for row in Question.objects.published()
        .values("topic_id", "topic__name", "topic__order")
        .annotate(total=Count("id"))
        .order_by("topic__order", "topic__name")
    ]
    ready = planning.readiness(
        [planning.Memory(topic, stability, last) for topic, stability, last, *_ in cards], bank, at=prefs.interview_at
    )
    met_today = sum(1 for *_, first, _ in cards if first and first >= start)
    plan = planning.plan(
        today=today,
        interview_day=day,
        unseen=ready.total - len(cards) + met_today,  # as the day began, like the review page's allowance
        reviewing=sum(1 for *_, suspended in cards if not suspended),
        base=prefs.new_per_day,
        cap=prefs.new_per_day_cap,
    )
    answer, words = planning.verdict(ready, plan, day)
    return {"readiness": {"interview_day": day, "ready": ready, "plan": plan, "answer": answer, "words": words}}


def dashboard_sections(user, *, now: datetime, prefs: Prefs) -> dict:
    return {
        **readiness_data(user, now=now, prefs=prefs),
        **calibration_data(user),
        **dashboard_leeches(user, prefs),
    }
