"""Quizzes: the builder, taking a quiz one question at a time, and the results."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from interviews import metrics
from interviews.chains import drill_downs
from interviews.first_answers import record_first_answer
from interviews.forms import AnswerForm, RatingForm
from interviews.hot_reads import answer_item, current_item
from interviews.limits import rate_limited
from interviews.models import Answer, Question, Quiz, QuizQuestion
from interviews.question_memo import kept_question
from interviews.quizzes import (
    CHOICE_KINDS,
    NOT_FINAL,
    WITHDRAWN,
    WITHDRAWN_REASON,
    EmptyPool,
    Outcome,
    Submission,
    create_quiz,
    grade_submission,
    load_grading_key,
    locked_item,
    override_answer,
    rate_answer,
    record_answer,
    retry_title,
    set_flag,
    skip_withdrawn,
    submit_exam,
)
from interviews.review import forget_due_summary, prefs_for
from interviews.shuffle import choice_order, item_seed
from interviews.views import positive_id, render_page
from interviews.views.quiz_aids import card_aids

MAX_TIME_TAKEN_MS = 60 * 60 * 1000
# A quiz question still to ask: no final answer, and not skipped as withdrawn.
STILL_TO_ASK = NOT_FINAL & Q(skipped=False)
SHOWN_SALT = "quiz-question-shown"
SUPERSEDED = (
    "Your answer was not recorded: this question had already been answered, in another tab or by an earlier "
    "click, and that answer stands. This is the recorded one."
)


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
@rate_limited("answer", key="user")
def quiz_detail(request, pk):
    if request.method == "POST":
        return _quiz_action(request, pk)
    now = timezone.now()
    if not request.GET:
        # The common case, an open practice or interview quiz: its current question in one query,
        # with the question (and its choices) as this worker keeps it.
        item = current_item(request.user, pk)
        if item is not None and item.question.status == Question.Status.PUBLISHED:
            return _current_card(request, item.quiz, item, now)
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    if quiz.is_open and quiz.is_past_deadline(now):
        submit_exam(quiz=quiz, now=now, prefs=prefs_for(request))
        forget_due_summary(request.user)  # the one GET that reschedules cards
        messages.warning(request, "Time is up: your exam was submitted at its time limit.")
    answered_position = positive_id(request.GET.get("answered"))
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
    item = quiz.items.select_related("question__topic", "answer").filter(STILL_TO_ASK).first()
    notice = ""
    if item is not None and item.question.status != Question.Status.PUBLISHED:
        with transaction.atomic():
            quiz = get_object_or_404(request.user.quizzes.select_for_update(), pk=pk)
            positions = skip_withdrawn(quiz=quiz, now=now)
        notice = _skipped_notice(positions) if positions else ""
        if not quiz.is_open:  # that was the last question
            messages.info(request, notice)
            return _go_to_results(request, quiz)
        item = quiz.items.select_related("question__topic", "answer").filter(STILL_TO_ASK).first()
    if item is None:  # every question has a final answer
        return redirect("interviews:quiz-results", pk=quiz.pk)
    return _current_card(request, quiz, item, now, notice=notice)


def _skipped_notice(positions: list[int]) -> str:
    if len(positions) == 1:
        return f"Question {positions[0]} was skipped. {WITHDRAWN_REASON}"
    numbers = f"{', '.join(map(str, positions[:-1]))} and {positions[-1]}"
    return (
        f"Questions {numbers} were skipped. A curator withdrew them because they were found to be wrong "
        "or unclear; they do not count towards your score."
    )


def _current_card(request, quiz, item, now, *, notice=""):
    """The question to answer next, or its rating step if it is an open question already revealed."""
    item.question = kept_question(item.question)
    state = "rating" if getattr(item, "answer", None) is not None else "question"
    return _card(request, quiz, item, now, state=state, notice=notice)


def _exam_page(request, quiz, now, *, position=None, form=None, notice="", confirm_submit=False, status=200):
    items = list(quiz.items.select_related("question__topic", "answer"))
    position = position or positive_id(request.GET.get("q")) or 1
    position = min(max(1, position), len(items))
    item = items[position - 1]
    item.question = kept_question(item.question)
    return _card(
        request,
        quiz,
        item,
        now,
        state="withdrawn" if _is_withdrawn(item) else "exam",
        items=items,
        form=form,
        notice=notice,
        confirm_submit=confirm_submit,
        status=status,
    )


def _is_withdrawn(item) -> bool:
    """Skipped, or withdrawn by a curator and not answered yet (so it will be skipped)."""
    answer = getattr(item, "answer", None)
    return item.skipped or (item.question.status != Question.Status.PUBLISHED and answer is None)


def _card(
    request,
    quiz,
    item,
    now,
    *,
    state,
    items=None,
    form=None,
    rating_form=None,
    notice="",
    confirm_submit=False,
    status=200,
):
    question = item.question
    answer = getattr(item, "answer", None)
    if form is None and state in {"question", "exam"}:
        initial = {"text": answer.text} if answer is not None else {}
        form = AnswerForm(initial=initial, question=question, seed=item_seed(item.pk))
    if form is not None and form.is_bound:
        selected = {positive_id(value) for value in form.data.getlist("choice")}
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
        "unanswered": sum(1 for i in items if getattr(i, "answer", None) is None and not _is_withdrawn(i))
        if items
        else 0,
        "flagged": sum(1 for i in items if i.flagged) if items else 0,
        "confirm_submit": confirm_submit,
        "withdrawn": WITHDRAWN,
        "choice_states": _choice_states(item, answer) if state == "feedback" else None,
        **card_aids(request, quiz, item, state, form, now),
    }
    return render_page(request, "interviews/quiz_detail.html", context, partial="question-card", status=status)


def _choice_states(item, answer):
    """The item's choices in the order the learner saw them, each with whether it was picked."""
    question = item.question
    if question.kind not in CHOICE_KINDS:
        return []
    selected = set(answer.selected_choice_ids) if answer else set()
    ordered = choice_order(question.choices.all(), kind=question.kind, seed=item_seed(item.pk))
    return [(choice, choice.pk in selected) for choice in ordered]


