"""Site-wide pages: home and the health check."""

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from interviews import metrics as prometheus
from interviews.health import cache_status, database_status, tasks_status
from interviews.insights import readiness_data
from interviews.models import Question, Quiz, Topic
from interviews.progress import current_streak
from interviews.review import prefs_for


@require_safe
def home(request):
    bank = Question.objects.published().aggregate(
        total=Count("id"),
        topics=Count("topic", distinct=True),
        open=Count("id", filter=Q(kind="open")),
        output=Count("id", filter=Q(kind="output")),
    )
    context = {"bank": bank, "topics": Topic.objects.with_published_counts()}
    if request.user.is_authenticated:
        prefs = prefs_for(request)
        today = timezone.now().astimezone(ZoneInfo(prefs.time_zone)).date()
        context["unfinished"] = request.user.quizzes.filter(status=Quiz.Status.IN_PROGRESS).first()
        context["recent"] = request.user.quizzes.exclude(status=Quiz.Status.IN_PROGRESS)[:5]
        context["streak"] = current_streak(request.user, today=today)
        context |= readiness_data(request.user, now=timezone.now(), prefs=prefs)
    return render(request, "interviews/home.html", context)


@require_safe
@never_cache
def healthz(request):
    checks = {"database": database_status(), "cache": cache_status(), "tasks": tasks_status()}
    # A load balancer should stop sending learners where answers cannot be saved or sessions read.
    healthy = checks["database"] == "up" and checks["cache"] == "up"
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


@require_safe
@never_cache
def metrics(request):
    """Prometheus scrapes this with `Authorization: Bearer $METRICS_TOKEN`; without it the page does not exist."""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    token = settings.METRICS_TOKEN
    if not token or not secrets.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(prometheus.latest(), content_type="text/plain; version=0.0.4; charset=utf-8")
