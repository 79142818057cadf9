"""The question bank: browse and search, one question with its bookmark, note and report, my bookmarks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from interviews.forms import LearnerStateForm, NoteForm, QuestionFilterForm, ReportForm
from interviews.learner_state import with_learner_state
from interviews.limits import rate_limited
from interviews.models import Bookmark, Note, Question, Topic
from interviews.review import ensure_card, prefs_for
from interviews.scheduling import end_of_today
from interviews.shuffle import choice_order, page_seed
from interviews.views import positive_id, render_page

PAGE_SIZE = 20
RELATED_COUNT = 5


@require_safe
def question_list(request):
    topics = list(Topic.objects.all())
    form = QuestionFilterForm(request.GET, topics=topics)
    form.is_valid()
    questions = form.filter(Question.objects.published().select_related("topic").with_bookmark_state(request.user))
    questions, state_form = _learner_state(request, questions)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    cleaned = form.cleaned_data
    topic = next((t for t in topics if t.slug == cleaned.get("topic")), None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "topic": topic,
        # The empty-result text repeats what was asked, and offers to drop the other filters.
        "searched": cleaned.get("q", "").strip(),
        "filtered": any(cleaned.get(name) for name in ("topic", "difficulty", "kind")),
        "state_form": state_form,
    }
    return render_page(request, "interviews/question_list.html", context, partial="question-results")


def _learner_state(request, questions):
    """For a signed-in learner: each question's state for them, and the filter by it."""
    if not request.user.is_authenticated:
        return questions, None
    state_form = LearnerStateForm(request.GET)
    prefs = prefs_for(request)
    questions = with_learner_state(questions, request.user, due_before=end_of_today(timezone.now(), prefs.time_zone))
    if state_form.is_valid() and (state := state_form.cleaned_data["state"]):
        questions = questions.filter(learner_state=state)
    return questions, state_form


@require_http_methods(["GET", "POST"])
@rate_limited("note", key="user_or_ip")
def question_detail(request, slug):
    questions = Question.objects.visible_to(request.user).select_related("topic").prefetch_related("choices")
    question = get_object_or_404(questions.with_bookmark_state(request.user), slug=slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(question.get_absolute_url())
        action = request.POST.get("action")
        if action == "bookmark":
            return _set_bookmark(request, question)
        if action == "note":
            return _save_note(request, question)
        if action == "report":
            return _send_report(request, question)
        return HttpResponseBadRequest("Unknown action.")
    note = Note.objects.filter(user=request.user, question=question).first() if request.user.is_authenticated else None
    return render_page(request, "interviews/question_detail.html", _detail_context(request, question, note=note))


def _detail_context(request, question, *, note=None, note_form=None, report_form=None):
    related = (
        Question.objects.published()
        .filter(topic=question.topic)
        .exclude(pk=question.pk)
        .only("slug", "prompt", "prompt_html", "kind", "difficulty")[:RELATED_COUNT]
    )
    seed = page_seed(request.user.pk, question.pk)
    return {
        "question": question,
        "choices": choice_order(question.choices.all(), kind=question.kind, seed=seed),
        "note": note,
        "note_form": note_form or NoteForm(instance=note),
        "report_form": report_form or ReportForm(user=request.user),
        "related": related,
    }


def _set_bookmark(request, question):
    # The button says which state it wants, so a repeated request cannot flip it back.
    wanted = request.POST.get("bookmarked") == "1"
    if wanted:
        try:
            with transaction.atomic():
                Bookmark.objects.get_or_create(user=request.user, question=question)
        except IntegrityError:
            pass  # a concurrent request created it first
        ensure_card(request.user, question, now=timezone.now())
    else:
        Bookmark.objects.filter(user=request.user, question=question).delete()
    question.is_bookmarked = wanted
    if request.htmx:
        return render_page(
            request, "interviews/question_detail.html", {"question": question}, partial="bookmark-toggle"
        )
    messages.success(request, "Bookmarked." if wanted else "Bookmark removed.")
    return redirect(question)


def _save_note(request, question):
    note = Note.objects.filter(user=request.user, question=question).first()
    form = NoteForm(request.POST, instance=note)
    if not form.is_valid():
        context = _detail_context(request, question, note=note, note_form=form)
        return render_page(request, "interviews/question_detail.html", context, partial="note", status=422)
    if form.cleaned_data["body"].strip():
        note = form.save(commit=False)
        note.user, note.question = request.user, question
        note.save()
        message = "Note saved."
    else:
        if note:
            note.delete()
        note, message = None, "Note deleted."
    if request.htmx:
        context = {"question": question, "note": note, "note_form": NoteForm(instance=note), "note_message": message}
        return render_page(request, "interviews/question_detail.html", context, partial="note")
    messages.success(request, message)
    return redirect(question)


def _send_report(request, question):
    form = ReportForm(request.POST, user=request.user)
    if not form.is_valid():
        context = _detail_context(request, question, report_form=form)
        return render_page(request, "interviews/question_detail.html", context, partial="report", status=422)
    report = form.save(commit=False)
    report.user, report.question, report.question_version = request.user, question, question.version
    report.save()
    message = "Thank you. A curator will look at your report."
    if request.htmx:
        context = {"question": question, "report_form": ReportForm(user=request.user), "report_message": message}
        return render_page(request, "interviews/question_detail.html", context, partial="report")
    messages.success(request, message)
    return redirect(question)


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("note", key="user")
def bookmark_list(request):
    topic = request.GET.get("topic", "")
    list_url = f"{request.path}?{urlencode({'topic': topic})}" if topic else request.path
    if request.method == "POST":
        if request.POST.get("action") == "undo":
            return _restore_bookmark(request, list_url)
        bookmark_id = positive_id(request.POST.get("bookmark"))
        if bookmark_id is None:
            raise Http404("No such bookmark.")
        bookmark = get_object_or_404(request.user.bookmarks.select_related("question"), pk=bookmark_id)
        bookmark.delete()
        if not request.htmx:
            # The page after the redirect offers the undo, which a flash message cannot hold.
            separator = "&" if topic else "?"
            return redirect(f"{list_url}{separator}{urlencode({'removed': bookmark.question.slug})}")
        return _bookmark_page(request, topic, list_url, removed=bookmark.question)
    removed = None
    if slug := request.GET.get("removed"):
        removed = Question.objects.visible_to(request.user).filter(slug=slug).first()
    return _bookmark_page(request, topic, list_url, removed=removed)


def _bookmark_page(request, topic, list_url, *, removed=None, restored=None):
    bookmarks = request.user.bookmarks.select_related("question__topic")
    if topic:
        bookmarks = bookmarks.filter(question__topic__slug=topic)
    context = {
        "bookmarks": bookmarks,
        "topics": Topic.objects.filter(questions__bookmarks__user=request.user).distinct(),
        "topic": topic,
        "removed": removed,
        "restored": restored,
        "list_url": list_url,
    }
    return render_page(request, "interviews/bookmark_list.html", context, partial="bookmark-list")


def _restore_bookmark(request, list_url):
    """Undo a removal: bookmark the question again."""
    question = get_object_or_404(Question.objects.visible_to(request.user), slug=request.POST.get("question", ""))
    try:
        with transaction.atomic():
            Bookmark.objects.get_or_create(user=request.user, question=question)
    except IntegrityError:
        pass  # a concurrent request restored it first
    if request.htmx:
        return _bookmark_page(request, request.GET.get("topic", ""), list_url, restored=question)
    messages.success(request, f"“{question.prompt.replace('`', '')}” is back in your bookmarks.")
    return redirect(list_url)
