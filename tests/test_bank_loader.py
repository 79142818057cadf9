"""load_question_bank: validate everything first, upsert by slug, idempotent; export round-trips."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews.bank import export_questions
from interviews.models import Choice, Question, Topic

BUNDLED = Path(__file__).resolve().parent.parent / "content" / "bank"
pytestmark = pytest.mark.django_db

VALID = """
topics:
  - slug: autograd
    name: Autograd
    order: 2
questions:
  - slug: what-does-backward-do
    topic: autograd
    kind: single
    difficulty: easy
    prompt: What does `loss.backward()` do?
    answer: It computes gradients.
    choices:
      - text: Computes gradients of the loss
        correct: true
        explanation: Right.
      - text: Updates the weights
        correct: false
        explanation: That is the optimizer's job.
  - slug: name-the-method
    topic: autograd
    kind: short
    prompt: Which tensor method starts backpropagation?
    answer: backward
    accepted_answers: [backward, "backward()"]
"""


def load(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(text)
    out = StringIO()
    call_command("load_question_bank", str(path), stdout=out, stderr=out)
    return out.getvalue()


def test_loads_topics_and_questions_and_reports_counts(tmp_path):
    output = load(tmp_path, VALID)
    assert "2 created, 0 updated, 0 unchanged" in output
    question = Question.objects.get(slug="what-does-backward-do")
    assert question.status == "published" and question.version == 1
    assert [c.is_correct for c in question.choices.all()] == [True, False]
    assert "<code>loss.backward()</code>" not in question.body_html  # prompt is plain text
    assert list(Question.objects.get(slug="name-the-method").accepted_answers.values_list("text", flat=True)) == [
        "backward",
        "backward()",
    ]


def test_second_run_changes_nothing(tmp_path):
    load(tmp_path, VALID)
    before = list(Question.objects.values_list("slug", "version", "updated_at"))
    output = load(tmp_path, VALID)
    assert "0 created, 0 updated, 2 unchanged" in output
    assert list(Question.objects.values_list("slug", "version", "updated_at")) == before


def test_changed_content_updates_and_bumps_the_version(tmp_path):
    load(tmp_path, VALID)
    output = load(tmp_path, VALID.replace("It computes gradients.", "It computes the gradients."))
    assert "0 created, 1 updated, 1 unchanged" in output
    assert Question.objects.get(slug="what-does-backward-do").version == 2


def test_every_error_is_reported_with_its_location_and_nothing_is_written(tmp_path):
    broken = (
        VALID.replace("correct: false", "correct: true")  # single with two correct
        .replace("kind: short", "kind: essay")
        .replace("slug: name-the-method", "slug: Name The Method")
    )
    with pytest.raises(CommandError, match="problem"):
        load(tmp_path, broken)
    assert Question.objects.count() == 0 and Topic.objects.count() == 0
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(tmp_path / "bank.yaml"), stderr=out)
    report = out.getvalue()
    assert "questions[0] (what-does-backward-do): A single-answer question needs exactly 1 correct choice" in report
    assert "questions[1] (Name The Method): 'slug' must use lowercase letters" in report
    assert "'kind' must be one of" in report


def test_unknown_topic_and_duplicate_slug_are_refused(tmp_path):
    text = VALID + VALID.split("questions:")[1].replace("topic: autograd", "topic: nowhere")
    with pytest.raises(CommandError):
        load(tmp_path, text)
    assert Question.objects.count() == 0


def test_invalid_yaml_is_reported(tmp_path):
    with pytest.raises(CommandError):
        load(tmp_path, "questions: [unclosed")
    assert Question.objects.count() == 0


def test_missing_path_is_a_clear_error():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_question_bank", "/no/such/bank")


def test_bundled_bank_loads_twice_without_changes_and_round_trips_through_export(tmp_path):
    call_command("load_question_bank", stdout=StringIO())
    count = Question.objects.published().count()
    assert count >= 100
    out = StringIO()
    call_command("load_question_bank", stdout=out)
    assert f"0 created, 0 updated, {count} unchanged" in out.getvalue()

    exported = export_questions(Question.objects.all())
    output = load(tmp_path, exported, name="export.yaml")
    assert f"0 created, 0 updated, {count} unchanged" in output
    assert Choice.objects.count() > 0


# Curators' edits are never silently reverted


def edit_in_admin(client, slug, **changes):
    """Post the admin change form of a short-answer question as a curator would."""
    question = Question.objects.get(slug=slug)
    accepted = list(question.accepted_answers.all())
    data = {
        "prompt": question.prompt,
        "slug": question.slug,
        "topic": question.topic_id,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "status": question.status,
        "seed_number": "",
        "body": question.body,
        "answer": question.answer,
        "key_points": "",
        "answer_regex": "",
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
        "accepted_answers-TOTAL_FORMS": len(accepted),
        "accepted_answers-INITIAL_FORMS": len(accepted),
        **changes,
    }
    for i, answer in enumerate(accepted):
        data |= {f"accepted_answers-{i}-id": answer.pk, f"accepted_answers-{i}-text": answer.text}
    response = client.post(reverse("admin:interviews_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def load_with_stderr(tmp_path, text, *args):
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    out, err = StringIO(), StringIO()
    call_command("load_question_bank", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loader_keeps_a_question_changed_in_admin_and_says_who_and_when(tmp_path, admin_client):
    load(tmp_path, VALID)
    edit_in_admin(admin_client, "name-the-method", answer="`backward()` starts it.")
    output, report = load_with_stderr(tmp_path, VALID.replace("answer: backward\n", "answer: backward!\n"))
    assert "0 created, 0 updated, 1 unchanged, 1 kept as changed in admin" in output
    assert "Kept name-the-method: changed by admin on " in report and "--force" in report
    assert Question.objects.get(slug="name-the-method").answer == "`backward()` starts it."
    _, report = load_with_stderr(tmp_path, VALID)
    assert "Kept name-the-method" in report  # still kept on every later run


def test_force_applies_the_file_over_an_admin_edit_and_later_loads_apply_again(tmp_path, admin_client):
    load(tmp_path, VALID)
    edit_in_admin(admin_client, "name-the-method", answer="Edited in admin.")
    output, _ = load_with_stderr(tmp_path, VALID, "--force")
    assert "0 created, 1 updated, 1 unchanged" in output
    assert Question.objects.get(slug="name-the-method").answer == "backward"
    output, report = load_with_stderr(tmp_path, VALID.replace("answer: backward\n", "answer: The backward method\n"))
    assert "1 updated" in output and report == ""


def test_an_admin_edit_the_file_already_has_is_not_a_conflict(tmp_path, admin_client):
    load(tmp_path, VALID)
    edit_in_admin(admin_client, "name-the-method", answer="The backward method")
    changed_file = VALID.replace("answer: backward\n", "answer: The backward method\n")
    output, report = load_with_stderr(tmp_path, changed_file)
    assert "0 updated, 2 unchanged" in output and report == ""
    output, report = load_with_stderr(tmp_path, changed_file.replace("The backward method", "backward()"))
    assert "1 updated" in output and report == ""


def test_questions_loaded_before_the_loader_kept_hashes_are_protected_by_their_history(tmp_path, admin_client):
    load(tmp_path, VALID)
    edit_in_admin(admin_client, "name-the-method", answer="Edited in admin.")
    Question.objects.update(loaded_hash="")
    output, report = load_with_stderr(tmp_path, VALID.replace("It computes gradients.", "It computes the gradients."))
    assert "0 created, 1 updated, 0 unchanged, 1 kept as changed in admin" in output
    assert "Kept name-the-method: changed by admin" in report
