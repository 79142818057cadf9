"""Template context for every page: the learner's due-review count, computed only if shown."""

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
