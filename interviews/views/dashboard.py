"""My progress: totals, streaks, charts, mastery by topic, and an export of my data."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from interviews import charts
from interviews import export as learner_data
from interviews.insights import dashboard_sections
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
        "export_tables": [(name, table.label) for name, table in learner_data.TABLES.items()],
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
        "active_days": [d for d in data["daily"] if d["answered"]],
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
        "due_days": [d for d in data["forecast"] if d["due"]],
        "prefs": prefs,
        **dashboard_sections(request.user, now=timezone.now(), prefs=prefs),
    }
    return render_page(request, "interviews/dashboard.html", context, partial="dashboard-charts")


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
    """Everything the learner has stored (interviews.export), as JSON or one CSV table at a time."""
    fmt = request.GET.get("format", "json")
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "json":
        user = request.user
        data = {"user": {"username": user.get_username(), "email": user.email}, **learner_data.as_dict(user)}
        response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="my-interview-prep-{stamp}.json"'
        return response
    name = request.GET.get("table", "answers")
    if fmt != "csv" or name not in learner_data.TABLES:
        return HttpResponse(
            f"Choose format=json, or format=csv with table={', '.join(learner_data.TABLES)}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = learner_data.TABLES[name]
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    lines = (writer.writerow(map(csv_cell, row)) for row in learner_data.rows(table, request.user))
    response = StreamingHttpResponse(
        (line for chunk in ([writer.writerow(table.columns)], lines) for line in chunk),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-interview-prep-{name}-{stamp}.csv"'
    return response
