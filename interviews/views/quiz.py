"""Quizzes: the builder, taking a quiz one question at a time, and the results."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews.forms import AnswerForm, QuizBuilderForm, RatingForm
from interviews.models import Answer, Question, Quiz, QuizQuestion, Topic
from interviews.quizzes import (
    EmptyPool,
    Outcome,
    Submission,
    create_quiz,
    load_grading_key,
    locked_item,
    missed_questions,
    pool_for_mode,
    rate_answer,
    record_answer,
    set_flag,
    submit_exam,
)
from interviews.review import prefs_for
from interviews.views import render_page

MAX_TIME_TAKEN_MS = 60 * 60 * 1000
# A quiz question still to answer: no answer yet, or an open question revealed but not yet rated.
NOT_FINAL = Q(answer__isnull=True) | Q(answer__is_correct__isnull=True)
SHOWN_SALT = "quiz-question-shown"


EMPTY_PRESETS = {
    "bookmarks": "You have no bookmarked questions yet. Bookmark questions in the bank to practise them here.",
    "missed": "Nothing to practise: every question you have answered, you got right the last time.",
    "selected": "None of those questions can be practised any more.",
}


@require_http_methods(["GET", "POST"])
@login_required
def quiz_new(request):
    topics = list(Topic.objects.all())
    preset = request.POST.get("preset")
    # A preset button posts no builder fields, so the builder is shown unbound, without their errors.
    form = QuizBuilderForm(request.POST if request.method == "POST" and not preset else None, topics=topics)
    status, problem = 200, ""
    if request.method == "POST":
        try:
            quiz = _build(request, form, preset)
        except EmptyPool as error:
            quiz, problem = None, EMPTY_PRESETS.get(preset, str(error))
        if quiz:
            return redirect(quiz)
        if preset and not problem:
            problem = "That preset does not exist."
        status = 422
    context = {
        "form": form,
        "problem": problem,
        "presets": QuizBuilderForm.PRESETS,
        "unfinished": request.user.quizzes.filter(status=Quiz.Status.IN_PROGRESS).first(),
    }
    return render_page(request, "interviews/quiz_new.html", context, status=status)


def _build(request, form, preset) -> Quiz | None:
    now = timezone.now()
    published = Question.objects.published()
    if preset == "selected":
        # "Practise these" on the dashboard: the questions it listed.
        ids = [number for number in map(_int, request.POST.getlist("question")[: Quiz.MAX_SIZE]) if number]
        return create_quiz(
            user=request.user,
            questions=published.filter(pk__in=ids),
            mode="practice",
            size=Quiz.MAX_SIZE,
            title="Practise my misses",
            now=now,
        )
    if preset:
        if preset not in QuizBuilderForm.PRESETS:
            return None
        pools = {
            "quick10": (pool_for_mode(published, "practice"), 10),
            "pytorch-core": (pool_for_mode(published.filter(topic__slug="pytorch-core"), "practice"), 50),
            "bookmarks": (published.filter(bookmarks__user=request.user), 50),
            "missed": (missed_questions(request.user), 50),
        }
        questions, size = pools[preset]
        quiz = create_quiz(
            user=request.user,
            questions=questions,
            mode="practice",
            size=size,
            title=QuizBuilderForm.PRESETS[preset],
            now=now,
        )
    else:
        if not form.is_valid():
            return None
        data = form.cleaned_data
        questions = published
        if data["topics"]:
            questions = questions.filter(topic__slug__in=data["topics"])
        if data["difficulties"]:
            questions = questions.filter(difficulty__in=data["difficulties"])
        questions = pool_for_mode(questions, data["mode"], data["kinds"] or None)
        limit = data["time_limit_minutes"]
        per_question = data["per_question_minutes"]
        quiz = create_quiz(
            user=request.user,
            questions=questions,
            mode=data["mode"],
            size=data["size"],
            title=f"{dict(Quiz.Mode.choices)[data['mode']]} quiz",
            now=now,
            time_limit_seconds=limit * 60 if limit else None,
            per_question_seconds=per_question * 60 if per_question else None,
        )
        if quiz.size < data["size"]:
            messages.info(request, f"Only {quiz.size} questions match your choices, so this quiz has {quiz.size}.")
    return quiz


def _shown_token(question_id: int) -> str:
    return signing.dumps({"q": question_id, "t": int(time.time() * 1000)}, salt=SHOWN_SALT)


def _time_taken_ms(token: str, question_id: int) -> int:
    """How long the question was on screen, from a signed timestamp the page carried."""
    try:
        data = signing.loads(token, salt=SHOWN_SALT, max_age=24 * 3600)
    except (signing.BadSignature, TypeError):
        return 0
    if data.get("q") != question_id:
        return 0
    return max(0, min(MAX_TIME_TAKEN_MS, int(time.time() * 1000) - int(data.get("t", 0))))


@require_http_methods(["GET", "POST"])
@login_required
def quiz_detail(request, pk):
    if request.method == "POST":
        return _quiz_action(request, pk)
    now = timezone.now()
    if not request.GET:
        # The common case, an open practice or interview quiz: its current question in one query.
        item = (
            QuizQuestion.objects.select_related("quiz", "question__topic", "answer")
            .filter(NOT_FINAL, quiz_id=pk, quiz__user=request.user, quiz__status=Quiz.Status.IN_PROGRESS)
            .exclude(quiz__mode=Quiz.Mode.EXAM)
            .first()
        )
        if item is not None:
            return _current_card(request, item.quiz, item, now)
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    if quiz.is_open and quiz.is_past_deadline(now):
        submit_exam(quiz=quiz, now=now, prefs=prefs_for(request))
        messages.warning(request, "Time is up: your exam was submitted at its time limit.")
    answered_position = _int(request.GET.get("answered"))
    if answered_position and not quiz.is_exam:
        # The feedback page after a plain (no-JavaScript) answer, also for the answer that ended the quiz.
        item = quiz.items.select_related("question__topic", "answer").filter(position=answered_position).first()
        if item is not None and getattr(item, "answer", None) is not None:
            load_grading_key([item.question])
            state = "rating" if quiz.is_open and not item.answer.is_final else "feedback"
            return _card(request, quiz, item, now, state=state)
    if not quiz.is_open:
        return redirect("interviews:quiz-results", pk=quiz.pk)
    if quiz.is_exam:
        return _exam_page(request, quiz, now)
    item = quiz.items.select_related("question__topic", "answer").filter(NOT_FINAL).first()
    if item is None:  # every question has a final answer
        return redirect("interviews:quiz-results", pk=quiz.pk)
    return _current_card(request, quiz, item, now)


def _current_card(request, quiz, item, now):
    """The question to answer next, or its rating step if it is an open question already revealed."""
    load_grading_key([item.question])
    state = "rating" if getattr(item, "answer", None) is not None else "question"
    return _card(request, quiz, item, now, state=state)


def _exam_page(request, quiz, now, *, position=None, form=None, notice="", status=200):
    items = list(quiz.items.select_related("question__topic", "answer"))
    position = position or _int(request.GET.get("q")) or 1
    position = min(max(1, position), len(items))
    item = items[position - 1]
    load_grading_key([item.question])
    return _card(request, quiz, item, now, state="exam", items=items, form=form, notice=notice, status=status)


def _card(request, quiz, item, now, *, state, items=None, form=None, rating_form=None, notice="", status=200):
    question = item.question
    answer = getattr(item, "answer", None)
    if form is None and state in {"question", "exam"}:
        initial = {"text": answer.text} if answer is not None else {}
        form = AnswerForm(initial=initial, question=question)
    if form is not None and form.is_bound:
        selected = {_int(value) for value in form.data.getlist("choice")}
    else:
        selected = set(answer.selected_choice_ids) if answer is not None else set()
    context = {
        "quiz": quiz,
        "item": item,
        "question": question,
        "answer": answer,
        "state": state,
        "form": form,
        "selected": selected,
        "rating_form": rating_form or (RatingForm(key_points=question.key_point_list) if state == "rating" else None),
        "shown_token": _shown_token(question.pk),
        "seconds_left": quiz.seconds_left(now),
        "items": items,
        "notice": notice,
        "unanswered": sum(1 for i in items if getattr(i, "answer", None) is None) if items else 0,
        "choice_states": _choice_states(question, answer) if state == "feedback" else None,
    }
    return render_page(request, "interviews/quiz_detail.html", context, partial="question-card", status=status)


def _choice_states(question, answer):
    selected = set(answer.selected_choice_ids) if answer else set()
    return [(choice, choice.pk in selected) for choice in question.choices.all()] if question.kind != "short" else []


def _int(value) -> int | None:
    """A positive database-sized integer from user input, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _quiz_action(request, pk):
    action = request.POST.get("action")
    if action == "answer":
        return _answer(request, pk)
    if action == "rate":
        return _rate(request, pk)
    if action == "flag":
        return _flag(request, pk)
    if action == "submit":
        return _submit(request, pk)
    if action == "abandon":
        return _abandon(request, pk)
    get_object_or_404(request.user.quizzes, pk=pk)
    return render_page(request, "interviews/quiz_refused.html", {"message": "Unknown action."}, status=400)


