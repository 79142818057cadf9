"""Follow-up chains: their shapes, the bank file, admin, and interview drill-downs that stop at the first miss."""

import random
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from interviews.bank import export_questions
from interviews.chains import (
    chain_around,
    chain_problems,
    chains_from_links,
    create_interview,
    draw,
    drill_downs,
)
from interviews.models import FollowUp, Question, Quiz, ReviewCard
from tests.factories import make_question, make_topic

NEW = reverse("interviews:quiz-new")


# Shapes (pure)


def test_chains_from_links_start_at_their_first_question():
    assert chains_from_links([(2, 3), (1, 2), (7, 8)]) == [[1, 2, 3], [7, 8]]
    assert chains_from_links([(1, 2), (2, 1)]) == []  # a loop has no first question


def test_chain_around_finds_the_whole_chain_from_any_of_its_questions():
    after = {1: 2, 2: 3, 7: 8}
    assert chain_around(3, after) == chain_around(1, after) == [1, 2, 3]
    assert chain_around(5, after) == [5]


@pytest.mark.parametrize(
    ("links", "problem"),
    [
        ([(1, 1)], "cannot be its own follow-up"),
        ([(1, 2), (2, 3), (3, 1)], "go round in a loop"),
        ([(1, 2), (2, 3), (3, 4), (4, 5)], "at most 4 questions; this one would hold 5"),
        ([(1, 9)], "Only open (interview) questions can be chained"),
    ],
)
def test_chain_problems(links, problem):
    kinds = {n: "open" for n in range(1, 9)} | {9: "single"}
    assert any(problem in p for p in chain_problems(links, kinds))


def test_a_good_chain_has_no_problems():
    assert chain_problems([(1, 2), (2, 3), (3, 4)], dict.fromkeys(range(1, 5), "open")) == []


def test_draw_asks_a_chain_whole_in_order_and_the_rest_one_by_one():
    pool = list(range(1, 11))
    chains = [[3, 11, 12], [20, 21]]  # follow-ups may lie outside the pool; [20, 21] does not touch it
    drawn = draw(pool, chains, 50, random.Random(4))
    assert sorted(q for q, *_ in drawn) == sorted([*range(1, 11), 11, 12])
    start = [q for q, *_ in drawn].index(3)
    assert drawn[start : start + 3] == [(3, 1, 3), (11, 2, 3), (12, 3, 3)]
    assert all(step == length == 0 for q, step, length in drawn if q not in (3, 11, 12))


def test_draw_keeps_to_the_size_and_cuts_a_chain_to_what_fits():
    chains = [[1, 2, 3, 4]]
    for seed in range(30):
        drawn = draw([1, 5, 6, 7], chains, 3, random.Random(seed))
        assert len(drawn) <= 3
        steps = [(q, step, length) for q, step, length in drawn if step]
        assert steps in ([], [(1, 1, 2), (2, 2, 2)], [(1, 1, 3), (2, 2, 3), (3, 3, 3)])
    assert draw([1], chains, 1, random.Random(0)) == []  # no room for a drill-down of two


def item(step, length, rating=None, position=1):
    answer = None
    if rating:
        answer = SimpleNamespace(is_final=True, is_correct=rating in ("good", "easy"), self_rating=rating)
    return SimpleNamespace(chain_step=step, chain_length=length, answer=answer, position=position)


def test_drill_downs_say_how_deep_the_learner_got():
    items = [item(0, 0, "good"), item(1, 3, "good"), item(2, 3, "hard"), item(1, 2, "easy"), item(2, 2, "good"),
             item(1, 4, "good"), item(2, 4)]  # fmt: skip
    stopped, cleared, unfinished = drill_downs(items)
    assert (stopped["cleared"], stopped["reached"], stopped["missed"], stopped["complete"]) == (1, 2, items[2], False)
    assert stopped["not_asked"] == 1
    assert (cleared["cleared"], cleared["complete"], cleared["not_asked"]) == (2, True, 0)
    assert (unfinished["reached"], unfinished["cleared"], unfinished["missed"]) == (1, 1, None)


# The bank file


