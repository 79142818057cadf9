"""Curator statistics: answered counts, share correct and the exam discrimination index."""

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Question, Quiz, QuizQuestion
from interviews.statistics import with_answer_statistics
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def exam_answer(user, question, *, score, correct):
    quiz = Quiz.objects.create(
        user=user,
        title="Exam",
        mode="exam",
        status="finished",
        size=10,
        answered_count=10,
        correct_count=score // 10,
        score_percent=score,
        finished_at=timezone.now(),
    )
    item = QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    Answer.objects.create(
        quiz=quiz,
        item=item,
        question=question,
        user=user,
        question_version=1,
        is_correct=correct,
        local_day=timezone.localdate(),
    )


def test_discrimination_compares_top_and_bottom_quarters(learner):
    question = make_question()
    never = make_question()
    # Scores 0..70: the bottom quarter is {0, 10}, the top quarter {60, 70}.
    outcomes = {0: False, 10: True, 20: False, 30: False, 40: True, 50: True, 60: True, 70: True}
    for score, correct in outcomes.items():
        exam_answer(learner, question, score=score, correct=correct)
    stats = {q.pk: q for q in with_answer_statistics(Question.objects.all())}
    assert stats[question.pk].times_answered == 8
    assert stats[question.pk].share_correct == pytest.approx(5 / 8)
    assert stats[question.pk].discrimination == pytest.approx(1.0 - 0.5)
    assert stats[never.pk].times_answered == 0 and stats[never.pk].share_correct is None


def test_discrimination_needs_enough_exams(learner):
    question = make_question()
    exam_answer(learner, question, score=50, correct=True)
    assert with_answer_statistics(Question.objects.filter(pk=question.pk)).get().discrimination is None


def test_admin_list_shows_statistics_and_filters_never_answered(admin_client, learner):
    answered = make_question(prompt="Answered one?")
    make_question(prompt="Never answered one?")
    exam_answer(learner, answered, score=80, correct=True)
    changelist = reverse("admin:interviews_question_changelist")
    page = admin_client.get(changelist, {"o": "-8"}).content.decode()
    assert "100%" in page
    never = admin_client.get(changelist, {"answered": "never"}).content.decode()
    assert "Never answered one?" in never and "Answered one?" not in never.replace("Never answered one?", "")