def _question_id(request) -> int | None:
    return _int(request.POST.get("question"))


def _refused(request, quiz, message, status=409):
    if request.htmx:
        return render_page(request, "interviews/quiz_refused.html", {"quiz": quiz, "message": message}, status=status)
    messages.error(request, message)
    return redirect(quiz)


def _locked_item_or_refusal(request, pk, question_id):
    """The item to answer, or the response that refuses it: 404 for someone else's quiz."""
    try:
        return locked_item(request.user, pk, question_id or 0), None
    except QuizQuestion.DoesNotExist:
        quiz = get_object_or_404(request.user.quizzes, pk=pk)
        return None, _refused(request, quiz, "That question is not part of this quiz.", status=422)


def _answer(request, pk):
    now = timezone.now()
    prefs = prefs_for(request)
    with transaction.atomic():
        item, refusal = _locked_item_or_refusal(request, pk, _question_id(request))
        if refusal:
            return refusal
        quiz = item.quiz
        form = AnswerForm(request.POST, question=item.question)
        replay = getattr(item, "answer", None) is not None and not quiz.is_exam
        if not replay and not form.is_valid():
            outcome = None
        else:
            valid = form.is_valid()
            submission = Submission(
                choice_ids=form.choice_ids() if valid else [],
                text=form.cleaned_data.get("text", "") if valid else "",
                time_taken_ms=_time_taken_ms(request.POST.get("shown", ""), item.question_id),
            )
            outcome = record_answer(quiz=quiz, item=item, submission=submission, now=now, prefs=prefs)
    if outcome is None:
        if quiz.is_exam:
            return _exam_page(request, quiz, now, position=item.position, form=form, status=422)
        return _card(request, quiz, item, now, state="question", form=form, status=422)
    return _after_answer(request, outcome, now)


