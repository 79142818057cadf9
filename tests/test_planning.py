"""Readiness for a dated interview and the plan that gets there: pure functions with fixed dates, then the
account setting, the review session, the dashboard and home sections."""

from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviews import planning, scheduling
from interviews.models import Answer, Profile, Question, Quiz, ReviewCard
from interviews.planning import BUFFER_DAYS, Memory, due_before_interview, new_allowance, plan, readiness, verdict
from interviews.quizzes import create_quiz
from interviews.review import Prefs, due_summary, session_questions
from tests.factories import bulk_questions, make_question, make_topic

TODAY = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INTERVIEW = date(2026, 3, 16)
INTERVIEW_AT = planning.interview_start(INTERVIEW, "UTC")


# The daily allowance of new questions


@pytest.mark.parametrize(
    ("interview", "unseen", "base", "cap", "expected"),
    [
        (None, 500, 10, 30, 10),  # no interview: the usual number
        (INTERVIEW, 220, 10, 30, 20),  # 14 days, 3 kept for review: 220 over 11 days
        (INTERVIEW, 500, 10, 30, 30),  # capped
        (INTERVIEW, 5, 10, 30, 10),  # never below the usual number
        (TODAY + timedelta(days=2), 40, 10, 30, 30),  # inside the buffer: everything at once, within the cap
        (TODAY, 40, 10, 30, 10),  # on the day itself: the usual number
    ],
)
def test_new_allowance(interview, unseen, base, cap, expected):
    assert new_allowance(today=TODAY, interview_day=interview, unseen=unseen, base=base, cap=cap) == expected


def test_plan_meets_the_unseen_bank_a_few_days_before_and_counts_reviews():
    p = plan(today=TODAY, interview_day=INTERVIEW, unseen=220, reviewing=60, base=10, cap=30)
    assert (p.days_left, p.new_per_day, p.per_day) == (14, 20, 36)  # (2 * 220 + 60) / 14
    assert p.cover_by == date(2026, 3, 12) and p.last_new_day == date(2026, 3, 12)
    assert p.fits and p.still_unseen == 0


def test_plan_behind_when_the_cap_is_too_low():
    p = plan(today=TODAY, interview_day=INTERVIEW, unseen=500, reviewing=0, base=10, cap=20)
    assert p.new_per_day == 20 and not p.fits
    assert p.cover_by == date(2026, 3, 26) and p.still_unseen == 500 - 20 * 14


def test_plan_when_everything_was_met():
    p = plan(today=TODAY, interview_day=INTERVIEW, unseen=0, reviewing=140, base=10, cap=30)
    assert (p.new_per_day, p.per_day, p.cover_by, p.fits) == (0, 10, None, True)


def test_no_plan_on_the_interview_day():
    assert plan(today=INTERVIEW, interview_day=INTERVIEW, unseen=10, reviewing=0, base=10, cap=30) is None


# Cards due after the interview come back before it


def test_a_card_due_before_the_interview_keeps_its_due_time():
    due = datetime(2026, 3, 10, 9, tzinfo=UTC)
    assert due_before_interview(due, now=NOW, interview_at=INTERVIEW_AT, card_id=7) == due


@pytest.mark.parametrize(("card_id", "days_before"), [(3, 1), (4, 2), (5, 3)])
def test_a_card_due_after_the_interview_comes_back_in_the_days_before_it(card_id, days_before):
    due = datetime(2026, 4, 20, 9, tzinfo=UTC)
    pulled = due_before_interview(due, now=NOW, interview_at=INTERVIEW_AT, card_id=card_id)
    assert pulled == INTERVIEW_AT - timedelta(days=days_before)


def test_a_card_reviewed_inside_the_window_is_not_pulled_again():
    late = INTERVIEW_AT - timedelta(hours=12)
    due = datetime(2026, 4, 20, 9, tzinfo=UTC)
    assert due_before_interview(due, now=late, interview_at=INTERVIEW_AT, card_id=3) == due


def test_no_pull_without_an_interview_or_after_it():
    due = datetime(2026, 4, 20, 9, tzinfo=UTC)
    assert due_before_interview(due, now=NOW, interview_at=None, card_id=3) == due
    assert due_before_interview(due, now=INTERVIEW_AT + timedelta(days=1), interview_at=INTERVIEW_AT, card_id=3) == due