def _quiz_action(request, pk):
    action = request.POST.get("action")
    if action == "answer":
        return _answer(request, pk)
    if action == "rate":
        return _rate(request, pk)
    if action == "override":
        return _override(request, pk)
    if action == "flag":
        return _flag(request, pk)
    if action == "submit":
        return _submit(request, pk)
    if action == "abandon":
        return _abandon(request, pk)
    get_object_or_404(request.user.quizzes, pk=pk)
    return render_page(request, "interviews/quiz_refused.html", {"message": "Unknown action."}, status=400)


def _question_id(request) -> int | None:
    return positive_id(request.POST.get("question"))


def _refused(request, quiz, message, status=409):
    if request.htmx:
        return render_page(request, "interviews/quiz_refused.html", {"quiz": quiz, "message": message}, status=status)
    messages.error(request, message)
    return redirect(quiz)


def _locked_item_or_refusal(request, pk, question_id, *, graded=None):
    """The item to answer, or the response that refuses it: 404 for someone else's quiz."""
    try:
        return locked_item(request.user, pk, question_id or 0, graded=graded), None
    except QuizQuestion.DoesNotExist:
        return None, _not_in_quiz(request, pk)


def _not_in_quiz(request, pk):
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    return _refused(request, quiz, "That question is not part of this quiz.", status=422)


def _answer(request, pk):
    now = timezone.now()
    prefs = prefs_for(request)
    question_id = _question_id(request)
    # Validate and grade before the write transaction: a slow grade must never hold the lock
    # that every other writer waits for.
    try:
        item = answer_item(request.user, pk, question_id or 0)
    except QuizQuestion.DoesNotExist:
        return _not_in_quiz(request, pk)
    form = AnswerForm(request.POST, question=item.question, seed=item_seed(item.pk))
    valid = form.is_valid()
    submission = Submission(
        choice_ids=form.choice_ids() if valid else [],
        text=form.cleaned_data.get("text", "") if valid else "",
        time_taken_ms=_time_taken_ms(request.POST.get("shown", ""), item.question_id),
        confidence=form.cleaned_data.get("confidence") if valid else None,
    )
    if not valid and getattr(item, "answer", None) is None:
        return _refused_answer(request, item.quiz, item, form, now)
    verdict = grade_submission(item.question, submission) if valid else None
    if valid:
        outcome = record_first_answer(item=item, submission=submission, verdict=verdict, now=now, prefs=prefs)
        if outcome is not None:
            return _after_answer(request, outcome, now)
    with transaction.atomic():
        item, refusal = _locked_item_or_refusal(request, pk, question_id, graded=item.question)
        if refusal:
            return refusal
        quiz = item.quiz
        # Stored meanwhile (another tab): a final answer is replayed whatever this one says.
        replay = getattr(item, "answer", None) is not None and not quiz.is_exam
        if not replay and not valid:
            outcome = None
        else:
            outcome = record_answer(quiz=quiz, item=item, submission=submission, now=now, prefs=prefs, verdict=verdict)
    if outcome is None:
        return _refused_answer(request, quiz, item, form, now)
    return _after_answer(request, outcome, now)


def _refused_answer(request, quiz, item, form, now):
    if quiz.is_exam:
        return _exam_page(request, quiz, now, position=item.position, form=form, status=422)
    return _card(request, quiz, item, now, state="question", form=form, status=422)


