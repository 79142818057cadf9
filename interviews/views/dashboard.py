"""My progress: totals, streaks, charts, mastery by topic, and an export of my data."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from interviews import charts
from interviews.insights import dashboard_sections
from interviews.models import Profile
from interviews.progress import RANGES, dashboard_data, parse_range
from interviews.review import prefs_for
from interviews.views import render_page

RANGE_LABELS = {"7": "7 days", "30": "30 days", "90": "90 days", "365": "Year", "all": "All time"}


@require_safe
@login_required
def dashboard(request):
    range_key, range_error = parse_range(request.GET.get("range"))
    prefs = prefs_for(request)
    data = dashboard_data(request.user, now=timezone.now(), time_zone=prefs.time_zone, range_key=range_key)
    daily_max = max((d["answered"] for d in data["daily"]), default=0)
    forecast_max = max((d["due"] for d in data["forecast"]), default=0)
    context = {
        **data,
        "range_error": range_error,
        "ranges": [(key, RANGE_LABELS[key]) for key in RANGES],
        "time_zone": prefs.time_zone,
        "heatmap_svg": charts.heatmap_svg(
            data["heatmap"], "Answers per day over the last year; darker means more answers."
        ),
        "daily_svg": charts.bars_svg(
            [d["answered"] for d in data["daily"]],
            f"Answers per day from {data['daily'][0]['day']:%-d %b} to today, at most {daily_max} in a day.",
        ),
        "daily_max": daily_max,
        "weekly_svg": charts.line_svg(
            [w["accuracy"] for w in data["weekly"]], "Share of correct answers per week, from 0 to 100 percent."
        ),
        "forecast_svg": charts.bars_svg(
            [d["due"] for d in data["forecast"]],
            f"Reviews coming due each day for the next 30 days, at most {forecast_max} a day.",
            css="bar bar-forecast",
            height=120,
        ),
        "forecast_max": forecast_max,
        "prefs": prefs,
        **dashboard_sections(request.user, now=timezone.now(), prefs=prefs),
    }
    return render_page(request, "interviews/dashboard.html", context, partial="dashboard-charts")


EXPORT_TABLES = {
    "answers": (
        [
            "answered_at",
            "local_day",
            "quiz",
            "mode",
            "question",
            "prompt",
            "kind",
            "correct",
            "self_rating",
            "confidence",
            "text",
            "time_taken_ms",
            "question_version",
        ],
        lambda user: user.answers.select_related("quiz", "question").order_by("answered_at", "id"),
        lambda a: [
            a.answered_at.isoformat(),
            a.local_day.isoformat(),
            a.quiz_id,
            a.quiz.mode,
            a.question.slug,
            a.question.prompt,
            a.question.kind,
            a.is_correct,
            a.self_rating,
            a.get_confidence_display() if a.confidence else "",
            a.text,
            a.time_taken_ms,
            a.question_version,
        ],
    ),
    "quizzes": (
        ["id", "title", "mode", "status", "size", "answered", "correct", "score_percent", "created_at", "finished_at"],
        lambda user: user.quizzes.order_by("created_at", "id"),
        lambda q: [
            q.pk,
            q.title,
            q.mode,
            q.status,
            q.size,
            q.answered_count,
            q.correct_count,
            q.score_percent,
            q.created_at.isoformat(),
            q.finished_at.isoformat() if q.finished_at else "",
        ],
    ),
    "bookmarks": (
        ["question", "prompt", "created_at"],
        lambda user: user.bookmarks.select_related("question").order_by("created_at", "id"),
        lambda b: [b.question.slug, b.question.prompt, b.created_at.isoformat()],
    ),
    "notes": (
        ["question", "prompt", "note", "updated_at"],
        lambda user: user.notes.select_related("question").order_by("updated_at", "id"),
        lambda n: [n.question.slug, n.question.prompt, n.body, n.updated_at.isoformat()],
    ),
    "review_cards": (
        ["question", "prompt", "state", "due", "last_review", "reps", "lapses", "suspended", "stability", "difficulty"],
        lambda user: user.review_cards.select_related("question").order_by("question_id"),
        lambda c: [
            c.question.slug,
            c.question.prompt,
            c.state,
            c.due.isoformat(),
            c.last_review.isoformat() if c.last_review else "",
            c.reps,
            c.lapses,
            c.suspended,
            c.stability,
            c.difficulty,
        ],
    ),
    "journal": (
        ["missed_at", "question", "prompt", "your_answer", "reason", "note", "right_in_a_row", "resolved_at"],
        lambda user: user.journal_entries.select_related("question", "answer").order_by("created_at", "id"),
        lambda e: [
            e.created_at.isoformat(),
            e.question.slug,
            e.question.prompt,
            e.answer.text or e.answer.self_rating or e.answer.selected_choice_ids,
            e.reason,
            e.note,
            e.right_in_a_row,
            e.resolved_at.isoformat() if e.resolved_at else "",
        ],
    ),
}


def _settings(user) -> dict:
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return {
        "time_zone": profile.time_zone,
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
        "ask_confidence": profile.ask_confidence,
        "interview_date": profile.interview_date.isoformat() if profile.interview_date else None,
        "new_per_day_cap": profile.new_per_day_cap,
        "leech_lapses": profile.leech_lapses,
    }


class _Echo:
    def write(self, value):
        return value


@require_safe
@login_required
def export(request):
    """Everything the learner has stored, as JSON or one CSV table at a time."""
    fmt = request.GET.get("format", "json")
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "json":
        data = {
            "user": {"username": request.user.get_username(), "email": request.user.email},
            "settings": _settings(request.user),
            **{
                name: [dict(zip(columns, row(obj), strict=True)) for obj in query(request.user).iterator()]
                for name, (columns, query, row) in EXPORT_TABLES.items()
            },
        }
        response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="my-interview-prep-{stamp}.json"'
        return response
    table = request.GET.get("table", "answers")
    if fmt != "csv" or table not in EXPORT_TABLES:
        return HttpResponse(
            f"Choose format=json, or format=csv with table={', '.join(EXPORT_TABLES)}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    columns, query, row = EXPORT_TABLES[table]
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row(obj)) for obj in query(request.user).iterator(chunk_size=2000))
    response = StreamingHttpResponse(
        (line for chunk in ([writer.writerow(columns)], rows) for line in chunk), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="my-interview-prep-{table}-{stamp}.csv"'
    return response
