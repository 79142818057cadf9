"""The two reads of the core loop, written out: the quiz card's current question, and the question
an answer is for (with the learner's review card). Each is one query whose rows become the same
model instances the ORM would give, with the question taken from interviews.question_memo."""

from functools import cache

from interviews.models import Answer, Question, Quiz, QuizQuestion, ReviewCard, Topic
from interviews.question_memo import kept_question
from interviews.rows import Columns, fetch_one


@cache
def _columns():
    return [
        Columns(QuizQuestion, "i"),
        Columns(Quiz, "z"),
        Columns(Question, "q"),
        Columns(Topic, "t"),
        Columns(Answer, "a"),
        Columns(ReviewCard, "c"),
    ]


def _from(with_card: bool) -> str:
    tables = {model: model._meta.db_table for model in (QuizQuestion, Quiz, Question, Topic, Answer, ReviewCard)}
    sql = (
        f"FROM {tables[QuizQuestion]} i "
        f"JOIN {tables[Quiz]} z ON z.id = i.quiz_id "
        f"JOIN {tables[Question]} q ON q.id = i.question_id "
        f"JOIN {tables[Topic]} t ON t.id = q.topic_id "
        f"LEFT JOIN {tables[Answer]} a ON a.item_id = i.id "
    )
    if with_card:
        sql += f"LEFT JOIN {tables[ReviewCard]} c ON c.question_id = i.question_id AND c.user_id = z.user_id "
    return sql


@cache
def _current_sql() -> str:
    columns = ", ".join(c.sql for c in _columns()[:5])
    return (
        f"SELECT {columns} {_from(with_card=False)}"
        "WHERE i.quiz_id = %s AND z.user_id = %s AND z.status = %s AND z.mode <> %s "
        "AND NOT i.skipped AND (a.id IS NULL OR a.is_correct IS NULL) ORDER BY i.position LIMIT 1"
    )


@cache
def _answer_sql() -> str:
    columns = ", ".join(c.sql for c in _columns())
    return f"SELECT {columns} {_from(with_card=True)}WHERE i.quiz_id = %s AND z.user_id = %s AND i.question_id = %s"


def current_item(user, quiz_id: int) -> QuizQuestion | None:
    """The question to ask next in the learner's open practice, review or interview quiz (not
    answered, or an open question revealed but not yet rated), with its quiz and stored answer."""
    row = fetch_one(_current_sql(), [quiz_id, user.pk, Quiz.Status.IN_PROGRESS, Quiz.Mode.EXAM])
    return _item(row, with_card=False) if row else None


def answer_item(user, quiz_id: int, question_id: int) -> QuizQuestion:
    """One question of the learner's quiz with its quiz, grading key, stored answer and the
    learner's review card (`learner_card`, or None). Raises QuizQuestion.DoesNotExist."""
    row = fetch_one(_answer_sql(), [quiz_id, user.pk, question_id])
    if row is None:
        raise QuizQuestion.DoesNotExist
    return _item(row, with_card=True)


def _item(row, *, with_card: bool) -> QuizQuestion:
    item_columns, quiz_columns, question_columns, topic_columns, answer_columns, card_columns = _columns()
    start = 0
    built = []
    for columns in (item_columns, quiz_columns, question_columns, topic_columns, answer_columns):
        built.append(columns.build(row, start))
        start += len(columns)
    item, quiz, question, topic, answer = built
    question.topic = topic
    item.quiz = quiz
    item.question = kept_question(question)
    QuizQuestion.answer.related.set_cached_value(item, answer)
    if answer is not None:
        answer.item, answer.quiz, answer.question = item, quiz, item.question
    if with_card:
        item.learner_card = card_columns.build(row, start)
    return item
