"""/dashboard/: every figure against hand-computed values, the range switch, export, query budget."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Bookmark, Note, Profile, Quiz, QuizQuestion
from interviews.progress import Day, daily_counts, heatmap, parse_range, streaks, weekly_accuracy
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("interviews:dashboard")
EXPORT = reverse("interviews:dashboard-export")
TODAY = date(2026, 11, 27)  # a Friday


# Pure figures


def test_streaks_across_a_missed_day():
    days = {TODAY - timedelta(days=n) for n in (0, 1, 2, 4, 5, 6, 7)}
    assert streaks(days, TODAY) == (3, 4)


def test_streak_survives_until_the_day_is_over():
    days = {TODAY - timedelta(days=n) for n in (1, 2)}
    assert streaks(days, TODAY) == (2, 2)
    assert streaks(days, TODAY + timedelta(days=1)) == (0, 2)


def test_no_days_no_streak():
    assert streaks(set(), TODAY) == (0, 0)


def test_weekly_accuracy_groups_monday_to_sunday():
    days = [Day(date(2026, 11, 16), 4, 3), Day(date(2026, 11, 22), 6, 3), Day(date(2026, 11, 23), 10, 9)]
    weeks = weekly_accuracy(days, date(2026, 11, 16), TODAY)
    assert [(w["week"], w["answered"], w["correct"], w["accuracy"]) for w in weeks] == [
        (date(2026, 11, 16), 10, 6, 60),
        (date(2026, 11, 23), 10, 9, 90),
    ]


def test_week_without_answers_has_no_accuracy():
    weeks = weekly_accuracy([Day(TODAY, 2, 1)], TODAY - timedelta(days=14), TODAY)
    assert [w["accuracy"] for w in weeks] == [None, None, 50]


def test_daily_counts_fill_the_gaps():
    series = daily_counts([Day(TODAY, 3, 2)], TODAY - timedelta(days=2), TODAY)
    assert [(d["answered"], d["correct"]) for d in series] == [(0, 0), (0, 0), (3, 2)]


def test_heatmap_covers_a_year_in_weeks_and_shades_by_quartile():
    days = [Day(TODAY - timedelta(days=n), n + 1, 0) for n in range(8)]
    weeks = heatmap(days, TODAY)
    assert len(weeks) == 53 and all(len(week) == 7 for week in weeks)
    cells = {cell["day"]: cell for week in weeks for cell in week}
    assert cells[TODAY]["level"] == 1 and cells[TODAY - timedelta(days=7)]["level"] == 4
    assert cells[TODAY - timedelta(days=30)]["level"] == 0
    assert cells[TODAY + timedelta(days=1)]["future"]


@pytest.mark.parametrize(
    ("value", "key", "has_message"),
    [(None, "30", False), ("7", "7", False), ("all", "all", False), ("12", "30", True),
     ("<script>", "30", True), ("9" * 500, "30", True)],
)  # fmt: skip
def test_range_parameter(value, key, has_message):
    parsed, message = parse_range(value)
    assert parsed == key and bool(message) == has_message


# The page, on small fixed data


def answer(user, question, *, day, correct, ms=30_000, at=None):
    quiz = Quiz.objects.create(user=user, title="Q", mode="practice", status="finished", size=1, answered_count=1,
                               correct_count=int(correct), score_percent=100 * int(correct),
                               finished_at=at or datetime(day.year, day.month, day.day, 12, tzinfo=UTC))  # fmt: skip
    item = QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    moment = at or datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return Answer.objects.create(quiz=quiz, item=item, question=question, user=user, question_version=1,
                                 is_correct=correct, time_taken_ms=ms, answered_at=moment, local_day=day)  # fmt: skip


@pytest.fixture
def history(learner):
    core, cnn = make_topic("core", "Core", order=1), make_topic("cnns", "CNNs", order=2)
    q1, q2, q3 = make_question(core), make_question(core), make_question(cnn)
    make_question(cnn)  # never answered
    # q1: wrong, then right (latest counts); q2: right, then wrong; q3: wrong twice.
    answer(learner, q1, day=TODAY - timedelta(days=3), correct=False)
    answer(learner, q1, day=TODAY - timedelta(days=2), correct=True)
    answer(learner, q2, day=TODAY - timedelta(days=2), correct=True)
    answer(learner, q2, day=TODAY - timedelta(days=1), correct=False)
    answer(learner, q3, day=TODAY - timedelta(days=1), correct=False)
    answer(learner, q3, day=TODAY, correct=False)
    return q1, q2, q3


def get(client, **params):
    with time_machine.travel(datetime(2026, 11, 27, 15, tzinfo=UTC), tick=False):
        return client.get(DASHBOARD, params)


def test_totals_streak_and_accuracy(learner_client, history):
    page = get(learner_client).content.decode()
    assert "<dt>Questions answered</dt><dd>6</dd>" in page
    assert "<dt>Accuracy</dt><dd>33%</dd>" in page
    assert '<dt>Different questions seen</dt><dd>3 <span class="muted">of 4</span></dd>' in page
    assert "<dt>Time spent</dt><dd>3 min</dd>" in page
    assert "<dt>Current streak</dt><dd>4 days</dd>" in page


def test_mastery_uses_the_latest_attempt_only(learner_client, history):
    page = get(learner_client).content.decode()
    assert 'aria-label="50%: 1 of 2 questions"' in page  # core: q1 right at last, q2 wrong at last
    assert 'aria-label="0%: 0 of 2 questions"' in page  # cnns: q3 wrong, one never answered


def test_most_missed_lists_questions_with_most_wrong_answers(learner_client, history):
    page = get(learner_client).content.decode()
    _, q2, q3 = history
    assert page.index(q3.prompt) < page.index(q2.prompt)
    assert "(2×)" in page


def test_range_excludes_older_answers(learner_client, learner, history):
    answer(learner, history[0], day=TODAY - timedelta(days=60), correct=True)
    assert "<dt>Questions answered</dt><dd>6</dd>" in get(learner_client, range="30").content.decode()
    assert "<dt>Questions answered</dt><dd>7</dd>" in get(learner_client, range="90").content.decode()


def test_bad_range_is_explained_not_a_500(learner_client, history):
    response = get(learner_client, range="forever")
    assert response.status_code == 200
    assert "is not a range we know; showing the last 30 days" in response.content.decode()


def test_htmx_range_switch_returns_the_charts_partial(htmx_client, history):
    response = get(htmx_client, range="7")
    page = response.content.decode()
    assert page.strip().startswith('<div id="dashboard-charts"') and "<html" not in page


def test_new_learner_sees_what_to_do_first(learner_client):
    page = learner_client.get(DASHBOARD).content.decode()
    assert "Nothing to show yet" in page and "Take your first quiz" in page and "<svg" not in page


def test_only_my_answers_count(learner_client, other_learner, history):
    answer(other_learner, history[0], day=TODAY, correct=True)
    assert "<dt>Questions answered</dt><dd>6</dd>" in get(learner_client).content.decode()


def test_streak_across_a_time_zone_boundary(learner_client, learner):
    """The day of an answer is the learner's: 23:30 and 00:30 in New York are two days."""
    Profile.objects.create(user=learner, time_zone="America/New_York")
    learner_client.force_login(learner)  # the session picks up the time zone
    question = make_question(make_topic(), kind="single")
    from interviews.quizzes import create_quiz

    for moment in (datetime(2026, 11, 26, 4, 30, tzinfo=UTC), datetime(2026, 11, 26, 5, 30, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):
            quiz = create_quiz(user=learner, questions=type(question).objects.all(), mode="practice", size=5,
                               title="Q", now=timezone.now())  # fmt: skip
            choice = question.choices.get(is_correct=True)
            learner_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk,
                                                          "choice": choice.pk})  # fmt: skip
    assert sorted(Answer.objects.values_list("local_day", flat=True)) == [date(2026, 11, 25), date(2026, 11, 26)]
    with time_machine.travel(datetime(2026, 11, 26, 15, tzinfo=UTC), tick=False):
        page = learner_client.get(DASHBOARD).content.decode()
    assert "<dt>Current streak</dt><dd>2 days</dd>" in page