BANK = """
topics:
  - {slug: norms, name: Normalization}
questions:
  - slug: bn-eval
    topic: norms
    kind: open
    prompt: Why does BatchNorm behave differently in eval?
    answer: Running statistics.
    key_points: [running statistics]
  - slug: bn-batch-one
    topic: norms
    kind: open
    prompt: What breaks with batch size 1?
    answer: The variance.
    key_points: [zero variance]
  - slug: bn-instead
    topic: norms
    kind: open
    prompt: What would you use instead?
    answer: LayerNorm or GroupNorm.
    key_points: [GroupNorm or LayerNorm]
  - slug: bn-true
    topic: norms
    kind: true_false
    prompt: BatchNorm keeps running statistics.
    answer: It does.
    choices:
      - {text: "True", correct: true, explanation: It does.}
      - {text: "False", correct: false, explanation: It does.}
chains:
  - [bn-eval, bn-batch-one, bn-instead]
"""


def load(tmp_path, text, *args):
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    out = StringIO()
    call_command("load_question_bank", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def links():
    return sorted(FollowUp.objects.values_list("question__slug", "follow_up__slug"))


@pytest.mark.django_db
def test_chains_load_after_the_questions_and_a_second_run_changes_nothing(tmp_path):
    assert "1 follow-up chains, 2 links changed" in load(tmp_path, BANK)
    assert links() == [("bn-batch-one", "bn-instead"), ("bn-eval", "bn-batch-one")]
    assert "0 created, 0 updated, 4 unchanged (1 topics, 1 follow-up chains, 0 links changed)" in load(tmp_path, BANK)


@pytest.mark.django_db
def test_the_file_is_the_truth_for_the_questions_it_chains(tmp_path):
    load(tmp_path, BANK)
    output = load(tmp_path, BANK.replace("[bn-eval, bn-batch-one, bn-instead]", "[bn-eval, bn-instead]"))
    assert "3 links changed" in output  # two removed, one added
    assert links() == [("bn-eval", "bn-instead")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("chain", "problem"),
    [
        ("[bn-eval, bn-nowhere]", "chain 1 (bn-eval → bn-nowhere): no question 'bn-nowhere' in the bank being loaded"),
        ("[bn-eval, bn-true]", "'bn-true' is not an open question"),
        ("[bn-eval]", "chains[0]: must hold 2 to 4 question slugs, not 1"),
        ("[bn-eval, bn-eval]", "names a question twice"),
        ("bn-eval", "chains[0]: must be a list of 2 to 4 question slugs"),
        ("[bn-eval, bn-batch-one]\n  - [bn-instead, bn-batch-one]", "'bn-batch-one' is already in chain 1"),
    ],
)
def test_bad_chains_are_reported_and_nothing_is_written(tmp_path, chain, problem):
    text = BANK.replace("[bn-eval, bn-batch-one, bn-instead]", chain)
    with pytest.raises(CommandError):
        load(tmp_path, text)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(tmp_path / "bank.yaml"), stdout=StringIO(), stderr=err)
    assert problem in err.getvalue()
    assert not Question.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.django_db
def test_check_mode_counts_the_chains(tmp_path):
    assert "4 questions and 1 follow-up chains are valid; nothing was written." in load(tmp_path, BANK, "--check")


@pytest.mark.django_db
def test_export_includes_whole_chains_and_loads_back_unchanged(tmp_path):
    load(tmp_path, BANK)
    exported = export_questions(Question.objects.all())
    assert "chains:\n- [bn-eval, bn-batch-one, bn-instead]" in exported
    assert "0 created, 0 updated, 4 unchanged (1 topics, 1 follow-up chains, 0 links changed)" in load(
        tmp_path, exported
    )
    assert "chains" not in export_questions(Question.objects.exclude(slug="bn-instead"))  # only whole chains


# Admin


