"""A learner's state of each question in the bank: new, answered right, missed, or due for review."""

from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When

from interviews.models import Answer, ReviewCard

STATES = {
    "new": "New",
    "right": "Answered right",
    "missed": "Missed",
    "due": "Due for review",
}


def with_learner_state(questions, user, *, due_before):
    """Annotate `learner_state`: due when a learnt card of theirs falls due before `due_before`, else
    missed or right by their latest final answer, else new. Two subqueries, whatever the page."""
    latest = (
        Answer.objects.filter(user=user, question=OuterRef("pk"), is_correct__isnull=False)
        .order_by("-answered_at", "-id")
        .values("is_correct")[:1]
    )
    due = Exists(
        ReviewCard.objects.filter(user=user, question=OuterRef("pk"), reps__gt=0, suspended=False, due__lt=due_before)
    )
    return questions.annotate(
        last_correct=Subquery(latest),
        learner_state=Case(
            When(due, then=Value("due")),
            When(Q(last_correct=False), then=Value("missed")),
            When(Q(last_correct=True), then=Value("right")),
            default=Value("new"),
            output_field=CharField(),
        ),
    )