def _after_answer(request, outcome: Outcome, now):
    quiz, item = outcome.quiz, outcome.item
    if outcome.refused:
        if not quiz.is_open:
            if request.htmx:
                return _refused(request, quiz, outcome.refused)
            messages.warning(request, outcome.refused)
            return redirect("interviews:quiz-results", pk=quiz.pk)
        return _refused(request, quiz, outcome.refused, status=422)
    if quiz.is_exam:
        if request.htmx:
            return _exam_page(request, quiz, now, position=item.position, notice="Answer saved.")
        messages.success(request, "Answer saved.")
        return redirect(f"{quiz.get_absolute_url()}?q={item.position}")
    state = "rating" if item.question.kind == Question.Kind.OPEN and not outcome.answer.self_rating else "feedback"
    if request.htmx:
        return _card(request, quiz, item, now, state=state)
    if state == "rating":
        return redirect(quiz)
    return redirect(f"{quiz.get_absolute_url()}?answered={item.position}")


def _rate(request, pk):
    now = timezone.now()
    prefs = prefs_for(request)
    with transaction.atomic():
        item, refusal = _locked_item_or_refusal(request, pk, _question_id(request))
        if refusal:
            return refusal
        quiz = item.quiz
        form = RatingForm(request.POST, key_points=item.question.key_point_list)
        if not form.is_valid():
            return _card(request, quiz, item, now, state="rating", rating_form=form, status=422)
        outcome = rate_answer(
            quiz=quiz,
            item=item,
            rating=form.cleaned_data["rating"],
            covered_points=form.cleaned_data["points"],
            now=now,
            prefs=prefs,
        )
    if outcome.refused:
        return _refused(request, quiz, outcome.refused, status=422)
    if request.htmx:
        return _card(request, quiz, item, now, state="feedback")
    return redirect(f"{quiz.get_absolute_url()}?answered={item.position}")


