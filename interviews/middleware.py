"""Rules every request and response follows, whatever the view: uploads, caching, htmx redirects."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from interviews.review import forget_due_summary

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# What a multipart body may add to the file itself: boundaries, headers and the CSRF field.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def upload_limits(get_response):
    """Only the admin's question import takes files, and only up to its size limit.

    Checked before anything reads the body: DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file
    fields, and the CSRF check alone would spool every file part to disk.
    """

    def middleware(request):
        if request.content_type == "multipart/form-data":
            if request.path != reverse("admin:interviews_question_import"):
                message = "This address does not accept file uploads. Send the form without files."
                return render(request, "errors/upload_refused.html", {"message": message}, status=415)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES:
                limit = f"{settings.MAX_IMPORT_BYTES / 1_000_000:g} MB"
                message = f"The file is larger than {limit}, the most an import takes. Split it into smaller files."
                return render(request, "errors/upload_refused.html", {"message": message}, status=413)
        return get_response(request)

    return middleware


def fresh_due_summary(get_response):
    """Whatever changes a learner's review cards comes by POST (answers, ratings, bookmarks,
    suspensions, settings): after each one the badge's kept due count is dropped, once the view's
    changes are stored, so no later page shows a count from before them."""

    def middleware(request):
        response = get_response(request)
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            forget_due_summary(request.user)
        return response

    return middleware


def private_pages(get_response):
    """A signed-in person's pages are theirs alone: no browser or proxy may store them."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def htmx_login_redirect(get_response):
    """htmx swaps whatever it receives into the page, so a redirect to log in would put the
    whole log-in page inside the card: tell htmx to load the log-in page instead."""

    def middleware(request):
        response = get_response(request)
        if (
            request.htmx
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            back_to = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(back_to)["Location"])
        return response

    return middleware
