"""Error pages in the site's style; they never show a stack trace."""

import sys

from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from interviews.health import database_unavailable


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: whatever broke may be what the context processors need. And if even the
    # page cannot be rendered (no static manifest, say), plain text: the error must still be logged.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    try:
        return HttpResponseServerError(loader.get_template("errors/500.html").render())
    except Exception:
        return HttpResponseServerError(
            "Something went wrong on our side. Please try again in a moment.", content_type="text/plain"
        )


def service_unavailable(request, exception=None):
    """The database is down, full or read-only: nothing was saved, and trying again later will work."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def csrf_failure(request, reason=""):
    if request.headers.get("HX-Request") == "true":
        # A stale token (the person logged in again in another tab): reload the page for a fresh one
        # rather than swap this error page into part of it.
        return HttpResponseForbidden("This form has expired.", headers={"HX-Refresh": "true"})
    return render(request, "errors/403_csrf.html", status=403)
