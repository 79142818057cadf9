"""The quiz builder: presets and the form that draws a quiz."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from interviews.chains import chain_from, create_interview, published_chains
from interviews.forms import QuizBuilderForm
from interviews.journal import open_mistake_questions
from interviews.limits import rate_limited
from interviews.models import Question, Quiz, Topic
from interviews.quizzes import EmptyPool, create_quiz, missed_questions, pool_for_mode
from interviews.views import positive_id, render_page

EMPTY_PRESETS = {
    "bookmarks": "You have no bookmarked questions yet. Bookmark questions in the bank to practise them here.",
    "missed": "Nothing to practise: every question you have answered, you got right the last time.",
    "selected": "None of those questions can be practised any more.",
    "mistakes": "Your mistake journal has no open mistakes to drill. Well done!",
    "follow-ups": "That question cannot be practised as an interview question.",
    "question": "That question cannot be practised any more.",
}


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("quiz_create", key="user")
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
    if preset == "follow-ups":
        # "Practise its follow-ups" beside a leech: the question's chain from it on, as a drill-down.
        question_id = positive_id(request.POST.get("question")) or 0
        chain = chain_from(question_id, published_chains())
        return create_interview(
            user=request.user,
            questions=published.filter(pk=question_id),
            size=Quiz.MAX_SIZE,
            title="Follow-up drill-down",
            now=now,
            chains=[chain] if len(chain) > 1 else [],
        )
    if preset == "question":
        # "Practise it in a quiz" on a question's page.
        questions = published.filter(slug=request.POST.get("question", ""))
        return create_quiz(
            user=request.user,
            questions=questions,
            # An open question is answered the interview way: reveal, then rate yourself.
            mode="interview" if questions.filter(kind=Question.Kind.OPEN).exists() else "practice",
            size=1,
            title="Practise one question",
            now=now,
        )
    if preset == "selected":
        # "Practise these" on the dashboard: the questions it listed.
        ids = [number for number in map(positive_id, request.POST.getlist("question")[: Quiz.MAX_SIZE]) if number]
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
            "bookmarks": (_bookmarked(published, request.user, request.POST.get("topic")), 50),
            "missed": (missed_questions(request.user), 50),
            "mistakes": (open_mistake_questions(request.user), 50),
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
        if data["mode"] == Quiz.Mode.INTERVIEW and data["follow_ups"]:
            return _interview_with_follow_ups(request, questions, data, now)
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


def _interview_with_follow_ups(request, questions, data, now) -> Quiz:
    per_question = data["per_question_minutes"]
    quiz = create_interview(
        user=request.user,
        questions=questions,
        size=data["size"],
        title="Interview quiz",
        now=now,
        per_question_seconds=per_question * 60 if per_question else None,
    )
    if quiz.size < data["size"]:
        messages.info(request, f"Only {quiz.size} questions match your choices, so this quiz has {quiz.size}.")
    return quiz


def _bookmarked(questions, user, topic: str | None):
    """My bookmarks, or those in one topic ("Quiz these" on a filtered bookmarks page)."""
    questions = questions.filter(bookmarks__user=user)
    return questions.filter(topic__slug=topic) if topic else questions
