"""What the quiz card adds for learning: the confidence question asked before checking, the leech
badge in a review, and the interval each self-rating would give."""

from datetime import timedelta

from interviews import scheduling
from interviews.models import Answer, Quiz, ReviewCard
from interviews.review import planned, prefs_for


def card_aids(request, quiz: Quiz, item, state: str, form, now) -> dict:
    """Extra context for the question card; reads the session, not the database."""
    prefs = prefs_for(request)
    ask = prefs.ask_confidence and state == "question"
    aids = {"ask_confidence": ask, "leech_lapses": None}
    card = None
    if quiz.mode == Quiz.Mode.REVIEW or state == "rating":
        card = ReviewCard.objects.filter(user_id=quiz.user_id, question_id=item.question_id).first()
    if quiz.mode == Quiz.Mode.REVIEW and card is not None and card.lapses >= prefs.leech_lapses:
        aids["leech_lapses"] = card.lapses
    if state == "rating":
        aids |= _rating_intervals(card, getattr(item, "answer", None), prefs, now)
    if ask:
        aids["confidence_choices"] = Answer.Confidence.choices
        aids["confidence_selected"] = str(form.data.get("confidence", "")) if form is not None and form.is_bound else ""
    return aids


def _rating_intervals(card, answer, prefs, now) -> dict:
    """The interval each rating button would give, as the learner's card and settings stand now."""
    if card is None:
        card_id, stored = 0, scheduling.new_card_state(now)
    else:
        card_id = card.pk
        stored = scheduling.CardState(
            card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
        )
    dues = scheduling.next_due_times(card_id, stored, now=now, desired_retention=prefs.desired_retention)
    guessing = answer is not None and answer.confidence == scheduling.GUESSING
    if guessing:  # a right guess counts as Hard (see scheduling.rating_for_answer)
        dues["good"] = dues["easy"] = dues["hard"]
    intervals = {}
    for name, due in dues.items():
        due = planned(scheduling.CardState(0, None, None, None, due, None), card_id=card_id, now=now, prefs=prefs).due
        intervals[name] = interval_words(due - now)
    return {"intervals": intervals, "guessing": guessing}


def interval_words(delta: timedelta) -> str:
    """A short human interval: 10 min, 5 h, 3 days, 2 mo, 1.5 yr."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{round(minutes / 60)} h"
    days = round(minutes / (24 * 60))
    if days < 31:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 365:
        return f"{round(days / 30.4)} mo"
    return f"{days / 365:.1f} yr"
