"""My notes: every note I keep, with its question, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.views.decorators.http import require_safe

from interviews.models import Topic
from interviews.views import render_page

PAGE_SIZE = 20


@require_safe
@login_required
def note_list(request):
    topics = Topic.objects.filter(questions__notes__user=request.user).distinct()
    notes = request.user.notes.select_related("question__topic").order_by("-updated_at", "-id")
    topic = request.GET.get("topic", "")
    if topic:
        notes = notes.filter(question__topic__slug=topic)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "topics": topics, "topic": topic, "query": f"topic={topic}&" if topic else ""}
    return render_page(request, "interviews/note_list.html", context, partial="note-list")
