"""What the quiz card adds for learning: the confidence question asked before checking."""

from interviews.models import Answer, Quiz
from interviews.review import prefs_for


def card_aids(request, quiz: Quiz, item, state: str, form) -> dict:
    """Extra context for the question card; reads the session, not the database."""
    prefs = prefs_for(request)
    ask = prefs.ask_confidence and state == "question"
    aids = {"ask_confidence": ask}
    if ask:
        aids["confidence_choices"] = Answer.Confidence.choices
        aids["confidence_selected"] = str(form.data.get("confidence", "")) if form is not None and form.is_bound else ""
    return aids