def trace_one_card(interview_at, ratings):
    """Review one card at each planned due time; return (reviewed at, rating, FSRS due, planned due)."""
    state, now, trace = scheduling.new_card_state(NOW), NOW, []
    for rating in ratings:
        state, _ = scheduling.review(11, state, rating, now=now, desired_retention=0.9)
        due = due_before_interview(state.due, now=now, interview_at=interview_at, card_id=11)
        trace.append((now, rating, state.due, due))
        state = scheduling.CardState(state.state, state.step, state.stability, state.difficulty, due, state.last_review)
        now = due
    return trace


def test_trace_one_card_planned_around_an_interview():
    """A card met on 2 March for an interview on 10 April: Good, Good, Good, a lapse, then Good."""
    interview_at = planning.interview_start(date(2026, 4, 10), "UTC")
    good, again = fsrs.Rating.Good, fsrs.Rating.Again
    trace = trace_one_card(interview_at, [good, good, good, again, good, good, good, good, good])
    pulled = [(at, fsrs_due, due) for at, _, fsrs_due, due in trace if due != fsrs_due]
    # Only the review whose FSRS due (1 May) fell after the interview was brought forward, to 7 April.
    assert pulled == [
        (
            datetime(2026, 4, 3, 9, 20, tzinfo=UTC),
            datetime(2026, 5, 1, 9, 20, tzinfo=UTC),
            datetime(2026, 4, 7, tzinfo=UTC),
        )
    ]
    reviews_before = [at for at, *_ in trace if at < interview_at]
    assert interview_at - timedelta(days=BUFFER_DAYS) <= reviews_before[-1] < interview_at
    # Reviewed inside the last days, the card keeps FSRS's due time after the interview.
    assert trace[-1][0] == datetime(2026, 4, 7, tzinfo=UTC)
    assert trace[-1][3] == trace[-1][2] > interview_at


# Readiness on the day


def test_readiness_counts_unseen_questions_as_not_known():
    yesterday = datetime(2026, 3, 15, 9, tzinfo=UTC)
    long_ago = datetime(2026, 1, 1, 9, tzinfo=UTC)
    memories = [Memory(1, 30.0, yesterday), Memory(1, 30.0, yesterday), Memory(1, 2.0, long_ago), Memory(2, None, None)]
    ready = readiness(memories, [(1, "Autograd", 4), (2, "CNNs", 2), (3, "Data", 3)], at=INTERVIEW_AT)
    autograd, cnns, data = ready.topics
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    fresh = planning.recall_at(Memory(1, 30.0, yesterday), INTERVIEW_AT, scheduler)
    stale = planning.recall_at(Memory(1, 2.0, long_ago), INTERVIEW_AT, scheduler)
    assert fresh > 0.95 and stale < planning.READY_RECALL
    assert autograd.ready == 2 and autograd.expected == pytest.approx((2 * fresh + stale) / 4)
    assert (cnns.ready, cnns.expected) == (0, 0.0)
    assert (data.ready, data.expected, data.percent) == (0, 0.0, 0)
    assert (ready.total, ready.ready, ready.share_ready) == (9, 2, 22)


@pytest.mark.parametrize(
    ("ready", "unseen", "cap", "answer", "words"),
    [
        (9, 0, 30, "yes", "Yes: 90% of the bank is ready for Monday 16 March."),
        (2, 8, 30, "on-track", "Not yet (20% ready), but on track: at about 2 questions a day until Monday 16 March"),
        (0, 500, 10, "behind", "at your cap of 10 new questions a day, 360 questions would still be new"),
    ],
)
def test_ready_by_the_date_in_words(ready, unseen, cap, answer, words):
    topics = [planning.TopicReadiness(1, "A", 10, ready, ready / 10)]
    state = planning.Readiness(topics, 10, ready, ready / 10)
    p = plan(today=TODAY, interview_day=INTERVIEW, unseen=unseen, reviewing=ready, base=10, cap=cap)
    got_answer, got_words = verdict(state, p, INTERVIEW)
    assert got_answer == answer and words in got_words


