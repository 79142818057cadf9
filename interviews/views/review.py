"""Spaced review: what is due today, and a review session in the quiz's answer flow."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews.limits import rate_limited
from interviews.models import Question, Quiz
from interviews.quizzes import EmptyPool, create_quiz
from interviews.review import due_summary, prefs_for, session_questions


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("quiz_create", key="user")
def review(request):
    now = timezone.now()
    prefs = prefs_for(request)
    unfinished = request.user.quizzes.filter(mode=Quiz.Mode.REVIEW, status=Quiz.Status.IN_PROGRESS).first()
    if request.method == "POST":
        if unfinished:
            return redirect(unfinished)
        question_ids = session_questions(request.user, now=now, prefs=prefs)
        try:
            quiz = create_quiz(
                user=request.user,
                questions=Question.objects.filter(pk__in=question_ids),
                mode=Quiz.Mode.REVIEW,
                size=len(question_ids) or 1,
                title=f"Review of {now.astimezone(ZoneInfo(prefs.time_zone)):%-d %B}",
                now=now,
            )
        except EmptyPool:
            messages.info(request, "Nothing is due right now. Well done!")
            return redirect("interviews:review")
        return redirect(quiz)
    summary = due_summary(request.user, now=now, prefs=prefs)
    next_due = None
    if not summary["total"]:
        next_due = request.user.review_cards.filter(reps__gt=0).aggregate(next=Min("due"))["next"]
    context = {"summary": summary, "unfinished": unfinished, "next_due": next_due, "prefs": prefs}
    return render(request, "interviews/review.html", context)
