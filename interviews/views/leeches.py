"""My leeches: the questions I keep forgetting, what to do about each, and suspending them from review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from interviews.leeches import leeches, set_suspended
from interviews.limits import rate_limited
from interviews.review import prefs_for
from interviews.views import positive_id, render_page


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("note", key="user")
def leech_list(request):
    prefs = prefs_for(request)
    if request.method == "POST":
        card = get_object_or_404(
            request.user.review_cards.select_related("question"), pk=positive_id(request.POST.get("card")) or 0
        )
        suspended = request.POST.get("suspended") == "1"
        set_suspended(card, suspended)
        message = (
            f"“{card.question.prompt}” is out of your reviews until you put it back."
            if suspended
            else f"“{card.question.prompt}” is back in your reviews."
        )
        if not request.htmx:
            messages.success(request, message)
            if request.POST.get("next") == "dashboard":
                return redirect(f"{reverse('interviews:dashboard')}#leeches")
            return redirect("interviews:leech-list")
        context = {"leeches": leeches(request.user, prefs), "prefs": prefs, "message": message}
        return render_page(request, "interviews/leech_list.html", context, partial="leech-list")
    context = {"leeches": leeches(request.user, prefs), "prefs": prefs}
    return render_page(request, "interviews/leech_list.html", context, partial="leech-list")