# The account setting


pytestmark_db = pytest.mark.django_db
ACCOUNT = reverse("interviews:account")
SETTINGS = {"time_zone": "UTC", "desired_retention": "0.9", "new_per_day": 10, "ask_confidence": "on"}


@pytest.mark.django_db
def test_set_the_interview_date_and_cap(learner_client, learner):
    with time_machine.travel(NOW, tick=False):
        response = learner_client.post(ACCOUNT, {**SETTINGS, "interview_date": "2026-03-16", "new_per_day_cap": 40})
        page = learner_client.get(ACCOUNT).content.decode()
    assert response.status_code == 302
    profile = Profile.objects.get(user=learner)
    assert (profile.interview_date, profile.new_per_day_cap) == (INTERVIEW, 40)
    assert 'type="date" name="interview_date" value="2026-03-16"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interview_date": "2026-03-01"}, "That day has passed."),
        ({"interview_date": "16/03/2026"}, "Enter a valid date."),
        ({"interview_date": "2026-03-16", "new_per_day_cap": 5}, "Allow at least your usual 10 new questions a day"),
        ({"new_per_day_cap": 201}, "less than or equal to 200"),
    ],
)
def test_bad_interview_settings_are_refused_and_nothing_saved(learner_client, learner, data, message):
    with time_machine.travel(NOW, tick=False):
        response = learner_client.post(ACCOUNT, {**SETTINGS, **data})
    assert response.status_code == 422 and message in response.content.decode()
    assert not Profile.objects.filter(user=learner).exists()


@pytest.mark.django_db
def test_a_form_without_the_cap_keeps_the_stored_cap(learner_client, learner):
    Profile.objects.create(user=learner, new_per_day_cap=55)
    assert learner_client.post(ACCOUNT, SETTINGS).status_code == 302
    assert Profile.objects.get(user=learner).new_per_day_cap == 55


def reviewed_card(user, question, *, due, stability=20.0, last_review=None):
    return ReviewCard.objects.create(user=user, question=question, state=2, step=None, stability=stability,
                                     difficulty=5.0, due=due, last_review=last_review or NOW - timedelta(days=10),
                                     reps=3, first_reviewed_at=NOW - timedelta(days=30))  # fmt: skip


@pytest.mark.django_db
def test_setting_the_date_brings_forward_the_cards_due_after_it(learner_client, learner):
    topic = make_topic()
    early = reviewed_card(learner, make_question(topic), due=datetime(2026, 3, 9, 9, tzinfo=UTC))
    late = reviewed_card(learner, make_question(topic), due=datetime(2026, 5, 1, 9, tzinfo=UTC))
    with time_machine.travel(NOW, tick=False):
        learner_client.post(ACCOUNT, {**SETTINGS, "interview_date": "2026-03-16"})
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.due == datetime(2026, 3, 9, 9, tzinfo=UTC)
    assert INTERVIEW_AT - timedelta(days=BUFFER_DAYS) <= late.due < INTERVIEW_AT


# The review session follows the plan


@pytest.mark.django_db
def test_with_an_interview_the_unseen_bank_joins_the_review_at_a_raised_allowance(learner):
    bulk_questions(220, make_topic())
    prefs = Prefs(interview_date="2026-03-16", new_per_day=10, new_per_day_cap=30)
    summary = due_summary(learner, now=NOW, prefs=prefs)
    assert (summary["new_per_day"], summary["new"], summary["new_waiting"]) == (20, 20, 220)
    ids = session_questions(learner, now=NOW, prefs=prefs)
    assert len(ids) == 20 and len(set(ids)) == 20
    assert due_summary(learner, now=NOW, prefs=Prefs(new_per_day=10))["new"] == 0


@pytest.mark.django_db
def test_due_summary_with_an_interview_costs_two_queries(learner, django_assert_num_queries):
    bulk_questions(30, make_topic())
    with django_assert_num_queries(2):
        due_summary(learner, now=NOW, prefs=Prefs(interview_date="2026-03-16"))


