"""My progress: totals, streaks, charts, mastery by topic, and an export of my data."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from interviews import charts
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
}


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell that no spreadsheet evaluates: text that could start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


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
            "Choose format=json, or format=csv with table=answers, quizzes, bookmarks or notes.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    columns, query, row = EXPORT_TABLES[table]
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    rows = (writer.writerow(map(csv_cell, row(obj))) for obj in query(request.user).iterator(chunk_size=2000))
    response = StreamingHttpResponse(
        (line for chunk in ([writer.writerow(columns)], rows) for line in chunk), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="my-interview-prep-{table}-{stamp}.csv"'
    return response
