"""My mistake journal: every miss with my reason, filters, and the drill of the open ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from interviews.forms import JournalEntryForm, JournalFilterForm
from interviews.journal import describe
from interviews.limits import rate_limited
from interviews.models import Topic
from interviews.quizzes import load_grading_key
from interviews.views import positive_id, render_page

PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("note", key="user")
def journal(request):
    if request.method == "POST":
        return _save_reason(request)
    topics = list(Topic.objects.all())
    filters = JournalFilterForm(request.GET, topics=topics)
    filters.is_valid()
    entries = filters.filter(request.user.journal_entries.select_related("question__topic", "answer__quiz"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    load_grading_key(entry.question for entry in page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    counts = request.user.journal_entries.aggregate(
        open=Count("id", filter=Q(resolved_at__isnull=True)),
        open_questions=Count("question", filter=Q(resolved_at__isnull=True), distinct=True),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
    )
    context = {
        "filters": filters,
        "page": page,
        "rows": [_row(entry) for entry in page.object_list],
        "query": query.urlencode(),
        "counts": counts,
    }
    return render_page(request, "interviews/journal.html", context, partial="journal-entries")


def _row(entry, form=None, message=""):
    form = form or JournalEntryForm(instance=entry, auto_id=f"entry-{entry.pk}-%s")
    return {"entry": entry, "described": describe(entry), "form": form, "message": message}


def _save_reason(request):
    entries = request.user.journal_entries.select_related("question__topic", "answer__quiz")
    entry = get_object_or_404(entries, pk=positive_id(request.POST.get("entry")) or 0)
    form = JournalEntryForm(request.POST, instance=entry, auto_id=f"entry-{entry.pk}-%s")
    if form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, "Reason saved.")
            return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
        status, message = 200, "Saved."
    else:
        entry.refresh_from_db(fields=["reason", "note"])  # show what is stored beside the errors
        status, message = 422, ""
    load_grading_key([entry.question])
    context = {"row": _row(entry, form, message)}
    if request.htmx:
        return render_page(request, "interviews/journal.html", context, partial="journal-entry", status=status)
    return render_page(
        request, "interviews/journal.html", {**context, "rows": [context["row"]], "single": True}, status=status
    )