@pytest.mark.django_db
def test_an_answer_after_the_interview_is_due_before_it(learner_client, learner):
    Profile.objects.create(user=learner, interview_date=INTERVIEW)
    learner_client.force_login(learner)  # the session picks up the date
    question = make_question(kind="single")
    start = NOW - timedelta(days=40)
    reviewed_card(learner, question, due=NOW, stability=60.0, last_review=start)
    with time_machine.travel(NOW, tick=False):
        quiz = create_quiz(user=learner, questions=Question.objects.all(), mode="practice", size=1, title="Q",
                           now=timezone.now())  # fmt: skip
        choice = question.choices.get(is_correct=True)
        learner_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "choice": choice.pk})
    card = ReviewCard.objects.get(user=learner, question=question)
    stored = Answer.objects.get(quiz=quiz)
    assert INTERVIEW_AT - timedelta(days=BUFFER_DAYS) <= card.due < INTERVIEW_AT
    assert stored.review_due == card.due


# Readiness on the dashboard and the home page


def readiness_history(user, questions: int):
    core, cnns = make_topic("core", "Core", order=1), make_topic("cnns", "CNNs", order=2)
    bulk_questions(questions, core)
    bulk_questions(questions, cnns)
    for question in Question.objects.filter(topic=core)[: questions // 2]:
        reviewed_card(user, question, due=datetime(2026, 3, 20, tzinfo=UTC), stability=40.0,
                      last_review=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip


def get(client, url):
    with time_machine.travel(NOW, tick=False):
        return client.get(url).content.decode()


@pytest.mark.django_db
def test_dashboard_shows_readiness_and_the_plan(learner_client, learner):
    Profile.objects.create(user=learner, interview_date=INTERVIEW)
    learner_client.force_login(learner)
    readiness_history(learner, 10)
    page = get(learner_client, reverse("interviews:dashboard"))
    assert "Ready by Monday 16 March?" in page
    assert "Not yet (25% ready), but on track" in page
    assert '<dt>Questions ready</dt><dd>25% <span class="muted">(5 of 20)</span></dd>' in page
    assert 'aria-label="Core: predicted recall' in page and "5 of 10 questions ready" in page
    assert 'aria-label="CNNs: predicted recall 0%, 0 of 10 questions ready"' in page
    assert "about <strong>3 questions a day until 16 March</strong>" in page  # (2 * 15 unseen + 5 reviewing) / 14 days


@pytest.mark.django_db
def test_dashboard_invites_to_set_a_date(learner_client):
    page = learner_client.get(reverse("interviews:dashboard")).content.decode()
    assert "Preparing for a dated interview?" in page and "Ready by" not in page


@pytest.mark.django_db
def test_a_passed_interview_date_is_said_so(learner_client, learner):
    Profile.objects.create(user=learner, interview_date=date(2026, 2, 20))
    learner_client.force_login(learner)
    page = get(learner_client, reverse("interviews:home"))
    assert "Your interview day, 20 February 2026, has passed." in page


@pytest.mark.django_db
def test_home_shows_readiness_only_with_a_date(learner_client, learner):
    readiness_history(learner, 4)
    assert "Ready by" not in get(learner_client, reverse("interviews:home"))
    Profile.objects.create(user=learner, interview_date=INTERVIEW)
    learner_client.force_login(learner)
    page = get(learner_client, reverse("interviews:home"))
    assert "Ready by Monday 16 March?" in page and "Predicted recall by topic" in page


@pytest.mark.django_db
@pytest.mark.parametrize("questions", [4, 120])
def test_readiness_query_counts_are_fixed(learner_client, learner, django_assert_max_num_queries, questions):
    Profile.objects.create(user=learner, interview_date=INTERVIEW)
    learner_client.force_login(learner)
    readiness_history(learner, questions)
    Quiz.objects.create(user=learner, title="Q", mode="practice", size=1)
    # home: session, user, bank, topics, unfinished, recent, streak, readiness (cards, bank), due count (2)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(11):
        assert learner_client.get(reverse("interviews:home")).status_code == 200
    # dashboard: its progress figures, readiness (2), calibration (2), leeches (2), the due count (2)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(18):
        assert learner_client.get(reverse("interviews:dashboard")).status_code == 200
