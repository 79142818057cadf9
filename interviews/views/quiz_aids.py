"""What the quiz card adds for learning: the confidence question asked before checking, and the leech
badge in a review."""

from interviews.models import Answer, Quiz, ReviewCard
from interviews.review import prefs_for


def card_aids(request, quiz: Quiz, item, state: str, form) -> dict:
    """Extra context for the question card; reads the session, not the database."""
    prefs = prefs_for(request)
    ask = prefs.ask_confidence and state == "question"
    aids = {"ask_confidence": ask, "leech_lapses": None}
    if quiz.mode == Quiz.Mode.REVIEW:
        lapses = (
            ReviewCard.objects.filter(user_id=quiz.user_id, question_id=item.question_id)
            .values_list("lapses", flat=True)
            .first()
        )
        if lapses is not None and lapses >= prefs.leech_lapses:
            aids["leech_lapses"] = lapses
    if ask:
        aids["confidence_choices"] = Answer.Confidence.choices
        aids["confidence_selected"] = str(form.data.get("confidence", "")) if form is not None and form.is_bound else ""
    return aids
