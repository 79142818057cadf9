"""Curation in admin: curator permissions, kind rules on save, actions, history, import and export."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from interviews.bank import export_questions
from interviews.models import Question
from tests.conftest import make_user
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(db):
    user = make_user("carol")
    call_command("make_curator", "carol")
    user.refresh_from_db()
    return user


@pytest.fixture
def curator_client(curator):
    client = Client()
    client.force_login(curator)
    return client


def question_form(question=None, *, topic, kind="single", choices=(), accepted=(), **fields):
    data = {
        "prompt": "Which call computes gradients?",
        "slug": "which-call-computes-gradients",
        "topic": topic.pk,
        "kind": kind,
        "difficulty": "easy",
        "status": "draft",
        "seed_number": "",
        "body": "",
        "answer": "`backward()` does.",
        "key_points": "",
        "answer_regex": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "accepted_answers-TOTAL_FORMS": len(accepted),
        "accepted_answers-INITIAL_FORMS": 0,
        **fields,
    }
    for i, (text, correct) in enumerate(choices):
        data |= {f"choices-{i}-text": text, f"choices-{i}-order": i, f"choices-{i}-explanation": "Because."}
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    for i, text in enumerate(accepted):
        data[f"accepted_answers-{i}-text"] = text
    return data


def test_make_curator_grants_staff_and_group(curator):
    assert curator.is_staff and not curator.is_superuser
    assert curator.groups.filter(name="Curators").exists()


def test_make_curator_for_unknown_user_is_a_clear_error():
    with pytest.raises(Exception, match="No user called 'nobody'"):
        call_command("make_curator", "nobody")


def test_curators_group_cannot_touch_users_or_groups():
    codenames = set(Group.objects.get(name="Curators").permissions.values_list("codename", flat=True))
    assert "change_question" in codenames and "add_choice" in codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


def test_curator_can_open_questions_but_not_users(curator_client):
    question = make_question()
    assert curator_client.get(reverse("admin:interviews_question_changelist")).status_code == 200
    assert curator_client.get(reverse("admin:interviews_question_change", args=[question.pk])).status_code == 200
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert curator_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_curator_writes_a_valid_question_with_choices(curator_client, curator):
    topic = make_topic()
    data = question_form(topic=topic, choices=[("`loss.backward()`", True), ("`optimizer.step()`", False)])
    response = curator_client.post(reverse("admin:interviews_question_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(slug="which-call-computes-gradients")
    assert question.updated_by == curator and question.version == 1 and question.content_hash
    assert question.choices.count() == 2
    assert question.choices.first().text_html == "<code>loss.backward()</code>"


def test_single_question_with_two_correct_choices_is_refused_and_nothing_saved(curator_client):
    topic = make_topic()
    data = question_form(topic=topic, choices=[("A", True), ("B", True)])
    response = curator_client.post(reverse("admin:interviews_question_add"), data)
    assert response.status_code == 200
    assert "exactly 1 correct choice, not 2" in response.content.decode()
    assert not Question.objects.exists()


def test_short_question_without_accepted_answer_is_refused(curator_client):
    data = question_form(topic=make_topic(), kind="short")
    response = curator_client.post(reverse("admin:interviews_question_add"), data)
    assert "at least 1 accepted answer" in response.content.decode()
    assert not Question.objects.exists()


def test_open_question_without_key_points_is_refused(curator_client):
    data = question_form(topic=make_topic(), kind="open")
    response = curator_client.post(reverse("admin:interviews_question_add"), data)
    assert "at least 1 key point" in response.content.decode()
    assert not Question.objects.exists()


def test_fixing_a_typo_bumps_the_version_and_keeps_history(curator_client):
    question = make_question(kind="open", prompt="What is autgrad?")
    url = reverse("admin:interviews_question_change", args=[question.pk])
    data = question_form(
        topic=question.topic,
        kind="open",
        prompt="What is autograd?",
        slug=question.slug,
        status="published",
        key_points="Records operations",
    )
    response = curator_client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "What is autograd?" and question.version == 2
    history = curator_client.get(reverse("admin:interviews_question_history", args=[question.pk]))
    assert history.status_code == 200 and "carol" in history.content.decode()


def test_restore_an_earlier_version_from_history(admin_client):
    question = make_question(kind="open", prompt="Original prompt?")
    question.prompt = "Edited prompt?"
    question.save()
    original = question.history.order_by("history_id").first()
    url = reverse("admin:interviews_question_simple_history", args=[question.pk, original.history_id])
    page = admin_client.get(url)
    assert "Original prompt?" in page.content.decode()
    data = question_form(
        topic=question.topic,
        kind="open",
        prompt="Original prompt?",
        slug=question.slug,
        status="published",
        key_points="First point\nSecond point",
        answer=question.answer,
    )
    assert admin_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Original prompt?"


def test_publish_action_refuses_a_broken_question(curator_client):
    good = make_question(status="draft")
    broken = make_question(status="draft")
    broken.choices.update(is_correct=True)
    curator_client.post(
        reverse("admin:interviews_question_changelist"),
        {"action": "publish", "_selected_action": [good.pk, broken.pk]},
    )
    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.status == "published"
    assert broken.status == "draft"


def test_archive_unpublish_and_duplicate_actions(curator_client):
    question = make_question()
    changelist = reverse("admin:interviews_question_changelist")
    curator_client.post(changelist, {"action": "archive", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.status == "archived"
    curator_client.post(changelist, {"action": "unpublish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.status == "draft"
    curator_client.post(changelist, {"action": "duplicate", "_selected_action": [question.pk]})
    copy = Question.objects.get(slug=f"{question.slug}-copy")
    assert copy.status == "draft" and copy.choices.count() == question.choices.count()


def test_preview_shows_rendered_content(curator_client):
    question = make_question(body="Look at `x.grad`")
    page = curator_client.get(reverse("admin:interviews_question_change", args=[question.pk])).content.decode()
    assert "<code>x.grad</code>" in page and "Open on the site" in page


def test_export_then_import_from_admin_changes_nothing(curator_client):
    call_command("load_question_bank", verbosity=0)
    ids = list(Question.objects.values_list("pk", flat=True))
    exported = curator_client.post(
        reverse("admin:interviews_question_changelist"), {"action": "export_yaml", "_selected_action": ids}
    )
    assert exported["Content-Disposition"].startswith("attachment;")
    upload = SimpleUploadedFile("bank.yaml", exported.content, content_type="application/yaml")
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload}, follow=True)
    assert f"0 created, 0 updated, {len(ids)} unchanged" in response.content.decode()


def test_import_of_an_invalid_file_lists_the_errors_and_writes_nothing(curator_client):
    upload = SimpleUploadedFile("bad.yaml", b"questions:\n  - slug: Bad Slug\n    kind: single\n")
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported" in page and "lowercase letters" in page
    assert not Question.objects.exists()


def test_report_triage_lists_and_resolves(curator_client, learner):
    question = make_question()
    report = question.reports.create(user=learner, question_version=1, reason="typo", text="Spelling")
    changelist = reverse("admin:interviews_report_changelist")
    assert "Spelling" not in curator_client.get(changelist, {"status__exact": "resolved"}).content.decode()
    curator_client.post(changelist, {"action": "mark_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == "resolved" and report.resolved_at is not None


def test_import_larger_than_the_limit_is_refused_before_it_is_read(curator_client, settings):
    settings.MAX_IMPORT_BYTES = 10_000
    call_command("load_question_bank", verbosity=0)
    exported = export_questions(Question.objects.all()).encode()
    assert len(exported) > 100_000
    upload = SimpleUploadedFile("bank.yaml", exported, content_type="application/yaml")
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    assert response.status_code == 413
    assert "The file is larger than 0.01 MB" in response.content.decode()


def test_a_regex_the_grader_cannot_run_is_refused_with_the_reason(curator_client):
    data = question_form(topic=make_topic(), kind="short", accepted=["backward"], answer_regex="(?<=loss\\.)backward")
    response = curator_client.post(reverse("admin:interviews_question_add"), data)
    page = response.content.decode()
    assert "The answer regex does not compile on RE2, the engine that grades: invalid perl operator: (?&lt;" in page
    assert not Question.objects.exists()


def test_a_revert_from_history_is_a_new_version_and_versions_never_repeat(admin_client):
    question = make_question(kind="open", prompt="Original prompt?")
    change = reverse("admin:interviews_question_change", args=[question.pk])

    def form(prompt):
        return question_form(
            topic=question.topic,
            kind="open",
            prompt=prompt,
            slug=question.slug,
            status="published",
            key_points="First point\nSecond point",
            answer=question.answer,
        )

    assert admin_client.post(change, form("Edited prompt?")).status_code == 302
    question.refresh_from_db()
    assert question.version == 2
    original = question.history.order_by("history_id").first()
    revert = reverse("admin:interviews_question_simple_history", args=[question.pk, original.history_id])
    assert "multipart/form-data" not in admin_client.get(revert).content.decode()
    assert admin_client.post(revert, form("Original prompt?")).status_code == 302
    question.refresh_from_db()
    assert (question.prompt, question.version) == ("Original prompt?", 3)
    assert admin_client.post(change, form("Edited again?")).status_code == 302
    question.refresh_from_db()
    assert question.version == 4
    versions = list(question.history.order_by("history_id").values_list("version", flat=True))
    assert versions == sorted(versions)


def test_add_question_starts_with_four_choice_rows_and_a_roomy_prompt(curator_client):
    page = curator_client.get(reverse("admin:interviews_question_add")).content.decode()
    assert 'name="choices-TOTAL_FORMS" value="4"' in page
    assert '<textarea name="prompt" cols="80" rows="3" maxlength="300"' in page
    assert "admin-question.js" in page and "htmx-4.0.1.min.js" in page


def test_existing_question_shows_only_its_own_choices(curator_client):
    question = make_question(kind="single")
    page = curator_client.get(reverse("admin:interviews_question_change", args=[question.pk])).content.decode()
    assert 'name="choices-TOTAL_FORMS" value="3"' in page


def test_explanation_boxes_are_tall_enough_for_their_text(curator_client):
    question = make_question(kind="single")
    question.choices.filter(order=1).update(explanation="A long explanation. " * 20)
    page = curator_client.get(reverse("admin:interviews_question_change", args=[question.pk])).content.decode()
    assert 'name="choices-0-explanation" cols="50" rows="9"' in page


def test_change_page_shows_the_questions_statistics(curator_client, learner):
    from interviews.models import Report

    question = make_question(kind="single")
    Report.objects.create(user=learner, question=question, question_version=1, reason="typo")
    Report.objects.create(user=learner, question=question, question_version=1, reason="other", status="resolved")
    page = curator_client.get(reverse("admin:interviews_question_change", args=[question.pk])).content.decode()
    assert "How learners do" in page and "Share correct" in page and "Discrimination" in page
    assert f'question__id__exact={question.pk}&amp;status__exact=open">1</a>' in page
    changelist = curator_client.get(reverse("admin:interviews_question_changelist")).content.decode()
    assert '<td class="field-reports">1</td>' in changelist


def test_preview_renders_the_unsaved_form_as_the_site_does(curator_client):
    topic = make_topic()
    data = question_form(topic=topic, choices=[("Call `backward()`", True), ("Call `step()`", False)])
    data["prompt"] = "Which call fills `x.grad`?"
    data["choices-1-DELETE"] = ""
    response = curator_client.post(reverse("admin:interviews_question_preview"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Which call fills <code>x.grad</code>?" in page
    assert "✓ Correct:</strong> Call <code>backward()</code>" in page and "Unsaved preview" in page
    assert not Question.objects.exists()


def test_preview_leaves_out_deleted_and_empty_rows_and_escapes(curator_client):
    data = question_form(topic=make_topic(), choices=[("Kept", True), ("Deleted", False), ("", False)])
    data["choices-1-DELETE"] = "on"
    data["answer"] = "<script>alert(1)</script> fine"
    page = curator_client.post(reverse("admin:interviews_question_preview"), data).content.decode()
    assert "Kept" in page and "Deleted" not in page and "<script>" not in page


def test_preview_is_for_curators_only(client, learner_client, curator_client):
    url = reverse("admin:interviews_question_preview")
    assert client.post(url, {"prompt": "x"}).status_code == 302
    assert learner_client.post(url, {"prompt": "x"}).status_code == 302
    assert curator_client.get(url).status_code == 405
