"""load_question_bank: validate everything first, upsert by slug, idempotent; export round-trips."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from interviews.bank import export_questions, read_bank
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
    count = Question.objects.count()  # archived ones included: answers keep their question
    assert Question.objects.published().count() >= 450
    out = StringIO()
    call_command("load_question_bank", stdout=out)
    assert f"0 created, 0 updated, {count} unchanged" in out.getvalue()

    exported = export_questions(Question.objects.all())
    output = load(tmp_path, exported, name="export.yaml")
    assert f"0 created, 0 updated, {count} unchanged" in output
    assert Choice.objects.count() > 0


OUTPUT_ITEM = """
topics:
  - slug: tensor-shapes
    name: Shapes
questions:
  - slug: broadcast-shape
    topic: tensor-shapes
    kind: output
    prompt: What does this print?
    body: |
      ```python
      import torch
      print((torch.ones(3, 1) + torch.ones(4)).shape)
      ```
    answer: Trailing dimensions are aligned and size-1 dimensions stretch.
    accepted_answers: ["torch.Size([3, 4])"]
"""


def test_output_items_load_with_their_key_and_strict_names_round_trips(tmp_path):
    assert "1 created" in load(tmp_path, OUTPUT_ITEM)
    question = Question.objects.get(slug="broadcast-shape")
    assert question.kind == "output" and question.rule_errors() == []
    assert list(question.accepted_answers.values_list("text", flat=True)) == ["torch.Size([3, 4])"]
    strict = VALID.replace("    accepted_answers: [backward", "    strict_names: true\n    accepted_answers: [backward")
    assert "2 created" in load(tmp_path, strict)
    assert Question.objects.get(slug="name-the-method").strict_names is True
    exported = export_questions(Question.objects.filter(slug="name-the-method"))
    assert "strict_names: true" in exported and "strict_names" not in export_questions(
        Question.objects.filter(slug="broadcast-shape")
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("      ```python\n", "      ```\n"), "exactly one ```python block"),
        (("      ```python\n", "      ```python\n      x = 1\n      ```\n      ```python\n"), "exactly one ```python"),
        (('    accepted_answers: ["torch.Size([3, 4])"]', "    accepted_answers: []"), "at least 1 accepted answer"),
        (
            ('    accepted_answers: ["torch.Size([3, 4])"]', '    accepted_answers: ["x"]\n    answer_regex: "x+"'),
            "remove the regex",
        ),
        (
            ('    accepted_answers: ["torch.Size([3, 4])"]', '    accepted_answers: ["x"]\n    choices: [{text: a}]'),
            "has no choices",
        ),
        (
            ('    accepted_answers: ["torch.Size([3, 4])"]', '    accepted_answers: ["x"]\n    strict_names: 1'),
            "true or false",
        ),
    ],
)
def test_output_rules_are_enforced_and_nothing_is_written(tmp_path, change, message):
    path = tmp_path / "bank.yaml"
    path.write_text(OUTPUT_ITEM.replace(*change))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not Question.objects.exists()


def test_check_mode_validates_without_a_database_write(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text("questions:" + OUTPUT_ITEM.split("questions:")[1])  # its topic is a bundled one
    out = StringIO()
    call_command("load_question_bank", str(path), "--check", stdout=out)
    assert "1 questions are valid; nothing was written." in out.getvalue()
    assert not Question.objects.exists() and not Topic.objects.exists()


def test_balance_choice_order_spreads_keys_and_changes_nothing_the_second_time(tmp_path):
    questions = "\n".join(
        f"""  - slug: q{n}
    topic: autograd
    kind: single
    prompt: Question {n}?
    answer: Because.
    choices:
      - {{text: right, correct: true, explanation: Yes.}}
      - {{text: wrong a, correct: false, explanation: No.}}
      - {{text: wrong b, correct: false, explanation: No.}}
      - {{text: wrong c, correct: false, explanation: No.}}"""
        for n in range(8)
    )
    multiple = """
  - slug: m1
    topic: autograd
    kind: multiple
    prompt: Which?
    answer: Because.
    choices:
      - {text: a, correct: true, explanation: Yes.}
      - {text: b, correct: true, explanation: Yes.}
      - {text: c, correct: false, explanation: No.}
      - {text: d, correct: false, explanation: No.}"""
    (tmp_path / "bank.yaml").write_text("questions:\n" + questions + multiple)
    call_command("balance_choice_order", str(tmp_path), stdout=StringIO())
    bank, errors = read_bank(tmp_path)
    assert errors == []
    positions = [next(i for i, c in enumerate(q["choices"]) if c["correct"]) for q in bank.questions[:8]]
    assert sorted(positions) == [0, 0, 1, 1, 2, 2, 3, 3]
    flags = [c["correct"] for c in bank.questions[8]["choices"]]
    assert flags != [True, True, False, False] and sorted(flags) == [False, False, True, True]
    first = (tmp_path / "bank.yaml").read_text()
    out = StringIO()
    call_command("balance_choice_order", str(tmp_path), stdout=out)
    assert (tmp_path / "bank.yaml").read_text() == first and "rewrote" not in out.getvalue()


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
