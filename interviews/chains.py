"""Follow-up chains: the shapes links make (pure), an interview that asks chains as drill-downs, and
the drill-down stopping at the first miss.

A miss in a drill-down is a self-rating of Again or Hard, as everywhere in interview mode (only Good
and Easy count as right): an interviewer who hears a shaky answer does not dig deeper, so the
follow-ups not yet asked are dropped from the quiz.
"""

import random
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from interviews.models import FollowUp, Question, Quiz, QuizQuestion

Link = tuple[int, int]  # (question, its follow-up)


# Pure


def chains_from_links(links: Iterable[Link]) -> list[list[int]]:
    """Every chain the links make, each from its first question, in the order of their first links.
    Links that only loop (no first question) make no chain."""
    after = dict(links)
    followed = set(after.values())
    chains = []
    for start in after:
        if start in followed:
            continue
        chain, seen = [start], {start}
        while chain[-1] in after and after[chain[-1]] not in seen:
            chain.append(after[chain[-1]])
            seen.add(chain[-1])
        chains.append(chain)
    return chains


def chain_problems(links: Iterable[Link], kinds: dict[int, str]) -> list[str]:
    """What is wrong with a set of links: loops, chains longer than FollowUp.MAX_CHAIN, non-open questions."""
    links = list(links)
    problems = []
    if any(a == b for a, b in links):
        problems.append("A question cannot be its own follow-up.")
    chained = {q for chain in chains_from_links(links) for q in chain}
    if any(a not in chained for a, _ in links):
        problems.append("These follow-ups go round in a loop; a chain must have a first question.")
    for chain in chains_from_links(links):
        if len(chain) > FollowUp.MAX_CHAIN:
            problems.append(f"A chain holds at most {FollowUp.MAX_CHAIN} questions; this one would hold {len(chain)}.")
    if any(kinds.get(q) != Question.Kind.OPEN for link in links for q in link):
        problems.append("Only open (interview) questions can be chained: interview mode asks only those.")
    return problems


def chain_around(question_id: int, after: dict[int, int]) -> list[int]:
    """The chain `question_id` is in, from its first question, given every link (question: follow-up)."""
    before = {b: a for a, b in after.items()}
    start, seen = question_id, {question_id}
    while start in before and before[start] not in seen:
        start = before[start]
        seen.add(start)
    chain, seen = [start], {start}
    while chain[-1] in after and after[chain[-1]] not in seen:
        chain.append(after[chain[-1]])
        seen.add(chain[-1])
    return chain


def chain_from(question_id: int, chains: list[list[int]]) -> list[int]:
    """The part of its chain from `question_id` on: the question and the follow-ups after it."""
    for chain in chains:
        if question_id in chain:
            return chain[chain.index(question_id) :]
    return [question_id]


def draw(pool: list[int], chains: list[list[int]], size: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Up to `size` questions for an interview as (question, chain step, chain length); (q, 0, 0) alone.

    A chain that touches the pool is asked whole and in order, as one drill-down; the other pool
    questions one at a time. Drill-downs and single questions are shuffled together; a chain that no
    longer fits is cut to what fits when that leaves two questions, else skipped.
    """
    pool_set = set(pool)
    units = [chain for chain in chains if pool_set.intersection(chain)]
    chained = {q for chain in units for q in chain}
    units += [[q] for q in pool if q not in chained]
    rng.shuffle(units)
    drawn: list[tuple[int, int, int]] = []
    for unit in units:
        room = size - len(drawn)
        if room <= 0:
            break
        if len(unit) > room:
            if room < 2:
                continue
            unit = unit[:room]
        if len(unit) == 1:
            drawn.append((unit[0], 0, 0))
        else:
            drawn += [(q, step, len(unit)) for step, q in enumerate(unit, 1)]
    return drawn


def drill_downs(items) -> list[dict]:
    """How deep the learner got in each drill-down of a quiz, from its items (with their answers) in order."""
    runs = []
    for item in items:
        if item.chain_step == 1:
            runs.append({"length": item.chain_length, "items": []})
        if item.chain_step and runs:
            runs[-1]["items"].append(item)
    for run in runs:
        answers = [getattr(item, "answer", None) for item in run["items"]]
        rated = [a for a in answers if a is not None and a.is_final]
        run["reached"] = len(rated)
        run["cleared"] = next((n for n, a in enumerate(rated) if not a.is_correct), len(rated))
        run["missed"] = run["items"][run["cleared"]] if run["cleared"] < len(rated) else None
        run["complete"] = run["cleared"] == run["length"]
        run["not_asked"] = run["length"] - len(run["items"])
    return runs


# Workflows


def published_chains() -> list[list[int]]:
    """The chains of published open questions: one query. A chain through an unpublished question breaks there."""
    open_published = {"status": Question.Status.PUBLISHED, "kind": Question.Kind.OPEN}
    links = FollowUp.objects.filter(
        **{f"question__{k}": v for k, v in open_published.items()},
        **{f"follow_up__{k}": v for k, v in open_published.items()},
    ).values_list("question_id", "follow_up_id")
    return chains_from_links(links)


def create_interview(
    *,
    user,
    questions,
    size: int,
    title: str,
    now,
    per_question_seconds: int | None = None,
    chains: list[list[int]] | None = None,
    rng: random.Random | None = None,
) -> Quiz:
    """An interview quiz whose follow-up chains are asked as drill-downs (see `draw`)."""
    from interviews.quizzes import EmptyPool  # quizzes imports this module

    pool = sorted(questions.filter(kind=Question.Kind.OPEN).values_list("id", flat=True).distinct())
    if not pool:
        raise EmptyPool("No published questions match these choices. Try more topics, kinds or difficulties.")
    drawn = draw(pool, published_chains() if chains is None else chains, size, rng or random.SystemRandom())
    with transaction.atomic():
        quiz = Quiz.objects.create(
            user=user,
            title=title,
            mode=Quiz.Mode.INTERVIEW,
            size=len(drawn),
            created_at=now,
            per_question_seconds=per_question_seconds,
        )
        QuizQuestion.objects.bulk_create(
            QuizQuestion(
                quiz=quiz,
                question_id=question_id,
                position=position,
                chain_step=step or None,
                chain_length=length or None,
            )
            for position, (question_id, step, length) in enumerate(drawn, 1)
        )
    return quiz


def stop_drill_down(quiz: Quiz, item: QuizQuestion) -> int:
    """After a miss, drop the follow-ups of its chain not yet asked: later items move up and the quiz
    shrinks. Call inside the answer's transaction with the quiz locked; returns how many were dropped."""
    if not item.chain_step or item.chain_step >= item.chain_length:
        return 0
    last = item.position + item.chain_length - item.chain_step
    rest = QuizQuestion.objects.filter(quiz=quiz, position__gt=item.position, position__lte=last)
    if rest.filter(answer__isnull=False).exists():
        return 0  # answered out of order (not through the page): leave the quiz as it is
    _, deleted = rest.delete()
    dropped = deleted.get("interviews.QuizQuestion", 0)
    if not dropped:
        return 0
    # Positions are unique: move the later items out of the way, then down into the gap.
    later = QuizQuestion.objects.filter(quiz=quiz, position__gt=last)
    later.update(position=F("position") + Quiz.MAX_SIZE * 2)
    QuizQuestion.objects.filter(quiz=quiz, position__gt=Quiz.MAX_SIZE * 2).update(
        position=F("position") - Quiz.MAX_SIZE * 2 - dropped
    )
    Quiz.objects.filter(pk=quiz.pk).update(size=F("size") - dropped)
    quiz.size -= dropped
    return dropped
