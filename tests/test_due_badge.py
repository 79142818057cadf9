"""The navigation's due badge is kept in the session, not counted on every page: it must still agree
with a fresh count after every kind of answer, review, bookmark, suspension and settings change."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import DueSummary, Profile, Question, Quiz, ReviewCard
from interviews.quizzes import create_quiz
from interviews.review import DUE_SUMMARY_SECONDS, Prefs, cached_due_summary, due_summary, forget_due_summary
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
HOME = reverse("interviews:home")
BADGE = re.compile(r'<span class="badge" aria-label="(\d+) due">')


def badge(client) -> int:
    page = client.get(HOME).content.decode()
    found = BADGE.search(page)
    return int(found.group(1)) if found else 0


def fresh_total(user) -> int:
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    prefs = Prefs(
        time_zone=profile.time_zone,
        desired_retention=profile.desired_retention,
        new_per_day=profile.new_per_day,
        interview_date=profile.interview_date.isoformat() if profile.interview_date else None,
        new_per_day_cap=profile.new_per_day_cap,
    )
    return due_summary(user, now=timezone.now(), prefs=prefs)["total"]


def learnt_card(user, question, *, due, lapses=0):
    return ReviewCard.objects.create(
        user=user,
        question=question,
        due=due,
        reps=3,
        lapses=lapses,
        state=2,
        stability=6.0,
        difficulty=5.0,
        last_review=due - timedelta(days=6),
        created_at=due - timedelta(days=20),
    )


def quiz_of(user, questions, mode):
    return create_quiz(
        user=user,
        questions=Question.objects.filter(pk__in=[q.pk for q in questions]),
        mode=mode,
        size=len(questions),
        title=mode.title(),
        now=timezone.now(),
    )


def post_answer(client, quiz, question, *, correct=True, text=None, headers=None):
    data = {"action": "answer", "question": question.pk}
    if text is not None:
        data["text"] = text
    elif question.kind != "open":
        choices = question.choices.filter(is_correct=correct)
        data["choice"] = choices.first().pk
    return client.post(quiz.get_absolute_url(), data, headers=headers)


@pytest.fixture
def bank(db):
    topic = make_topic()
    return {
        "due": [make_question(topic) for _ in range(3)],
        "single": [make_question(topic) for _ in range(4)],
        "open": make_question(topic, kind="open"),
        "short": make_question(topic, kind="short"),
        "leech": make_question(topic),
    }


def test_the_badge_agrees_with_a_fresh_count_after_every_kind_of_change(learner, learner_client, bank):
    now = timezone.now()
    for question in bank["due"]:
        learnt_card(learner, question, due=now - timedelta(hours=2))
    learnt_card(learner, bank["leech"], due=now - timedelta(hours=1), lapses=5)
    seen = []

    def check(step):
        shown, counted = badge(learner_client), fresh_total(learner)
        seen.append((step, shown, counted))
        assert shown == counted, f"after {step}: the badge shows {shown}, a fresh count gives {counted}"

    check("the first page")
    assert seen[-1][1] == 4

    bookmarked = bank["single"][0]
    learner_client.post(bookmarked.get_absolute_url(), {"action": "bookmark", "bookmarked": "1"})
    check("a bookmark (a new card)")

    learner_client.post(reverse("interviews:review"))
    review = Quiz.objects.get(user=learner, mode="review")
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):
        post_answer(learner_client, review, bank["due"][0], correct=True)
    check("a right answer in a review")
    post_answer(learner_client, review, bank["due"][1], correct=False)
    check("a wrong answer in a review")

    practice = quiz_of(learner, bank["single"][1:3], "practice")
    post_answer(learner_client, practice, bank["single"][1], correct=True, headers={"HX-Request": "true"})
    check("a first answer in practice, by htmx")
    post_answer(learner_client, practice, bank["single"][2], correct=False)
    check("a wrong first answer in practice")

    interview = quiz_of(learner, [bank["open"]], "interview")
    post_answer(learner_client, interview, bank["open"])
    check("revealing an open question (not yet rated)")
    learner_client.post(interview.get_absolute_url(), {"action": "rate", "question": bank["open"].pk, "rating": "good"})
    check("rating an open question")

    typed = quiz_of(learner, [bank["short"]], "practice")
    post_answer(learner_client, typed, bank["short"], text="forward")
    check("a typed answer marked wrong")
    learner_client.post(typed.get_absolute_url(), {"action": "override", "question": bank["short"].pk})
    check("“I was right”")

    exam = quiz_of(learner, [bank["single"][3]], "exam")
    post_answer(learner_client, exam, bank["single"][3])
    check("an exam answer (scheduled only when submitted)")
    learner_client.post(exam.get_absolute_url(), {"action": "submit", "confirm": "1"})
    check("submitting the exam")

    leech = ReviewCard.objects.get(user=learner, question=bank["leech"])
    learner_client.post(reverse("interviews:leech-list"), {"card": leech.pk, "suspended": "1"})
    check("suspending a leech")

    settings = {
        "time_zone": "Asia/Tokyo",
        "desired_retention": "0.9",
        "new_per_day": "0",
        "ask_confidence": "on",
        "new_per_day_cap": "30",
        "leech_lapses": "4",
        "interview_date": "",
    }
    learner_client.post(reverse("interviews:account"), settings)
    check("fewer new questions a day, another time zone")
    settings["interview_date"] = (timezone.now() + timedelta(days=20)).date().isoformat()
    settings["new_per_day"] = "5"
    learner_client.post(reverse("interviews:account"), settings)
    check("setting an interview date")

    totals = [shown for _, shown, _ in seen]
    assert len(set(totals)) >= 5, f"the steps should move the count: {seen}"


def test_a_page_view_reuses_the_badge_instead_of_counting_again(learner, learner_client, bank):
    learnt_card(learner, bank["due"][0], due=timezone.now() - timedelta(hours=1))
    assert badge(learner_client) == 1
    with CaptureQueriesContext(connection) as queries:
        assert badge(learner_client) == 1
    counted = [q["sql"] for q in queries.captured_queries if 'FROM "interviews_reviewcard"' in q["sql"]]
    assert counted == []


def test_another_device_sees_the_change_at_once(learner, learner_client, bank):
    learnt_card(learner, bank["due"][0], due=timezone.now() - timedelta(hours=1))
    assert badge(learner_client) == 1
    phone = Client()
    phone.force_login(learner)
    assert badge(phone) == 1
    practice = quiz_of(learner, [bank["single"][0]], "practice")
    post_answer(phone, practice, bank["single"][0], correct=False, headers={"HX-Request": "true"})
    assert badge(learner_client) == fresh_total(learner) == 2
    assert badge(phone) == 2


def test_a_count_kept_too_long_is_counted_again(learner, learner_client, bank):
    learnt_card(learner, bank["due"][0], due=timezone.now() - timedelta(hours=1))
    assert badge(learner_client) == 1
    # A change no POST of the learner made (here written straight to the database).
    learnt_card(learner, bank["due"][1], due=timezone.now() - timedelta(hours=1))
    assert badge(learner_client) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=DUE_SUMMARY_SECONDS + 1)):
        assert badge(learner_client) == fresh_total(learner) == 2


def test_a_count_from_before_a_change_is_not_kept(learner, bank):
    """A page counted while another tab's answer was being stored must not keep its count."""
    learnt_card(learner, bank["due"][0], due=timezone.now() - timedelta(hours=1))
    now, prefs = timezone.now(), Prefs()
    cached_due_summary(learner, now=now, prefs=prefs)  # counted and kept
    page_tab = type(learner).objects.select_related("due_summary").get(pk=learner.pk)
    answer_tab = type(learner).objects.select_related("due_summary").get(pk=learner.pk)
    forget_due_summary(answer_tab)  # the answer is stored, the kept count dropped
    page_tab.due_summary.valid_until = now  # the page tab's copy has run out: it counts again ...
    learnt_card(learner, bank["due"][1], due=now - timedelta(hours=1))
    assert cached_due_summary(page_tab, now=now + timedelta(seconds=1), prefs=prefs)["due"] == 2
    # ... and its count, taken with the stamp from before the drop, is stored but not trusted.
    kept = DueSummary.objects.get(user=learner)
    assert kept.due == 2 and kept.valid_until is None
