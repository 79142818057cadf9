"""Per-question statistics for curators, computed by the database in aggregate queries."""

from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.functions import Cast, NullIf

from interviews.models import Answer, Quiz


def exam_score_quartiles() -> tuple[int, int] | None:
    """Score thresholds of the bottom and top quarter of finished exams (two small queries)."""
    exams = Quiz.objects.filter(mode=Quiz.Mode.EXAM, status=Quiz.Status.FINISHED, score_percent__isnull=False)
    count = exams.count()
    if count < 4:
        return None
    scores = exams.order_by("score_percent").values_list("score_percent", flat=True)
    return scores[count // 4 - 1], scores[count - count // 4]


def with_answer_statistics(questions):
    """Annotate times answered, share correct, learners' "I was right" overrides and the exam
    discrimination index."""
    final = Q(answers__is_correct__isnull=False)
    questions = questions.annotate(
        times_answered=Count("answers", filter=final),
        times_correct=Count("answers", filter=Q(answers__is_correct=True)),
        times_overridden=Count("answers", filter=Q(answers__overridden=True)),
    ).annotate(share_correct=Cast(F("times_correct"), FloatField()) / NullIf(F("times_answered"), 0))
    quartiles = exam_score_quartiles()
    if quartiles is None:
        return questions.annotate(discrimination=Value(None, output_field=FloatField()))
    bottom, top = quartiles
    exam = final & Q(answers__quiz__mode=Quiz.Mode.EXAM, answers__quiz__status=Quiz.Status.FINISHED)
    in_top = exam & Q(answers__quiz__score_percent__gte=top)
    in_bottom = exam & Q(answers__quiz__score_percent__lte=bottom)
    return questions.annotate(
        top_answered=Count("answers", filter=in_top),
        top_correct=Count("answers", filter=in_top & Q(answers__is_correct=True)),
        bottom_answered=Count("answers", filter=in_bottom),
        bottom_correct=Count("answers", filter=in_bottom & Q(answers__is_correct=True)),
    ).annotate(
        discrimination=Cast(F("top_correct"), FloatField()) / NullIf(F("top_answered"), 0)
        - Cast(F("bottom_correct"), FloatField()) / NullIf(F("bottom_answered"), 0)
    )


def overridden_texts(question, limit: int = 50) -> list[dict]:
    """What learners typed and then claimed was right, most claimed first: candidates for the
    accepted answers."""
    return list(
        Answer.objects.filter(question=question, overridden=True)
        .values("text")
        .annotate(learners=Count("user", distinct=True), times=Count("id"))
        .order_by("-times", "text")[:limit]
    )
