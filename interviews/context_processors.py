"""Template context for every page: the navigation's addresses and the learner's due-review count,
computed only if shown."""

from functools import cache

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from interviews.review import cached_due_summary, prefs_for


def review_due(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Lazy: a partial that does not show the navigation costs nothing.
    return {
        "review_due": SimpleLazyObject(
            lambda: cached_due_summary(request.user, now=timezone.now(), prefs=prefs_for(request))
        )
    }


NAVIGATION = [
    "interviews:home",
    "interviews:question-list",
    "interviews:quiz-new",
    "interviews:review",
    "interviews:journal",
    "interviews:dashboard",
    "interviews:bookmark-list",
    "interviews:note-list",
    "interviews:account",
    "interviews:signup",
    "login",
    "logout",
]


ASSETS = {
    "site_css": "css/site.css",
    "pygments_css": "css/pygments.css",
    "htmx_js": "vendor/htmx-4.0.1.min.js",
    "site_js": "js/site.js",
}


def navigation(request):
    """The addresses every page's header and footer link to, and its style sheets and scripts:
    reversed and looked up in the static files' manifest once per process."""
    return _navigation(get_script_prefix())


@cache
def _navigation(script_prefix: str) -> dict:
    return {
        "nav": {name.removeprefix("interviews:").replace("-", "_"): reverse(name) for name in NAVIGATION},
        "assets": {name: static(path) for name, path in ASSETS.items()},
    }