def _after_answer(request, outcome: Outcome, now):
    quiz, item = outcome.quiz, outcome.item
    if outcome.refused:
        if not quiz.is_open:
            if request.htmx:
                return _refused(request, quiz, outcome.refused)
            messages.warning(request, outcome.refused)
            return redirect("interviews:quiz-results", pk=quiz.pk)
        return _refused(request, quiz, outcome.refused, status=422)
    if not outcome.replayed:
        metrics.ANSWERS_RECORDED.labels(quiz.mode).inc()
    if quiz.is_exam:
        if request.htmx:
            return _exam_page(request, quiz, now, position=item.position, notice="Answer saved.")
        messages.success(request, "Answer saved.")
        return redirect(f"{quiz.get_absolute_url()}?q={item.position}")
    state = "rating" if item.question.kind == Question.Kind.OPEN and not outcome.answer.self_rating else "feedback"
    notice = SUPERSEDED if outcome.superseded else ""
    if request.htmx:
        return _card(request, quiz, item, now, state=state, notice=notice)
    if notice:
        messages.warning(request, notice)
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


def _override(request, pk):
    """The learner claims a typed answer marked wrong was right ("I was right")."""
    now = timezone.now()
    with transaction.atomic():
        item, refusal = _locked_item_or_refusal(request, pk, _question_id(request))
        if refusal:
            return refusal
        outcome = override_answer(quiz=item.quiz, item=item, now=now, prefs=prefs_for(request))
    quiz = outcome.quiz
    if outcome.refused:
        return _refused(request, quiz, outcome.refused, status=422)
    if request.POST.get("next") == "results" and not quiz.is_open:
        messages.success(request, "Marked as right. Your score and review schedule now count it as correct.")
        return redirect(f"{reverse('interviews:quiz-results', args=[quiz.pk])}#item-{item.position}")
    if request.htmx:
        return _card(request, quiz, item, now, state="feedback")
    return redirect(f"{quiz.get_absolute_url()}?answered={item.position}")


def _flag(request, pk):
    now = timezone.now()
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    try:
        item = quiz.items.get(position=positive_id(request.POST.get("position")) or 0)
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
        unanswered = quiz.counted_size - quiz.answered_count
        flagged = quiz.items.filter(flagged=True).count()
        if (unanswered or flagged) and request.POST.get("confirm") != "1" and not quiz.is_past_deadline(now):
            position = positive_id(request.POST.get("position")) or 1
            return _exam_page(
                request,
                quiz,
                now,
                position=position,
                notice=_submit_warning(unanswered, flagged),
                confirm_submit=True,
            )
        submit_exam(quiz=quiz, now=now, prefs=prefs_for(request))
    messages.success(request, "Exam submitted.")
    return _go_to_results(request, quiz)


def _submit_warning(unanswered: int, flagged: int) -> str:
    parts = []
    if unanswered:
        parts.append(f"{unanswered} unanswered question{'s' if unanswered != 1 else ''}")
    if flagged:
        parts.append(f"{flagged} question{'s' if flagged != 1 else ''} flagged for later")
    return (
        f"You have {' and '.join(parts)}. Submit anyway, or go back to {'it' if unanswered + flagged == 1 else 'them'}."
    )


def _abandon(request, pk):
    quiz = get_object_or_404(request.user.quizzes, pk=pk)
    if request.POST.get("confirm") != "1":
        # The button sits inside a disclosure that asks first; a bare post changes nothing.
        messages.info(request, "The quiz was not abandoned: confirm with “Yes, abandon this quiz”.")
        return redirect(quiz)
    if quiz.is_open:
        quiz.abandon(now=timezone.now())
        messages.info(request, "Quiz abandoned. Its answers still count towards your progress.")
    return redirect("interviews:quiz-new")


def _go_to_results(request, quiz):
    if request.htmx:  # the whole page, not swapped into the card
        return HttpResponseClientRedirect(reverse("interviews:quiz-results", args=[quiz.pk]))
    return redirect("interviews:quiz-results", pk=quiz.pk)


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("quiz_create", key="user")
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
        (item, getattr(item, "answer", None), _choice_states(item, getattr(item, "answer", None))) for item in items
    ]
    context = {
        "quiz": quiz,
        "rows": rows,
        "by_topic": by_topic,
        "time_taken_seconds": round(time_taken / 1000),
        "missed_count": sum(1 for item, answer, _ in rows if not (answer and answer.is_correct) and not item.skipped),
        "drill_downs": drill_downs(items),
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
            title=retry_title(quiz.title),
            now=timezone.now(),
            source=quiz,
        )
    except EmptyPool:
        messages.info(request, "Nothing to retry: you got every question right.")
        return redirect("interviews:quiz-results", pk=quiz.pk)
    return redirect(retry)