def test_fresh_answer_is_visible_at_once(learner_client, learner, history):
    before = get(learner_client).content.decode()
    answer(learner, history[0], day=TODAY, correct=True)
    after = get(learner_client).content.decode()
    assert "<dd>6</dd>" in before and "<dt>Questions answered</dt><dd>7</dd>" in after


@pytest.mark.parametrize("extra", [0, 300])
def test_dashboard_query_count_is_fixed(learner_client, learner, history, django_assert_max_num_queries, extra):
    question = history[0]
    for n in range(extra):
        answer(learner, question, day=TODAY - timedelta(days=n % 200), correct=n % 3 == 0)
    with django_assert_max_num_queries(12):
        assert get(learner_client).status_code == 200


def test_practise_these_makes_a_quiz_of_the_listed_questions(learner_client, learner, history):
    draft = make_question(status="draft")
    ids = [history[2].pk, history[1].pk, draft.pk, "junk"]
    response = learner_client.post(reverse("interviews:quiz-new"), {"preset": "selected", "question": ids})
    quiz = Quiz.objects.get(user=learner, title="Practise my misses")
    assert response["Location"] == quiz.get_absolute_url()
    assert set(quiz.items.values_list("question_id", flat=True)) == {history[2].pk, history[1].pk}


def test_dashboard_needs_login(client):
    assert client.get(DASHBOARD).status_code == 302
    assert client.get(EXPORT).status_code == 302


# Export


def test_json_export_holds_only_my_data(learner_client, learner, other_learner, history):
    Bookmark.objects.create(user=learner, question=history[0])
    Note.objects.create(user=learner, question=history[0], body="My note")
    answer(other_learner, history[0], day=TODAY, correct=True)
    Note.objects.create(user=other_learner, question=history[0], body="Their note")
    response = learner_client.get(EXPORT, {"format": "json"})
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["user"]["username"] == "ada"
    assert len(data["answers"]) == 6 and len(data["quizzes"]) == 6
    assert [n["note"] for n in data["notes"]] == ["My note"]
    assert len(data["bookmarks"]) == 1


@pytest.mark.parametrize("table", ["answers", "quizzes", "bookmarks", "notes"])
def test_csv_export_of_each_table(learner_client, learner, other_learner, history, table):
    answer(other_learner, history[0], day=TODAY, correct=True)
    response = learner_client.get(EXPORT, {"format": "csv", "table": table})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    expected = {"answers": 6, "quizzes": 6, "bookmarks": 0, "notes": 0}[table]
    assert len(rows) == expected + 1


@pytest.mark.parametrize("params", [{"format": "xml"}, {"format": "csv", "table": "passwords"}])
def test_bad_export_request_is_a_clear_400(learner_client, params):
    response = learner_client.get(EXPORT, params)
    assert response.status_code == 400 and "Choose format=json" in response.content.decode()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_csv_export_cannot_carry_a_spreadsheet_formula(learner_client, learner, history, text):
    stored = answer(learner, history[0], day=TODAY, correct=False)
    stored.text = text
    stored.save()
    Note.objects.create(user=learner, question=history[0], body=text)
    for table in ("answers", "notes"):
        content = b"".join(learner_client.get(EXPORT, {"format": "csv", "table": table}).streaming_content).decode()
        cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
        assert f"'{text}" in cells
        assert text not in cells
