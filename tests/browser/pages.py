"""The pages a learner reaches, set up with data, for the layout and accessibility checks."""

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from interviews.models import Question
from interviews.quizzes import Submission, create_quiz, locked_item, pool_for_mode, record_answer
from interviews.review import Prefs

# Long inline code in their prompts: the pages that used to scroll sideways on a phone.
LONG_PROMPTS = ["variable-returns-tensor", "backward-grad-value", "softmax-of-equal-logits"]


def load_bank():
    call_command("load_question_bank", verbosity=0)


def answer(quiz, item, *, right=True):
    """Answer as the answer view does: in one transaction, with the quiz locked (PostgreSQL needs both)."""
    with transaction.atomic():
        item = locked_item(quiz.user, quiz.pk, item.question_id)
        question = item.question
        choices = [c.pk for c in question.choices.all() if c.is_correct == right][:1]
        text = question.accepted_answers.first().text if right and question.kind in {"short", "output"} else "no idea"
        submission = Submission(choice_ids=choices, text=text, time_taken_ms=4000)
        return record_answer(quiz=item.quiz, item=item, submission=submission, now=timezone.now(), prefs=Prefs())


def quiz_of(user, slugs=(), *, mode="practice", size=5, kinds=None, title="Layout quiz"):
    """A quiz starting with the questions named by `slugs`, filled up from the bank."""
    published = Question.objects.published()
    chosen = list(published.filter(slug__in=slugs).values_list("pk", flat=True))
    more = pool_for_mode(published.exclude(pk__in=chosen), mode, kinds).values_list("pk", flat=True)
    ids = chosen + list(more[: size - len(chosen)])
    quiz = create_quiz(
        user=user, questions=published.filter(pk__in=ids), mode=mode, size=size, title=title, now=timezone.now()
    )
    return quiz


def finished_quiz(user, slugs=LONG_PROMPTS, size=5):
    """A finished practice quiz, one answer wrong, the rest right: the results page has everything."""
    quiz = quiz_of(user, slugs, size=size, kinds=["single", "multiple", "true_false", "short"])
    for n, item in enumerate(quiz.items.all()):
        answer(quiz, item, right=n != 0)
    quiz.refresh_from_db()
    return quiz
