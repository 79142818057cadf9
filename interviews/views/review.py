"""Spaced review: what is due today, and a review session in the quiz's answer flow."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews.limits import rate_limited
from interviews.models import Question, Quiz
from interviews.quizzes import EmptyPool, create_quiz
from interviews.review import AHEAD_SIZE, ahead_questions, due_summary, prefs_for, session_questions


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
        ahead = request.POST.get("ahead") == "1"
        question_ids = ahead_questions(request.user) if ahead else session_questions(request.user, now=now, prefs=prefs)
        try:
            quiz = create_quiz(
                user=request.user,
                questions=Question.objects.filter(pk__in=question_ids),
                mode=Quiz.Mode.REVIEW,
                size=len(question_ids) or 1,
                title=f"{'Review ahead' if ahead else 'Review'} of {now.astimezone(ZoneInfo(prefs.time_zone)):%-d %B}",
                now=now,
            )
        except EmptyPool:
            messages.info(request, "Nothing is due right now. Well done!")
            return redirect("interviews:review")
        return redirect(quiz)
    summary = due_summary(request.user, now=now, prefs=prefs)
    next_due, ahead = None, 0
    if not summary["total"]:
        learnt = request.user.review_cards.filter(
            reps__gt=0, suspended=False, question__status=Question.Status.PUBLISHED
        )
        found = learnt.aggregate(next=Min("due"), learnt=Count("id"))
        next_due, ahead = found["next"], min(found["learnt"], AHEAD_SIZE)
    context = {
        "summary": summary,
        "review_due": summary,  # the badge counts what the page counted
        "unfinished": unfinished,
        "next_due": next_due,
        "prefs": prefs,
        "ahead": ahead,
    }
    return render(request, "interviews/review.html", context)
