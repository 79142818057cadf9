"""Rate limits: how often one address or one account may do something costly or noisy.

Counted by django-ratelimit in the cache, so every app process shares the counts when REDIS_URL
is set. Each limit is a setting (RATE_LIMITS, read from the environment); over it, the request is
answered 429 with a message saying what to do, before the view does any work.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

MESSAGES = {
    "login": "Too many log-in attempts from your network. Wait a minute, then try again.",
    "signup": "Too many accounts were created from your network recently. Try again later.",
    "password_reset": "Too many password resets were asked for from your network. Try again later.",
    "password_reset_address": "A reset link was sent to that address several times already. Check your inbox "
    "(and spam folder), or try again later.",
    "quiz_create": "You have started many quizzes in a short time. Finish one, or wait a few minutes.",
    "answer": "You are answering faster than anyone can read. Wait a moment, then try again.",
    "note": "Too many changes in a short time. Wait a minute, then try again.",
}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind the site's reverse proxy the last address
    the proxy added to X-Forwarded-For (any earlier one is whatever the client claimed)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def posted_email(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


def rate_limited(name: str, *, key="ip"):
    """Refuse a POST over the limit `settings.RATE_LIMITS[name]`, counted per `key` ("ip",
    "user", or a function of the group and the request)."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            rate = settings.RATE_LIMITS[name]
            if is_ratelimited(request, group=name, key=key, rate=rate, method="POST", increment=True):
                return too_many(request, name, rate)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many(request, name: str, rate: str):
    period = rate.split("/")[1]
    seconds = int(period[:-1] or 1) * PERIODS[period[-1]]
    context = {"message": MESSAGES[name]}
    if getattr(request, "htmx", False):
        # Shown above the page, whatever part of it the request meant to replace.
        response = render(request, "errors/429.html#alert", context, status=429)
        response["HX-Retarget"] = "#alerts"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "errors/429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