def _flag(request, pk):
    now = timezone.now()
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    try:
        item = quiz.items.get(position=_int(request.POST.get("position")) or 0)
    except QuizQuestion.DoesNotExist:
        return _refused(request, quiz, "That question is not part of this quiz.", status=422)
    if not quiz.is_open:
        return _refused(request, quiz, "This quiz is finished.")
    set_flag(item=item, flagged=request.POST.get("flagged") == "1")
    if request.htmx:
        return _exam_page(request, quiz, now, position=item.position)
    return redirect(f"{quiz.get_absolute_url()}?q={item.position}")


def _submit(request, pk):
    now = timezone.now()
    with transaction.atomic():
        quiz = get_object_or_404(request.user.quizzes.select_for_update(), pk=pk)
        if not quiz.is_open:
            return redirect("interviews:quiz-results", pk=quiz.pk)
        unanswered = quiz.size - quiz.answered_count
        if unanswered and request.POST.get("confirm") != "1" and not quiz.is_past_deadline(now):
            position = _int(request.POST.get("position")) or 1
            notice = (
                f"You have {unanswered} unanswered question{'s' if unanswered != 1 else ''}. "
                "Submit anyway, or go back and answer them."
            )
            return _exam_page(request, quiz, now, position=position, notice=notice, status=200)
        submit_exam(quiz=quiz, now=now, prefs=prefs_for(request))
    messages.success(request, "Exam submitted.")
    return _go_to_results(request, quiz)


def _abandon(request, pk):
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    if quiz.is_open:
        quiz.abandon(now=timezone.now())
        messages.info(request, "Quiz abandoned. Its answers still count towards your progress.")
    return redirect("interviews:quiz-new")


def _go_to_results(request, quiz):
    response = redirect("interviews:quiz-results", pk=quiz.pk)
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


@require_http_methods(["GET", "POST"])
@login_required
def quiz_results(request, pk):
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    if request.method == "POST":
        return _retry_missed(request, quiz)
    if quiz.is_open:
        messages.info(request, "This quiz is still in progress.")
        return redirect(quiz)
    items = list(quiz.items.select_related("question__topic", "answer"))
    load_grading_key([item.question for item in items])
    by_topic = (
        QuizQuestion.objects.filter(quiz=quiz)
        .values("question__topic__name")
        .annotate(total=Count("id"), correct=Count("id", filter=Q(answer__is_correct=True)))
        .order_by("question__topic__name")
    )
    time_taken = Answer.objects.filter(quiz=quiz).aggregate(total=Sum("time_taken_ms"))["total"] or 0
    rows = [
        (item, getattr(item, "answer", None), _choice_states(item.question, getattr(item, "answer", None)))
        for item in items
    ]
    context = {
        "quiz": quiz,
        "rows": rows,
        "by_topic": by_topic,
        "time_taken_seconds": round(time_taken / 1000),
        "missed_count": sum(1 for item, answer, _ in rows if not (answer and answer.is_correct)),
    }
    return render_page(request, "interviews/quiz_results.html", context)


def _retry_missed(request, quiz):
    if quiz.is_open:
        return redirect(quiz)
    missed = Question.objects.filter(
        pk__in=quiz.items.exclude(answer__is_correct=True).values("question_id")
    ).published()
    mode = Quiz.Mode.PRACTICE if quiz.is_exam else quiz.mode
    try:
        retry = create_quiz(
            user=request.user,
            questions=missed,
            mode=mode,
            size=Quiz.MAX_SIZE,
            title=f"Retry: {quiz.title}",
            now=timezone.now(),
            source=quiz,
        )
    except EmptyPool:
        messages.info(request, "Nothing to retry: you got every question right.")
        return redirect("interviews:quiz-results", pk=quiz.pk)
    return redirect(retry)
