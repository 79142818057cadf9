"""generate_demo_data: realistic, consistent and deterministic for a seed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from interviews.models import Answer, Quiz, ReviewCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    call_command("load_question_bank", verbosity=0)


def generate(**options):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **options)
    return out.getvalue()


def fingerprint():
    answers = Answer.objects.order_by("user__username", "answered_at", "question_id")
    fields = ["user__username", "question__slug", "is_correct", "local_day", "time_taken_ms"]
    return list(answers.values_list(*fields))


def test_creates_the_requested_answers_consistently(bank):
    output = generate(users=5, answers=700, seed=7, heavy_user="heavy", heavy_answers=300)
    assert "Done: 700 answers" in output
    assert Answer.objects.count() == 700
    assert Answer.objects.filter(user__username="heavy").count() == 300
    assert Answer.objects.values("user").distinct().count() == 5
    # Every quiz's counters match its answers, and no quiz repeats a question.
    for quiz in Quiz.objects.annotate(n=Count("answers"), right=Count("answers", filter=F("answers__is_correct"))):
        assert quiz.size == quiz.answered_count == quiz.n and quiz.correct_count == quiz.right
    assert Answer.objects.values("quiz", "question").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    assert ReviewCard.objects.count() == Answer.objects.values("user", "question").distinct().count()
    assert Quiz.objects.aggregate(total=Sum("size"))["total"] == 700


def test_same_seed_same_data(bank):
    generate(users=3, answers=200, seed=11)
    first = fingerprint()
    Quiz.objects.all().delete()
    ReviewCard.objects.all().delete()
    generate(users=3, answers=200, seed=11)
    assert fingerprint() == first


def test_refuses_impossible_requests(bank):
    with pytest.raises(CommandError, match="cannot exceed"):
        generate(users=2, answers=10, heavy_user="h", heavy_answers=20)
    with pytest.raises(CommandError, match="at least 1"):
        generate(users=0, answers=10)


def test_later_answers_have_higher_ids(bank):
    generate(users=2, answers=300, seed=5)
    for user_id in Answer.objects.values_list("user", flat=True).distinct():
        times = list(Answer.objects.filter(user=user_id).order_by("id").values_list("answered_at", flat=True))
        assert times == sorted(times)
