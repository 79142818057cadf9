"""Confidence calibration: how often the learner is right at each confidence they state before checking."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q

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


def calibration_data(user) -> dict:
    """The dashboard's calibration section in two queries, whatever the number of answers."""
    answers = Answer.objects.filter(user=user, is_correct__isnull=False, confidence__isnull=False)
    tallies = [
        Tally(row["question__topic__name"], row["confidence"], row["answered"], row["right"])
        for row in answers.values("question__topic__name", "question__topic__order", "confidence")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .order_by("question__topic__order", "question__topic__name", "confidence")
    ]
    table = calibration_table(tallies)
    confidently_wrong = list(
        answers.filter(confidence=Answer.Confidence.SURE, is_correct=False, question__status=Question.Status.PUBLISHED)
        .values("question", "question__slug", "question__prompt_html")
        .annotate(times=Count("id"), last=Max("answered_at"))
        .order_by("-last", "question")[:CONFIDENTLY_WRONG_SHOWN]
    )
    return {"calibration": {**table, "verdict": verdict(table["overall"]), "confidently_wrong": confidently_wrong}}
