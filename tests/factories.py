"""Small builders for test data; each returns saved objects."""

import itertools

from interviews.models import AcceptedAnswer, Choice, Question, Topic

_counter = itertools.count(1)


def make_topic(slug="autograd", name=None, order=0) -> Topic:
    topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name or slug.title(), "order": order})
    return topic


def make_question(topic=None, *, kind="single", status="published", slug=None, prompt=None, **fields) -> Question:
    n = next(_counter)
    question = Question.objects.create(
        topic=topic or make_topic(),
        slug=slug or f"question-{n}",
        prompt=prompt or f"Question number {n}?",
        kind=kind,
        status=status,
        answer=fields.pop("answer", "Because of **reasons**."),
        key_points=fields.pop("key_points", "First point\nSecond point" if kind == "open" else ""),
        **fields,
    )
    if kind == "single":
        add_choices(question, [("Right", True), ("Wrong", False), ("Also wrong", False)])
    elif kind == "multiple":
        add_choices(question, [("Right one", True), ("Right two", True), ("Wrong", False)])
    elif kind == "true_false":
        add_choices(question, [("True", True), ("False", False)])
    elif kind == "short":
        AcceptedAnswer.objects.create(question=question, text="backward")
    question.record_content_change()
    return question


def add_choices(question, specs):
    for order, (text, correct) in enumerate(specs, 1):
        Choice.objects.create(
            question=question, text=text, is_correct=correct, order=order, explanation=f"Why {text.lower()}."
        )


def bulk_questions(count: int, topic=None):
    """Many published questions fast, for query-count tests at two sizes."""
    topic = topic or make_topic()
    start = Question.objects.count()
    Question.objects.bulk_create(
        Question(
            topic=topic,
            slug=f"bulk-{start + i}",
            prompt=f"Bulk question {start + i} about tensors?",
            kind="open",
            status="published",
            answer="An answer.",
            key_points="A point",
        )
        for i in range(count)
    )
