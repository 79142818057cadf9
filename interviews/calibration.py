"""Confidence calibration: how often the learner is right at each confidence they state before checking."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max

from interviews.models import Answer, Question

LEVELS = [(value, label) for value, label in Answer.Confidence.choices]  # Sure first
CONFIDENTLY_WRONG_SHOWN = 10


@dataclass(frozen=True)
class Tally:
    """Final answers given at one confidence (in one topic), and how many were right."""

    topic: str
    confidence: int
    answered: int
    right: int


def _cell(value: int, label: str, answered: int, right: int) -> dict:
    return {
        "confidence": value,
        "label": label,
        "answered": answered,
        "right": right,
        "percent": round(100 * right / answered) if answered else None,
    }


def calibration_table(tallies: list[Tally]) -> dict:
    """Per confidence level the share right, overall and per topic (topics in the order given)."""
    overall = {value: [0, 0] for value, _ in LEVELS}
    topics: dict[str, dict[int, list[int]]] = {}
    for tally in tallies:
        overall[tally.confidence][0] += tally.answered
        overall[tally.confidence][1] += tally.right
        cells = topics.setdefault(tally.topic, {value: [0, 0] for value, _ in LEVELS})
        cells[tally.confidence][0] += tally.answered
        cells[tally.confidence][1] += tally.right
    return {
        "answered": sum(answered for answered, _ in overall.values()),
        "overall": [_cell(value, label, *overall[value]) for value, label in LEVELS],
        "topics": [
            {"topic": topic, "cells": [_cell(value, label, *cells[value]) for value, label in LEVELS]}
            for topic, cells in topics.items()
        ],
    }


def verdict(overall: list[dict]) -> str:
    """One sentence on the gap that matters most: being sure and wrong."""
    sure = overall[0]
    guessing = overall[-1]
    if not sure["answered"]:
        return "Say how sure you are before you check an answer, and this shows whether you can trust that feeling."
    if sure["percent"] >= 90:
        words = f"When you are sure, you are right {sure['percent']}% of the time: you can trust that feeling."
    else:
        words = (
            f"When you are sure, you are right only {sure['percent']}% of the time. In an interview a firm wrong "
            "answer costs more than a hesitant right one: go over the questions below."
        )
    if guessing["answered"] and guessing["percent"] is not None and guessing["percent"] >= 60:
        words += f" Your guesses are right {guessing['percent']}% of the time: you know more than you think."
    return words


# Counted per question first (from the answer_user_confidence index alone), then summed per topic:
# joining each of 20,000 answers to its question and topic cost 5 ms; a few hundred rows cost none.
TALLIES = """
SELECT t.name, g.confidence, SUM(g.answered), SUM(g.n_right)
FROM (
    SELECT question_id, confidence, COUNT(*) AS answered, SUM(CASE WHEN is_correct THEN 1 ELSE 0 END) AS n_right
    FROM interviews_answer
    WHERE user_id = %s AND is_correct IS NOT NULL AND confidence IS NOT NULL
    GROUP BY question_id, confidence
) g
JOIN interviews_question q ON q.id = g.question_id
JOIN interviews_topic t ON t.id = q.topic_id
GROUP BY t."order", t.name, g.confidence
ORDER BY t."order", t.name, g.confidence
"""


def calibration_data(user) -> dict:
    """The dashboard's calibration section in two queries, whatever the number of answers."""
    with connection.cursor() as cursor:
        cursor.execute(TALLIES, [user.pk])
        tallies = [Tally(topic, confidence, int(answered), int(right)) for topic, confidence, answered, right in cursor]
    table = calibration_table(tallies)
    answers = Answer.objects.filter(user=user, is_correct__isnull=False, confidence__isnull=False)
    confidently_wrong = list(
        answers.filter(confidence=Answer.Confidence.SURE, is_correct=False, question__status=Question.Status.PUBLISHED)
        .values("question", "question__slug", "question__prompt_html")
        .annotate(times=Count("id"), last=Max("answered_at"))
        .order_by("-last", "question")[:CONFIDENTLY_WRONG_SHOWN]
    )
    return {"calibration": {**table, "verdict": verdict(table["overall"]), "confidently_wrong": confidently_wrong}}
