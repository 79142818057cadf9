"""Progress figures for the dashboard: pure functions over per-day aggregates, and the queries
that fetch those aggregates (a fixed number, whatever the number of answers)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate

from interviews.models import Answer, Question, Quiz, ReviewCard, Topic

RANGES = {"7": 7, "30": 30, "90": 90, "365": 365, "all": None}
DEFAULT_RANGE = "30"
HEATMAP_WEEKS = 53


@dataclass(frozen=True)
class Day:
    day: date
    answered: int
    correct: int
    time_ms: int = 0


# Pure figures


def streaks(active_days: set[date], today: date) -> tuple[int, int]:
    """Current and longest runs of consecutive active days. Today without an answer yet does
    not break the current run: it still counts from yesterday."""
    longest = run = 0
    previous = None
    for day in sorted(active_days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in active_days else today - timedelta(days=1)
    while day in active_days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def weekly_accuracy(days: list[Day], start: date, end: date) -> list[dict]:
    """Per week (Monday first) from `start` to `end`: answers, correct and the share correct."""
    first_monday = start - timedelta(days=start.weekday())
    weeks = {}
    monday = first_monday
    while monday <= end:
        weeks[monday] = [0, 0]
        monday += timedelta(days=7)
    for day in days:
        if start <= day.day <= end:
            week = weeks[day.day - timedelta(days=day.day.weekday())]
            week[0] += day.answered
            week[1] += day.correct
    return [
        {"week": monday, "answered": a, "correct": c, "accuracy": round(100 * c / a) if a else None}
        for monday, (a, c) in weeks.items()
    ]


def daily_counts(days: list[Day], start: date, end: date) -> list[dict]:
    by_day = {d.day: d for d in days}
    result, day = [], start
    while day <= end:
        found = by_day.get(day)
        result.append(
            {"day": day, "answered": found.answered if found else 0, "correct": found.correct if found else 0}
        )
        day += timedelta(days=1)
    return result


def heatmap(days: list[Day], today: date) -> list[list[dict]]:
    """A year of days as weeks (columns) of 7 cells, Monday first, shaded in 5 levels."""
    counts = {d.day: d.answered for d in days}
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1)
    active = sorted(n for day, n in counts.items() if n and start <= day <= today)
    # Levels from quartiles of the active days, so one huge day does not wash out the rest.
    cuts = [active[len(active) * k // 4] for k in (1, 2, 3)] if active else []
    weeks = []
    for w in range(HEATMAP_WEEKS):
        week = []
        for d in range(7):
            day = start + timedelta(weeks=w, days=d)
            n = counts.get(day, 0)
            level = 0 if not n else 1 + sum(n > cut for cut in cuts)
            week.append({"day": day, "answered": n, "level": min(level, 4), "future": day > today})
        weeks.append(week)
    return weeks


# Queries


def parse_range(value: str | None) -> tuple[str, str]:
    """The range key to use and, for a bad value, the message to show."""
    if value is None or value == "":
        return DEFAULT_RANGE, ""
    if value in RANGES:
        return value, ""
    return DEFAULT_RANGE, f"“{value[:20]}” is not a range we know; showing the last {DEFAULT_RANGE} days."


def current_streak(user, *, today: date) -> int:
    """Consecutive days with an answer up to today (or yesterday): one query on the answers' days."""
    days = Answer.objects.filter(user=user, is_correct__isnull=False).values_list("local_day", flat=True)
    return streaks(set(days.distinct().order_by()), today)[0]


def dashboard_data(user, *, now: datetime, time_zone: str, range_key: str) -> dict:
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    answers = Answer.objects.filter(user=user, is_correct__isnull=False)

    # 1. Every active day, all time: streaks, heatmap, daily and weekly charts.
    days = [
        Day(row["local_day"], row["answered"], row["correct"], row["time_ms"] or 0)
        for row in answers.values("local_day")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)), time_ms=Sum("time_taken_ms"))
        .order_by("local_day")
    ]
    span = RANGES[range_key]
    start = today - timedelta(days=span - 1) if span else (days[0].day if days else today)
    in_range = [d for d in days if start <= d.day <= today]
    answered = sum(d.answered for d in in_range)
    correct = sum(d.correct for d in in_range)
    current_streak, longest_streak = streaks({d.day for d in days if d.answered}, today)

    # 2. Distinct questions seen in the range.  3. Topics with their published question counts.
    seen = answers.filter(local_day__gte=start).aggregate(n=Count("question", distinct=True))["n"]
    topics = list(
        Topic.objects.annotate(total=Count("questions", filter=Q(questions__status=Question.Status.PUBLISHED)))
    )
    # 4. Mastery: the latest final answer to each question decides.
    latest = answers.values("question").annotate(last=Max("id")).values("last")
    mastered = {
        row["question__topic"]: row
        for row in Answer.objects.filter(id__in=latest)
        .values("question__topic")
        .annotate(correct=Count("id", filter=Q(is_correct=True)), attempted=Count("id"))
    }
    mastery = [
        {
            "topic": topic,
            "total": topic.total,
            "correct": mastered.get(topic.pk, {}).get("correct", 0),
            "attempted": mastered.get(topic.pk, {}).get("attempted", 0),
            "percent": round(100 * mastered.get(topic.pk, {}).get("correct", 0) / topic.total) if topic.total else 0,
        }
        for topic in topics
    ]
    # 5. The questions most often missed in the range.
    missed = list(
        answers.filter(local_day__gte=start, is_correct=False, question__status=Question.Status.PUBLISHED)
        .values("question", "question__prompt_html", "question__slug")
        .annotate(wrong=Count("id"))
        .order_by("-wrong", "question")[:5]
    )
    # 6. Recent quizzes, and 7. finished quizzes in the range.
    recent = list(user.quizzes.exclude(status=Quiz.Status.IN_PROGRESS).order_by("-finished_at", "-id")[:5])
    start_moment = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    finished = user.quizzes.filter(status=Quiz.Status.FINISHED, finished_at__gte=start_moment).count()
    # 8. Reviews due in each of the next 30 days.
    horizon = datetime.combine(today + timedelta(days=30), datetime.min.time(), tzinfo=zone)
    forecast_rows = {
        row["day"]: row["n"]
        for row in ReviewCard.objects.filter(user=user, reps__gt=0, due__lt=horizon)
        .annotate(day=TruncDate("due", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
    }
    overdue = sum(n for day, n in forecast_rows.items() if day < today)
    forecast = [
        {
            "day": today + timedelta(days=k),
            "due": forecast_rows.get(today + timedelta(days=k), 0) + (overdue if k == 0 else 0),
        }
        for k in range(30)
    ]
    bank_size = sum(topic.total for topic in topics)
    return {
        "range_key": range_key,
        "start": start,
        "today": today,
        "has_answers": bool(days),
        "totals": {
            "answered": answered,
            "correct": correct,
            "accuracy": round(100 * correct / answered) if answered else None,
            "time_minutes": round(sum(d.time_ms for d in in_range) / 60000),
            "seen": seen,
            "bank_size": bank_size,
            "quizzes_finished": finished,
        },
        "current_streak": current_streak,
        "longest_streak": longest_streak,
        "heatmap": heatmap(days, today),
        "daily": daily_counts(days, max(start, today - timedelta(days=364)), today),
        "weekly": weekly_accuracy(days, start, today),
        "mastery": mastery,
        "missed": missed,
        "recent": recent,
        "forecast": forecast,
    }
