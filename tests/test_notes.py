"""/notes/: every note I keep, with its question; only mine."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from interviews.models import Note
from tests.conftest import PASSWORD
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
NOTES = reverse("interviews:note-list")


@pytest.fixture
def notes(learner, other_learner):
    core, cnns = make_topic("core", "Core", order=1), make_topic("cnns", "CNNs", order=2)
    first, second = make_question(core, prompt="Why detach()?"), make_question(cnns, prompt="Why pool?")
    Note.objects.create(user=learner, question=first, body="Because **graphs** grow.")
    Note.objects.create(user=learner, question=second, body="Fewer positions.")
    Note.objects.create(user=other_learner, question=first, body="Their secret")
    return first, second


def test_my_notes_with_their_questions(learner_client, notes):
    page = learner_client.get(NOTES).content.decode()
    assert "Why detach()?" in page and "Why pool?" in page
    assert "Because <strong>graphs</strong> grow." in page and "Their secret" not in page
    assert f'href="{notes[0].get_absolute_url()}#note"' in page
    assert page.index("Why pool?") < page.index("Why detach()?")  # newest first


def test_filter_by_topic_and_the_htmx_partial(learner_client, htmx_client, notes):
    page = learner_client.get(NOTES, {"topic": "cnns"}).content.decode()
    assert "Why pool?" in page and "Why detach()?" not in page
    partial = htmx_client.get(NOTES, {"topic": "core"}).content.decode()
    assert partial.strip().startswith('<section id="note-list"') and "<html" not in partial


def test_no_notes_says_how_to_write_one(learner_client, other_client, notes):
    Note.objects.filter(user__username="grace").delete()
    assert "You have no notes yet." in other_client.get(NOTES).content.decode()
    assert "No notes in this topic." in learner_client.get(NOTES, {"topic": "nowhere"}).content.decode()


def test_notes_need_login_and_are_read_only(client, learner_client):
    assert client.get(NOTES).status_code == 302
    assert learner_client.post(NOTES).status_code == 405


def test_deleting_the_account_deletes_the_notes(learner_client, learner, notes):
    learner_client.post(reverse("interviews:delete-account"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert list(Note.objects.values_list("body", flat=True)) == ["Their secret"]


@pytest.mark.parametrize("count", [2, 45])
def test_notes_page_costs_a_fixed_number_of_queries(learner_client, learner, django_assert_max_num_queries, count):
    topic = make_topic()
    for n in range(count):
        Note.objects.create(user=learner, question=make_question(topic), body=f"Note {n}")
    # session, user, topics, count, page, the due count
    with django_assert_max_num_queries(6):
        assert learner_client.get(NOTES).status_code == 200
