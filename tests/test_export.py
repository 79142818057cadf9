"""The data export covers every table a learner owns, with the options chosen and the review schedule."""

import csv
import io
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone

from interviews import export
from interviews.models import Bookmark, Note, Profile, Report, ReviewCard
from interviews.quizzes import Submission, create_quiz, locked_item, record_answer, set_flag
from interviews.review import Prefs
from tests.factories import make_question

pytestmark = pytest.mark.django_db
EXPORT = reverse("interviews:dashboard-export")

# Tables with a user column that are not the learner's own data, and why.
NOT_A_LEARNERS_DATA = {
    "admin.LogEntry": "what staff did in admin",
    "interviews.Question": "updated_by: the curator who last changed a question",
    "interviews.HistoricalQuestion": "history_user: curators' edits",
    "interviews.HistoricalChoice": "history_user: curators' edits",
    "interviews.HistoricalAcceptedAnswer": "history_user: curators' edits",
    "interviews.DueSummary": "counts of the learner's review cards kept for the badge; the cards are exported",
}


def owned_models():
    """Models whose rows belong to a learner: a user foreign key, or a cascade from such a model."""
    user_model = get_user_model()
    owned = {user_model}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in owned or model._meta.label in NOT_A_LEARNERS_DATA:
                continue
            for field in model._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete:
                    continue
                to_user = field.related_model is user_model
                cascades_from_owned = field.related_model in owned and field.remote_field.on_delete is models.CASCADE
                if to_user or cascades_from_owned:
                    owned.add(model)
                    changed = True
                    break
    return owned


def test_every_table_a_learner_owns_is_exported():
    exported = {table.model for table in export.TABLES.values()}
    missing = {model._meta.label for model in owned_models() - exported}
    assert missing == set(), f"Add these to interviews.export.TABLES (or to NOT_A_LEARNERS_DATA, with why): {missing}"


def test_the_enumeration_finds_the_known_tables():
    labels = {model._meta.label for model in owned_models()}
    expected = {"Answer", "Quiz", "QuizQuestion", "Bookmark", "Note", "Report", "ReviewCard", "Profile"}
    assert {f"interviews.{name}" for name in expected} <= labels
    assert settings.AUTH_USER_MODEL in labels


@pytest.fixture
def everything(learner, other_learner):
    single = make_question(kind="single", prompt="Which one?")
    multiple = make_question(kind="multiple", prompt="Which ones?")
    short = make_question(kind="short", prompt="Which method?")
    now = timezone.now()
    quiz = create_quiz(
        user=learner, questions=type(single).objects.filter(pk__in=[single.pk, multiple.pk, short.pk]),
        mode="practice", size=3, title="Everything", now=now,
    )  # fmt: skip
    for item in quiz.items.all():
        item = locked_item(learner, quiz.pk, item.question_id)
        question = item.question
        chosen = [c.pk for c in question.choices.all() if c.is_correct]
        submission = Submission(choice_ids=chosen, text="backward" if question.kind == "short" else "")
        record_answer(quiz=quiz, item=item, submission=submission, now=now, prefs=Prefs())
    set_flag(item=quiz.items.get(position=1), flagged=True)
    Bookmark.objects.create(user=learner, question=single)
    Note.objects.create(user=learner, question=single, body="Mine")
    Report.objects.create(user=learner, question=single, question_version=1, reason="typo", text="Tpyo")
    Profile.objects.create(user=learner, time_zone="Europe/Paris", new_per_day=7)
    Note.objects.create(user=other_learner, question=short, body="Theirs")
    # A miss, for the mistake journal: another question answered wrong in another quiz.
    missed = make_question(kind="single", prompt="Which was missed?")
    again = create_quiz(user=learner, questions=type(single).objects.filter(pk=missed.pk), mode="practice", size=1,
                        title="Again", now=now)  # fmt: skip
    item = locked_item(learner, again.pk, missed.pk)
    wrong = [c.pk for c in missed.choices.all() if not c.is_correct][:1]
    record_answer(quiz=again, item=item, submission=Submission(choice_ids=wrong), now=now, prefs=Prefs())
    return {"quiz": quiz, "single": single, "multiple": multiple}


def test_json_export_has_every_table_with_the_options_chosen(learner_client, learner, everything):
    data = json.loads(learner_client.get(EXPORT, {"format": "json"}).content)
    assert set(export.TABLES) <= set(data)
    by_prompt = {row["prompt"]: row for row in data["answers"]}
    assert by_prompt["Which one?"]["chosen"] == "Right"
    assert by_prompt["Which ones?"]["chosen"] == "Right one | Right two"
    assert by_prompt["Which method?"]["text"] == "backward" and by_prompt["Which method?"]["chosen"] == ""
    assert len(data["quiz_items"]) == 4 and sum(row["flagged"] for row in data["quiz_items"]) == 1
    assert data["settings"] == [{"time_zone": "Europe/Paris", "desired_retention": 0.9, "new_per_day": 7,
                                 "ask_confidence": True, "interview_date": "", "new_per_day_cap": 30,
                                 "leech_lapses": 4}]  # fmt: skip
    assert [(row["prompt"], row["your_answer"]) for row in data["journal"]] == [("Which was missed?", "Wrong")]
    cards = data["review_cards"]
    assert len(cards) == ReviewCard.objects.filter(user=learner).count() == 4
    assert {"state", "stability", "difficulty", "due"} <= set(cards[0]) and cards[0]["due"]
    assert [r["text"] for r in data["reports"]] == ["Tpyo"]
    assert [n["note"] for n in data["notes"]] == ["Mine"]
    assert data["account"] == [{"username": "ada", "email": "ada@example.com", "joined": data["account"][0]["joined"],
                                "last_login": data["account"][0]["last_login"]}]  # fmt: skip


@pytest.mark.parametrize("name", list(export.TABLES))
def test_every_table_downloads_as_csv(learner_client, everything, name):
    response = learner_client.get(EXPORT, {"format": "csv", "table": name})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == export.TABLES[name].columns
    assert len(rows) > 1, f"{name} has rows for this learner"


def test_settings_export_holds_the_defaults_when_never_saved(learner_client):
    data = json.loads(learner_client.get(EXPORT, {"format": "json"}).content)
    assert data["settings"] == [{"time_zone": "UTC", "desired_retention": 0.9, "new_per_day": 10,
                                 "ask_confidence": True, "interview_date": "", "new_per_day_cap": 30,
                                 "leech_lapses": 4}]  # fmt: skip


def test_dashboard_lists_every_csv_table(learner_client):
    page = learner_client.get(reverse("interviews:dashboard")).content.decode()
    for name in export.TABLES:
        assert f"table={name}" in page
