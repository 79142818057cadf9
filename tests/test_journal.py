"""/journal/: misses land with every final answer, two right in a row resolve them, reasons, filters, drill."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, JournalEntry, Question, Quiz
from interviews.quizzes import create_quiz
from tests.conftest import PASSWORD
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
JOURNAL = reverse("interviews:journal")
NEW = reverse("interviews:quiz-new")


def quiz_of(user, questions, mode="practice"):
    return create_quiz(
        user=user,
        questions=Question.objects.filter(pk__in=[q.pk for q in questions]),
        mode=mode,
        size=len(questions),
        title=f"{mode.title()} quiz",
        now=timezone.now(),
    )


def answer(client, quiz, question, *, right, **headers):
    if question.kind == "short":
        data = {"text": "backward" if right else "forward"}
    else:
        data = {"choice": question.choices.filter(is_correct=right).first().pk}
    return client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, **data}, headers=headers)


def practise(client, user, question, *, right):
    answer(client, quiz_of(user, [question]), question, right=right)


@pytest.fixture
def question(db):
    return make_question(make_topic("core", "Core"), kind="single", prompt="Which one is right?")


# Misses land, right answers resolve


def test_a_wrong_answer_lands_in_the_journal_with_both_answers(learner_client, learner, question):
    practise(learner_client, learner, question, right=False)
    entry = JournalEntry.objects.get(user=learner)
    assert entry.question == question and entry.is_open and entry.answer.is_correct is False
    page = learner_client.get(JOURNAL).content.decode()
    answered = page.split("<dt>You answered</dt>")[1].split("</dd>")[0]
    right = page.split("<dt>Right answer</dt>")[1].split("</dd>")[0]
    assert "Wrong" in answered and "Right" in right
    assert "Which one is right?" in page


def test_a_right_answer_does_not_land(learner_client, learner, question):
    practise(learner_client, learner, question, right=True)
    assert not JournalEntry.objects.exists()


def test_two_right_answers_in_a_row_resolve_every_open_entry_of_the_question(learner_client, learner, question):
    practise(learner_client, learner, question, right=False)
    practise(learner_client, learner, question, right=True)
    practise(learner_client, learner, question, right=False)  # breaks the run, and is a second entry
    assert JournalEntry.objects.open().count() == 2
    assert set(JournalEntry.objects.values_list("right_in_a_row", flat=True)) == {0}
    practise(learner_client, learner, question, right=True)
    assert JournalEntry.objects.open().count() == 2
    practise(learner_client, learner, question, right=True)
    assert JournalEntry.objects.open().count() == 0
    assert JournalEntry.objects.resolved().count() == 2


def test_the_question_of_another_entry_is_not_touched(learner_client, learner, question):
    other = make_question(kind="single")
    practise(learner_client, learner, question, right=False)
    for _ in range(2):
        practise(learner_client, learner, other, right=True)
    assert JournalEntry.objects.get().is_open


def test_an_open_question_rated_again_lands_and_hard_does_not(htmx_client, learner):
    first, second = make_question(kind="open"), make_question(kind="open")
    quiz = quiz_of(learner, [first, second], mode="interview")
    for question, rating in ((first, "again"), (second, "hard")):
        htmx_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "text": "My try"})
        htmx_client.post(quiz.get_absolute_url(), {"action": "rate", "question": question.pk, "rating": rating})
    assert list(JournalEntry.objects.values_list("question", flat=True)) == [first.pk]
    page = htmx_client.get(JOURNAL, headers={"HX-Request": "false"}).content.decode()
    assert "<dt>You rated yourself</dt><dd>Again<blockquote>My try</blockquote>" in page
    assert "Read the model answer" in page


def test_exam_misses_land_when_the_exam_is_submitted(learner_client, learner):
    questions = [make_question(kind="single") for _ in range(5)]
    exam = quiz_of(learner, questions, mode="exam")
    answer(learner_client, exam, questions[0], right=False)
    assert not JournalEntry.objects.exists()
    learner_client.post(exam.get_absolute_url(), {"action": "submit", "confirm": "1"})
    assert list(JournalEntry.objects.values_list("question", flat=True)) == [questions[0].pk]


def test_i_was_right_takes_the_miss_out_of_the_journal(learner_client, learner):
    question = make_question(kind="short")
    quiz = quiz_of(learner, [question])
    answer(learner_client, quiz, question, right=False)
    assert JournalEntry.objects.count() == 1
    learner_client.post(quiz.get_absolute_url(), {"action": "override", "question": question.pk})
    assert not JournalEntry.objects.exists()


# The page


@pytest.fixture
def journal(learner_client, learner):
    core, cnns = make_topic("core", "Core", order=1), make_topic("cnns", "CNNs", order=2)
    questions = [make_question(core, kind="single"), make_question(cnns, kind="short"), make_question(cnns)]
    for question in questions:
        practise(learner_client, learner, question, right=False)
    resolved = questions[2]
    for _ in range(2):
        practise(learner_client, learner, resolved, right=True)
    JournalEntry.objects.filter(question=questions[0]).update(reason="misread")
    return questions


def prompts(page):
    section = page.split('id="journal-entries"')[1]
    return {q.prompt for q in Question.objects.all() if q.prompt in section}


def test_open_entries_by_default_and_filters(learner_client, journal):
    single, short, resolved = journal
    assert prompts(learner_client.get(JOURNAL).content.decode()) == {single.prompt, short.prompt}
    by = {
        "status=resolved": {resolved.prompt},
        "status=all": {single.prompt, short.prompt, resolved.prompt},
        "reason=misread": {single.prompt},
        "reason=none": {short.prompt},
        "topic=cnns": {short.prompt},
        "topic=cnns&status=all": {short.prompt, resolved.prompt},
    }
    for query, expected in by.items():
        assert prompts(learner_client.get(f"{JOURNAL}?{query}").content.decode()) == expected, query


def test_typed_answers_show_what_was_typed_and_accepted(learner_client, journal):
    page = learner_client.get(JOURNAL, {"topic": "cnns"}).content.decode()
    assert '<code class="typed-answer">forward</code>' in page and "<code>backward</code>" in page


def test_bad_filters_are_explained_not_a_500(learner_client, journal):
    response = learner_client.get(JOURNAL, {"status": "lost", "reason": "<b>", "topic": "nowhere"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Select a valid choice.") == 3 and "&lt;b&gt;" in page


def test_summary_counts_and_the_drill_button(learner_client, journal):
    page = learner_client.get(JOURNAL).content.decode()
    assert "<strong>2</strong> open mistakes · 1 resolved" in page
    assert "Drill my open mistakes (2 questions)" in page


def test_htmx_filter_returns_the_entries_partial(htmx_client, journal):
    page = htmx_client.get(JOURNAL, {"status": "all"}).content.decode()
    assert page.strip().startswith('<section id="journal-entries"') and "<html" not in page


def test_journal_of_a_new_learner_says_what_it_is_for(learner_client):
    assert "No mistakes yet. Every wrong answer" in learner_client.get(JOURNAL).content.decode()


# Reasons


def entry_of(question):
    return JournalEntry.objects.get(question=question)


def test_tag_a_reason_with_a_plain_post(learner_client, journal):
    entry = entry_of(journal[1])
    url = f"{JOURNAL}?topic=cnns"
    data = {"entry": entry.pk, "reason": "mixed_up", "note": "Confused it with forward()"}
    response = learner_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    entry.refresh_from_db()
    assert (entry.reason, entry.note) == ("mixed_up", "Confused it with forward()")
    assert "Reason saved." in learner_client.get(url).content.decode()


def test_tag_a_reason_with_htmx_returns_the_entry(htmx_client, journal):
    entry = entry_of(journal[1])
    response = htmx_client.post(JOURNAL, {"entry": entry.pk, "reason": "careless", "note": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith(f'<li id="entry-{entry.pk}"') and "<html" not in page
    assert '<option value="careless" selected>' in page and "Saved." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [({"reason": "lazy"}, "Select a valid choice"), ({"reason": "", "note": "x" * 201}, "at most 200 characters")],
)
def test_bad_reason_is_refused_and_nothing_saved(htmx_client, learner_client, journal, data, message):
    entry = entry_of(journal[1])
    for client in (htmx_client, learner_client):
        response = client.post(JOURNAL, {"entry": entry.pk, **data})
        assert response.status_code == 422 and message in response.content.decode()
    entry.refresh_from_db()
    assert (entry.reason, entry.note) == ("", "")


def test_another_learners_entry_is_404(other_client, journal):
    entry = entry_of(journal[0])
    for value in (entry.pk, "junk", ""):
        assert other_client.post(JOURNAL, {"entry": value, "reason": "careless"}).status_code == 404
    entry.refresh_from_db()
    assert entry.reason == "misread"


def test_my_journal_never_shows_another_learners_misses(other_client, journal):
    page = other_client.get(JOURNAL, {"status": "all"}).content.decode()
    assert not prompts(page) and "No mistakes yet" in page


def test_journal_needs_login_and_refuses_other_methods(client, learner_client):
    assert client.get(JOURNAL).status_code == 302
    assert client.post(JOURNAL, {"entry": 1}).status_code == 302
    assert learner_client.put(JOURNAL).status_code == 405


def test_htmx_post_passes_csrf_with_the_header_from_the_page(learner, journal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(JOURNAL).content.decode()
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    entry = entry_of(journal[1])
    response = client.post(
        JOURNAL, {"entry": entry.pk, "reason": "misread"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert JournalEntry.objects.get(pk=entry.pk).reason == "misread"


# Drill, export, deletion, query counts


def test_drill_my_open_mistakes_makes_a_quiz_of_them(learner_client, learner, journal):
    response = learner_client.post(NEW, {"preset": "mistakes"})
    quiz = Quiz.objects.get(user=learner, title="Drill my open mistakes")
    assert response["Location"] == quiz.get_absolute_url()
    assert set(quiz.items.values_list("question_id", flat=True)) == {journal[0].pk, journal[1].pk}


def test_drill_with_nothing_open_is_explained(learner_client):
    response = learner_client.post(NEW, {"preset": "mistakes"})
    assert response.status_code == 422 and "no open mistakes to drill" in response.content.decode()


def test_the_export_includes_the_journal(learner_client, journal):
    data = learner_client.get(reverse("interviews:dashboard-export"), {"format": "json"}).json()
    assert len(data["journal"]) == 3
    assert {row["reason"] for row in data["journal"]} == {"misread", ""}
    response = learner_client.get(reverse("interviews:dashboard-export"), {"format": "csv", "table": "journal"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["missed_at", "question", "prompt", "your_answer", "reason"] and len(rows) == 4


def test_deleting_the_account_deletes_the_journal(learner_client, learner, journal):
    learner_client.post(reverse("interviews:delete-account"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not JournalEntry.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize("misses", [5, 45])
def test_journal_query_count_is_fixed(learner_client, learner, django_assert_max_num_queries, misses):
    topic = make_topic()
    kinds = ["single", "multiple", "true_false", "short", "open"]
    questions = [make_question(topic, kind=kinds[n % 5]) for n in range(misses)]
    quiz = quiz_of(learner, [q for q in questions if q.kind != "open"])
    for question in questions:
        if question.kind != "open":
            answer(learner_client, quiz, question, right=False)
    for question in (q for q in questions if q.kind == "open"):
        interview = quiz_of(learner, [question], mode="interview")
        learner_client.post(interview.get_absolute_url(), {"action": "answer", "question": question.pk, "text": ""})
        learner_client.post(
            interview.get_absolute_url(), {"action": "rate", "question": question.pk, "rating": "again"}
        )
    assert JournalEntry.objects.count() == misses
    # session, user, topics, count, page, choices, accepted answers, summary, the navigation's due count
    with django_assert_max_num_queries(9):
        assert learner_client.get(JOURNAL, {"status": "all"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert learner_client.get(JOURNAL, {"page": 2}).status_code == 200


def test_reasons_are_rate_limited_per_learner(learner_client, journal, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "note": "2/m"}
    entry = entry_of(journal[1])
    for reason in ("misread", "careless"):
        assert learner_client.post(JOURNAL, {"entry": entry.pk, "reason": reason}).status_code == 302
    response = learner_client.post(JOURNAL, {"entry": entry.pk, "reason": "didnt_know"})
    assert response.status_code == 429 and "Too many changes" in response.content.decode()
    entry.refresh_from_db()
    assert entry.reason == "careless"
