"""Leeches: questions that keep slipping away. A card forgotten after it was learnt as many times as
the learner allows (4 by default, as in Anki) is flagged; the learner may take it out of review."""

from django.db.models import Exists, OuterRef

from interviews.models import FollowUp, ReviewCard
from interviews.review import Prefs

DASHBOARD_SHOWN = 5


def leeches(user, prefs: Prefs):
    """The learner's leeches, the ones still in review first, the most forgotten first."""
    return (
        ReviewCard.objects.filter(user=user, lapses__gte=prefs.leech_lapses)
        .select_related("question__topic")
        .annotate(follow_ups=Exists(FollowUp.objects.filter(question_id=OuterRef("question_id"))))
        .order_by("suspended", "-lapses", "question_id")
    )


def set_suspended(card: ReviewCard, suspended: bool) -> None:
    """Take a card out of review, or put it back; its answers and schedule are kept."""
    ReviewCard.objects.filter(pk=card.pk).update(suspended=suspended)
    card.suspended = suspended


def dashboard_leeches(user, prefs: Prefs) -> dict:
    """The first few leeches and how many there are, for the dashboard: two queries."""
    cards = leeches(user, prefs)
    return {"leeches": list(cards[:DASHBOARD_SHOWN]), "leech_count": cards.count(), "leech_lapses": prefs.leech_lapses}
