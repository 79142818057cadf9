"""The learner's data export: every table they own, one row per stored row, for JSON and CSV alike.

tests/test_export.py checks that every model holding a learner's rows appears here, so a new
table cannot be left out of "everything you have stored here".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet

from interviews.models import Answer, Bookmark, JournalEntry, Note, Profile, Quiz, QuizQuestion, Report, ReviewCard

CARD_STATES = {1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True)
class Table:
    label: str
    model: type[Model]
    columns: list[str]
    rows: Callable[[Any], QuerySet]
    row: Callable[[Any], list]


def _time(value) -> str:
    return value.isoformat() if value else ""


def _chosen(answer: Answer) -> str:
    """The text of the options the learner picked, in the order they are stored."""
    texts = {choice.pk: choice.text for choice in answer.question.choices.all()}
    return " | ".join(texts.get(pk, f"(removed option {pk})") for pk in answer.selected_choice_ids)


def _settings(user) -> list[Profile]:
    # Learners who never saved settings have the defaults, which are theirs all the same.
    return [Profile.objects.filter(user=user).first() or Profile(user=user)]


def _account_row(user) -> list:
    return [user.get_username(), user.email, _time(user.date_joined), _time(user.last_login)]


TABLES: dict[str, Table] = {
    "account": Table(
        label="Account",
        model=get_user_model(),
        columns=["username", "email", "joined", "last_login"],
        rows=lambda user: [user],
        row=_account_row,
    ),
    "settings": Table(
        label="Settings",
        model=Profile,
        columns=list(Profile.SETTINGS),
        rows=_settings,
        row=lambda p: [
            _time(p.interview_date) if name == "interview_date" else getattr(p, name) for name in Profile.SETTINGS
        ],
    ),
    "answers": Table(
        label="Answers",
        model=Answer,
        columns=[
            "answered_at",
            "local_day",
            "quiz",
            "position",
            "mode",
            "question",
            "prompt",
            "kind",
            "chosen",
            "text",
            "correct",
            "overridden",
            "self_rating",
            "confidence",
            "covered_points",
            "time_taken_ms",
            "review_rating",
            "review_due",
            "question_version",
        ],
        rows=lambda user: (
            user.answers.select_related("quiz", "item", "question")
            .prefetch_related("question__choices")
            .order_by("answered_at", "id")
        ),
        row=lambda a: [
            _time(a.answered_at),
            a.local_day.isoformat(),
            a.quiz_id,
            a.item.position,
            a.quiz.mode,
            a.question.slug,
            a.question.prompt,
            a.question.kind,
            _chosen(a),
            a.text,
            a.is_correct,
            a.overridden,
            a.self_rating,
            a.get_confidence_display() if a.confidence else "",
            " | ".join(str(point) for point in a.covered_points),
            a.time_taken_ms,
            a.review_rating,
            _time(a.review_due),
            a.question_version,
        ],
    ),
    "quizzes": Table(
        label="Quizzes",
        model=Quiz,
        columns=[
            "id",
            "title",
            "mode",
            "status",
            "size",
            "answered",
            "correct",
            "score_percent",
            "time_limit_seconds",
            "per_question_seconds",
            "created_at",
            "deadline",
            "finished_at",
            "retry_of",
        ],
        rows=lambda user: user.quizzes.order_by("created_at", "id"),
        row=lambda q: [
            q.pk,
            q.title,
            q.mode,
            q.status,
            q.size,
            q.answered_count,
            q.correct_count,
            q.score_percent,
            q.time_limit_seconds,
            q.per_question_seconds,
            _time(q.created_at),
            _time(q.deadline),
            _time(q.finished_at),
            q.source_id,
        ],
    ),
    "quiz_items": Table(
        label="Quiz questions",
        model=QuizQuestion,
        columns=["quiz", "position", "question", "prompt", "flagged", "answered", "chain_step", "chain_length"],
        rows=lambda user: (
            QuizQuestion.objects.filter(quiz__user=user)
            .select_related("question", "answer")
            .order_by("quiz_id", "position")
        ),
        row=lambda i: [
            i.quiz_id,
            i.position,
            i.question.slug,
            i.question.prompt,
            i.flagged,
            hasattr(i, "answer"),
            i.chain_step,
            i.chain_length,
        ],
    ),
    "bookmarks": Table(
        label="Bookmarks",
        model=Bookmark,
        columns=["question", "prompt", "created_at"],
        rows=lambda user: user.bookmarks.select_related("question").order_by("created_at", "id"),
        row=lambda b: [b.question.slug, b.question.prompt, _time(b.created_at)],
    ),
    "notes": Table(
        label="Notes",
        model=Note,
        columns=["question", "prompt", "note", "updated_at"],
        rows=lambda user: user.notes.select_related("question").order_by("updated_at", "id"),
        row=lambda n: [n.question.slug, n.question.prompt, n.body, _time(n.updated_at)],
    ),
    "reports": Table(
        label="Problem reports",
        model=Report,
        columns=["question", "question_version", "reason", "text", "status", "created_at", "resolved_at"],
        rows=lambda user: user.reports.select_related("question").order_by("created_at", "id"),
        row=lambda r: [
            r.question.slug,
            r.question_version,
            r.reason,
            r.text,
            r.status,
            _time(r.created_at),
            _time(r.resolved_at),
        ],
    ),
    "review_cards": Table(
        label="Review schedule",
        model=ReviewCard,
        columns=[
            "question",
            "prompt",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reps",
            "lapses",
            "suspended",
            "first_reviewed_at",
            "created_at",
        ],
        rows=lambda user: user.review_cards.select_related("question").order_by("created_at", "id"),
        row=lambda c: [
            c.question.slug,
            c.question.prompt,
            CARD_STATES.get(c.state, c.state),
            c.step,
            c.stability,
            c.difficulty,
            _time(c.due),
            _time(c.last_review),
            c.reps,
            c.lapses,
            c.suspended,
            _time(c.first_reviewed_at),
            _time(c.created_at),
        ],
    ),
    "journal": Table(
        label="Mistake journal",
        model=JournalEntry,
        columns=["missed_at", "question", "prompt", "your_answer", "reason", "note", "right_in_a_row", "resolved_at"],
        rows=lambda user: (
            user.journal_entries.select_related("question", "answer")
            .prefetch_related("question__choices")
            .order_by("created_at", "id")
        ),
        row=lambda e: [
            _time(e.created_at),
            e.question.slug,
            e.question.prompt,
            e.answer.text or e.answer.self_rating or _chosen(e.answer),
            e.reason,
            e.note,
            e.right_in_a_row,
            _time(e.resolved_at),
        ],
    ),
}


def rows(table: Table, user, chunk_size: int = 2000):
    """The table's rows for `user`, as lists in column order, streamed in chunks."""
    source = table.rows(user)
    items = source.iterator(chunk_size=chunk_size) if isinstance(source, QuerySet) else source
    for item in items:
        yield table.row(item)


def as_dict(user) -> dict:
    """Everything, for the JSON download: each table a list of objects keyed by column."""
    return {name: [dict(zip(t.columns, row, strict=True)) for row in rows(t, user)] for name, t in TABLES.items()}
