"""Bookmarks, private notes and problem reports: ownership, htmx and plain posts, bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Bookmark, Note, Quiz, Report
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
BOOKMARKS = reverse("interviews:bookmark-list")


@pytest.fixture
def question(db):
    return make_question(prompt="What is autograd?")


def detail(question):
    return reverse("interviews:question-detail", args=[question.slug])


def test_bookmark_and_unbookmark_with_plain_posts(learner_client, learner, question):
    response = learner_client.post(detail(question), {"action": "bookmark", "bookmarked": "1"})
    assert response.status_code == 302
    assert Bookmark.objects.filter(user=learner, question=question).exists()
    page = learner_client.get(detail(question)).content.decode()
    assert 'aria-pressed="true"' in page and "Bookmarked." in page
    learner_client.post(detail(question), {"action": "bookmark", "bookmarked": "0"})
    assert not Bookmark.objects.exists()


def test_repeated_bookmark_request_keeps_one_bookmark(learner_client, learner, question):
    for _ in range(3):
        learner_client.post(detail(question), {"action": "bookmark", "bookmarked": "1"})
    assert Bookmark.objects.filter(user=learner).count() == 1


def test_bookmark_with_htmx_returns_the_toggle_partial(htmx_client, question):
    response = htmx_client.post(detail(question), {"action": "bookmark", "bookmarked": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<form id="bookmark-toggle"')
    assert 'aria-pressed="true"' in page and "<html" not in page


def test_htmx_post_passes_csrf_with_the_header_from_the_page(learner, question):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(detail(question))
    token = client.cookies["csrftoken"].value
    response = client.post(
        detail(question),
        {"action": "bookmark", "bookmarked": "1"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    without = Client(enforce_csrf_checks=True)
    without.force_login(learner)
    assert without.post(detail(question), {"action": "bookmark", "bookmarked": "0"}).status_code == 403
    assert Bookmark.objects.count() == 1


def test_anonymous_post_goes_to_login_and_saves_nothing(client, question):
    response = client.post(detail(question), {"action": "bookmark", "bookmarked": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Bookmark.objects.exists()


def test_unknown_action_is_a_400(learner_client, question):
    assert learner_client.post(detail(question), {"action": "explode"}).status_code == 400


def test_note_is_saved_rendered_and_private(learner_client, other_client, learner, question):
    learner_client.post(detail(question), {"action": "note", "body": "Remember **leaf** tensors"})
    note = Note.objects.get(user=learner, question=question)
    assert "<strong>leaf</strong>" in note.body_html
    assert "<strong>leaf</strong>" in learner_client.get(detail(question)).content.decode()
    assert "<strong>leaf</strong>" not in other_client.get(detail(question)).content.decode()


def test_note_update_keeps_one_row_and_empty_deletes(learner_client, learner, question):
    learner_client.post(detail(question), {"action": "note", "body": "one"})
    learner_client.post(detail(question), {"action": "note", "body": "two"})
    assert Note.objects.get(user=learner).body == "two"
    learner_client.post(detail(question), {"action": "note", "body": "  "})
    assert not Note.objects.exists()


def test_too_long_note_is_refused_and_nothing_saved(htmx_client, question):
    response = htmx_client.post(detail(question), {"action": "note", "body": "x" * 10_001})
    assert response.status_code == 422
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert 'id="note"' in response.content.decode()
    assert not Note.objects.exists()


def test_note_with_htmx_returns_the_note_partial(htmx_client, question):
    response = htmx_client.post(detail(question), {"action": "note", "body": "quick"})
    page = response.content.decode()
    assert 'id="note"' in page and "Note saved." in page and "<html" not in page


def test_report_records_the_question_version(learner_client, learner, question):
    question.version = 3
    question.save()
    response = learner_client.post(detail(question), {"action": "report", "reason": "typo", "text": "Misspelt."})
    assert response.status_code == 302
    report = Report.objects.get(user=learner)
    assert (report.question_version, report.reason, report.status) == (3, "typo", "open")


def test_report_needs_a_known_reason(htmx_client, question):
    response = htmx_client.post(detail(question), {"action": "report", "reason": "hate-it"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


def test_reports_are_limited_per_day(learner_client, learner, question):
    for _ in range(Report.DAILY_LIMIT):
        Report.objects.create(user=learner, question=question, question_version=1, reason="typo")
    response = learner_client.post(detail(question), {"action": "report", "reason": "typo"})
    assert response.status_code == 422
    assert "the most we take in a day" in response.content.decode()
    assert Report.objects.count() == Report.DAILY_LIMIT


def test_bookmark_list_shows_only_mine_with_topic_filter(learner_client, learner, other_learner):
    cnn = make_topic("cnns", "Convolutional networks")
    mine = make_question(prompt="My autograd one?")
    mine_cnn = make_question(cnn, prompt="My conv one?")
    theirs = make_question(prompt="Their question?")
    Bookmark.objects.create(user=learner, question=mine)
    Bookmark.objects.create(user=learner, question=mine_cnn)
    Bookmark.objects.create(user=other_learner, question=theirs)
    page = learner_client.get(BOOKMARKS).content.decode()
    assert "My autograd one?" in page and "My conv one?" in page and "Their question?" not in page
    filtered = learner_client.get(BOOKMARKS, {"topic": "cnns"}).content.decode()
    assert "My conv one?" in filtered and "My autograd one?" not in filtered


def test_remove_bookmark_in_place_with_htmx(htmx_client, learner, question):
    bookmark = Bookmark.objects.create(user=learner, question=question)
    response = htmx_client.post(BOOKMARKS, {"bookmark": bookmark.pk})
    page = response.content.decode()
    assert 'id="bookmark-list"' in page and "<html" not in page and "no bookmarks yet" in page
    assert not Bookmark.objects.exists()


def test_remove_bookmark_with_plain_post_redirects(learner_client, learner, question):
    bookmark = Bookmark.objects.create(user=learner, question=question)
    assert learner_client.post(BOOKMARKS, {"bookmark": bookmark.pk}).status_code == 302
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize("bad_id", ["", "abc", "99999999999999999999999", "-1"])
def test_removing_a_bad_bookmark_id_is_404(learner_client, bad_id):
    assert learner_client.post(BOOKMARKS, {"bookmark": bad_id}).status_code == 404


def test_removing_another_users_bookmark_is_404_and_changes_nothing(learner_client, other_learner, question):
    theirs = Bookmark.objects.create(user=other_learner, question=question)
    assert learner_client.post(BOOKMARKS, {"bookmark": theirs.pk}).status_code == 404
    assert Bookmark.objects.filter(pk=theirs.pk).exists()


def test_bookmark_list_needs_login(client):
    assert client.get(BOOKMARKS).status_code == 302


@pytest.mark.parametrize("count", [3, 60])
def test_bookmark_list_query_count_is_fixed(learner_client, learner, django_assert_max_num_queries, count):
    for _ in range(count):
        Bookmark.objects.create(user=learner, question=make_question())
    with django_assert_max_num_queries(5):
        assert learner_client.get(BOOKMARKS).status_code == 200


def test_deleting_the_account_removes_bookmarks_notes_and_reports(learner_client, learner, question):
    Bookmark.objects.create(user=learner, question=question)
    Note.objects.create(user=learner, question=question, body="x")
    Report.objects.create(user=learner, question=question, question_version=1, reason="typo")
    learner_client.post(reverse("interviews:delete-account"), {"password": "correct-horse-battery-staple-42"})
    assert not Bookmark.objects.exists() and not Note.objects.exists() and not Report.objects.exists()


def test_removal_offers_an_undo_with_htmx(htmx_client, learner, question):
    bookmark = Bookmark.objects.create(user=learner, question=question)
    page = htmx_client.post(BOOKMARKS, {"bookmark": bookmark.pk}).content.decode()
    assert "Removed “" in page and ">Undo</button>" in page and f'value="{question.slug}"' in page
    page = htmx_client.post(BOOKMARKS, {"action": "undo", "question": question.slug}).content.decode()
    assert "is back in your bookmarks" in page and "<html" not in page
    assert Bookmark.objects.filter(user=learner, question=question).exists()


def test_removal_offers_an_undo_without_javascript(learner_client, learner, question):
    bookmark = Bookmark.objects.create(user=learner, question=question)
    response = learner_client.post(f"{BOOKMARKS}?topic={question.topic.slug}", {"bookmark": bookmark.pk})
    assert response["Location"] == f"{BOOKMARKS}?topic={question.topic.slug}&removed={question.slug}"
    page = learner_client.get(response["Location"]).content.decode()
    assert "Removed “" in page and ">Undo</button>" in page
    response = learner_client.post(response["Location"], {"action": "undo", "question": question.slug})
    assert response["Location"] == f"{BOOKMARKS}?topic={question.topic.slug}"
    assert Bookmark.objects.filter(user=learner, question=question).count() == 1


def test_undo_of_an_unknown_or_unpublished_question_is_404(learner_client, learner):
    draft = make_question(status="draft")
    assert learner_client.post(BOOKMARKS, {"action": "undo", "question": "nope"}).status_code == 404
    assert learner_client.post(BOOKMARKS, {"action": "undo", "question": draft.slug}).status_code == 404
    assert not Bookmark.objects.exists()


def test_quiz_these_practises_the_bookmarks_shown(learner_client, learner):
    cnn = make_topic("cnns", "Convolutional networks")
    shown = [make_question(cnn, kind="single") for _ in range(2)]
    hidden = make_question(kind="single")
    for question in [*shown, hidden]:
        Bookmark.objects.create(user=learner, question=question)
    page = learner_client.get(BOOKMARKS, {"topic": "cnns"}).content.decode()
    assert "Quiz these (2)" in page and 'name="topic" value="cnns"' in page
    response = learner_client.post(reverse("interviews:quiz-new"), {"preset": "bookmarks", "topic": "cnns"})
    quiz = Quiz.objects.get(user=learner)
    assert response["Location"] == quiz.get_absolute_url()
    assert set(quiz.items.values_list("question_id", flat=True)) == {q.pk for q in shown}
