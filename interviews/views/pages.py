"""Site-wide pages: home and the health check."""

from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