@pytest.fixture
def curator_client(db, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("carol", password="x-Long-enough-pass-7")
    call_command("make_curator", "carol", stdout=StringIO())
    client.force_login(user)
    return client


def opens(n):
    topic = make_topic()
    return [make_question(topic, kind="open", prompt=f"Open question {k}?") for k in range(n)]


def test_a_curator_links_a_question_to_its_follow_up(curator_client):
    first, second = opens(2)
    url = reverse("admin:interviews_followup_add")
    page = curator_client.get(url, {"question": first.pk}).content.decode()
    assert f'<option value="{first.pk}" selected>' in page
    response = curator_client.post(url, {"question": first.pk, "follow_up": second.pk})
    assert response.status_code == 302
    link = FollowUp.objects.get()
    page = curator_client.get(reverse("admin:interviews_followup_change", args=[link.pk])).content.decode()
    assert "The whole chain, as asked" in page and page.index("Open question 0?") < page.rindex("Open question 1?")


def test_admin_refuses_loops_long_chains_and_non_open_questions(curator_client):
    q = opens(5)
    for a, b in [(0, 1), (1, 2), (2, 3)]:
        FollowUp.objects.create(question=q[a], follow_up=q[b])
    url = reverse("admin:interviews_followup_add")
    loop = curator_client.post(url, {"question": q[3].pk, "follow_up": q[0].pk})
    assert "go round in a loop" in loop.content.decode()
    long = curator_client.post(url, {"question": q[3].pk, "follow_up": q[4].pk})
    assert "this one would hold 5" in long.content.decode()
    single = make_question(kind="single")
    wrong_kind = curator_client.post(url, {"question": single.pk, "follow_up": q[4].pk})
    assert "Only open (interview) questions can be chained" in wrong_kind.content.decode()
    taken = curator_client.post(url, {"question": q[4].pk, "follow_up": q[1].pk})
    assert "already exists" in taken.content.decode()
    assert FollowUp.objects.count() == 3


# Interview drill-downs


@pytest.fixture
def chained(db):
    """A drill-down of three, and four single open questions."""
    topic = make_topic("norms", "Normalization")
    first, second, third = (make_question(topic, kind="open", prompt=p) for p in
                            ("Why does BatchNorm behave differently in eval?", "What breaks with batch size 1?",
                             "What would you use instead?"))  # fmt: skip
    FollowUp.objects.create(question=first, follow_up=second)
    FollowUp.objects.create(question=second, follow_up=third)
    singles = [make_question(topic, kind="open") for _ in range(4)]
    return [first, second, third], singles


def interview(user, questions, chains=None, size=10):
    pool = Question.objects.filter(pk__in=[q.pk for q in questions])
    return create_interview(user=user, questions=pool, size=size, title="Interview quiz", now=timezone.now(),
                            chains=chains, rng=random.Random(1))  # fmt: skip


def reveal_and_rate(client, quiz, question, rating, **headers):
    url = quiz.get_absolute_url()
    client.post(url, {"action": "answer", "question": question.pk, "text": ""}, headers=headers)
    return client.post(url, {"action": "rate", "question": question.pk, "rating": rating}, headers=headers)


def current(quiz):
    return quiz.items.filter(answer__isnull=True).select_related("question").first()


def test_the_builder_asks_chains_as_drill_downs(learner_client, learner, chained):
    chain, _ = chained
    response = learner_client.post(NEW, {"mode": "interview", "size": 10, "follow_ups": "on"})
    quiz = Quiz.objects.get(user=learner)
    assert response["Location"] == quiz.get_absolute_url() and quiz.size == 7
    items = list(quiz.items.all())
    start = next(i for i in items if i.question_id == chain[0].pk)
    follow = [(i.question_id, i.chain_step, i.chain_length) for i in items[start.position - 1 : start.position + 2]]
    assert follow == [(chain[0].pk, 1, 3), (chain[1].pk, 2, 3), (chain[2].pk, 3, 3)]


def test_without_the_box_ticked_there_are_no_drill_downs(learner_client, learner, chained):
    learner_client.post(NEW, {"mode": "interview", "size": 10})
    assert not Quiz.objects.get(user=learner).items.filter(chain_step__isnull=False).exists()


def test_the_builder_ticks_drill_downs_by_default(learner_client):
    page = learner_client.get(NEW).content.decode()
    assert 'id="id_follow_ups" checked' in page


def test_a_miss_stops_the_drill_down_and_the_results_say_how_deep(learner_client, learner, chained):
    chain, singles = chained
    quiz = interview(learner, [chain[0], singles[0]], chains=[[q.pk for q in chain]])
    assert quiz.size == 4
    order = list(quiz.items.values_list("question_id", flat=True))
    if order[0] == singles[0].pk:
        reveal_and_rate(learner_client, quiz, singles[0], "good")
    page = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "Drill-down</span> Level 1 of 3: answer well and the interviewer digs deeper." in page
    reveal_and_rate(learner_client, quiz, chain[0], "good")
    page = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "Level 2 of 3: the interviewer follows up on your last answer." in page
    response = reveal_and_rate(learner_client, quiz, chain[1], "hard")
    page = learner_client.get(response["Location"]).content.decode()
    assert "The drill-down stops here" in page
    quiz.refresh_from_db()
    assert quiz.size == 3 and not quiz.items.filter(question=chain[2]).exists()
    assert list(quiz.items.values_list("position", flat=True)) == [1, 2, 3]
    if order[0] != singles[0].pk:
        assert current(quiz).question == singles[0]
        reveal_and_rate(learner_client, quiz, singles[0], "good")
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.score_percent == 67
    results = learner_client.get(reverse("interviews:quiz-results", args=[quiz.pk])).content.decode()
    assert "1 of 3 levels cleared: stopped at level 2" in results
    assert "rated Hard: the drill-down stopped here" in results and "1 deeper follow-up not asked." in results


def test_again_also_stops_it_and_good_all_the_way_clears_it(learner_client, learner, other_learner, chained):
    chain, _ = chained
    ids = [[q.pk for q in chain]]
    stopped = interview(learner, [chain[0]], chains=ids)
    reveal_and_rate(learner_client, stopped, chain[0], "again")
    stopped.refresh_from_db()
    assert stopped.status == "finished" and stopped.size == 1
    cleared = interview(learner, [chain[0]], chains=ids)
    for question in chain:
        reveal_and_rate(learner_client, cleared, question, "easy" if question == chain[1] else "good")
    cleared.refresh_from_db()
    assert (cleared.status, cleared.size, cleared.correct_count) == ("finished", 3, 3)
    results = learner_client.get(reverse("interviews:quiz-results", args=[cleared.pk])).content.decode()
    assert "Cleared all 3 levels" in results


def test_a_follow_up_answered_out_of_order_is_never_dropped(htmx_client, learner, chained):
    chain, _ = chained
    quiz = interview(learner, [chain[0]], chains=[[q.pk for q in chain]])
    reveal_and_rate(htmx_client, quiz, chain[2], "good")  # not through the page: a crafted request
    reveal_and_rate(htmx_client, quiz, chain[0], "again")
    quiz.refresh_from_db()
    assert quiz.size == 3 and quiz.items.count() == 3


def test_another_learners_drill_down_is_404(other_client, learner, chained):
    chain, _ = chained
    quiz = interview(learner, [chain[0]], chains=[[q.pk for q in chain]])
    assert other_client.get(quiz.get_absolute_url()).status_code == 404
    assert reveal_and_rate(other_client, quiz, chain[0], "hard").status_code == 404
    assert quiz.items.count() == 3


def test_practise_the_follow_ups_of_a_leech(learner_client, learner, chained):
    chain, _ = chained
    ReviewCard.objects.create(user=learner, question=chain[1], lapses=6, reps=9, state=2, stability=1.0,
                              difficulty=9.0, due=timezone.now())  # fmt: skip
    page = learner_client.get(reverse("interviews:leech-list")).content.decode()
    assert "Practise its follow-ups" in page
    response = learner_client.post(NEW, {"preset": "follow-ups", "question": chain[1].pk})
    quiz = Quiz.objects.get(user=learner, title="Follow-up drill-down")
    assert response["Location"] == quiz.get_absolute_url()
    assert list(quiz.items.values_list("question_id", "chain_step")) == [(chain[1].pk, 1), (chain[2].pk, 2)]


def test_follow_ups_of_a_question_that_cannot_be_asked(learner_client, chained):
    response = learner_client.post(NEW, {"preset": "follow-ups", "question": make_question(kind="single").pk})
    assert response.status_code == 422 and "cannot be practised as an interview question" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("chains", [1, 12])
def test_drill_down_pages_cost_a_fixed_number_of_queries(
    learner_client, learner, django_assert_max_num_queries, chains
):
    topic = make_topic()
    links = []
    for _ in range(chains):
        a, b, c = (make_question(topic, kind="open") for _ in range(3))
        FollowUp.objects.create(question=a, follow_up=b)
        FollowUp.objects.create(question=b, follow_up=c)
        links.append([a.pk, b.pk, c.pk])
    quiz = interview(learner, Question.objects.all(), size=50)
    with django_assert_max_num_queries(4):  # session, user, the current question, the due count
        assert learner_client.get(quiz.get_absolute_url()).status_code == 200
    for item in quiz.items.select_related("question").order_by("position"):
        if not Quiz.objects.filter(pk=quiz.pk, status="in_progress").exists():
            break
        if not quiz.items.filter(pk=item.pk).exists():
            continue
        reveal_and_rate(learner_client, quiz, item.question, "hard" if item.chain_step == 2 else "good")
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.size == 2 * chains
    with django_assert_max_num_queries(7):  # session, user, quiz, items, topics, time, the due count
        page = learner_client.get(reverse("interviews:quiz-results", args=[quiz.pk])).content.decode()
    assert page.count("1 of 3 levels cleared: stopped at level 2") == chains
