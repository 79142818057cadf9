"""The bundled bank as a learner meets it: broad, balanced, and not answerable by position or length."""

from collections import Counter

import pytest

from interviews.bank import read_bank, validate_bank
from interviews.rules import output_snippet
from tests.test_bank_loader import BUNDLED

AUTO_GRADED = {"single", "multiple", "true_false", "short", "output"}


@pytest.fixture(scope="module")
def published():
    bank, errors = read_bank(BUNDLED)
    assert errors == []
    return [q for q in bank.questions if q["status"] == "published"]


def test_the_bank_is_broad(published):
    topics = Counter(q["topic"] for q in published)
    assert len(published) >= 450
    assert len(topics) >= 20
    for topic in topics:
        kinds = Counter(q["kind"] for q in published if q["topic"] == topic)
        assert kinds["open"] >= 4, f"{topic} has {kinds['open']} open questions"
        assert sum(kinds[k] for k in AUTO_GRADED) >= 10, f"{topic} has too few auto-graded items"


def test_hard_items_are_at_least_fifteen_percent(published):
    hard = sum(q["difficulty"] == "hard" for q in published)
    assert hard / len(published) >= 0.15
    assert any(q["difficulty"] == "hard" and q["kind"] == "open" for q in published)


def test_every_seed_question_has_a_published_interview_question(published):
    assert {q["seed"] for q in published if q["kind"] == "open" and q["seed"]} == set(range(1, 51))


def test_at_least_sixty_output_items_each_with_one_snippet(published):
    outputs = [q for q in published if q["kind"] == "output"]
    assert len(outputs) >= 60
    for question in outputs:
        assert output_snippet(question["body"]) is not None, question["slug"]
        assert question["accepted_answers"], question["slug"]


def test_every_choice_is_explained_and_open_questions_have_key_points(published):
    for question in published:
        for choice in question["choices"]:
            assert choice["explanation"], f"{question['slug']}: a choice has no explanation"
        if question["kind"] == "open":
            assert 1 <= len(question["key_points"]) <= 5, question["slug"]
            assert question["answer"], question["slug"]


def test_true_false_keys_are_balanced(published):
    keys = [next(c["text"] for c in q["choices"] if c["correct"]) for q in published if q["kind"] == "true_false"]
    assert 0.4 <= keys.count("True") / len(keys) <= 0.6, Counter(keys)


def test_correct_choices_are_not_given_away_by_their_place_in_the_file(published):
    single = [q for q in published if q["kind"] == "single"]
    positions = Counter(next(i for i, c in enumerate(q["choices"]) if c["correct"]) for q in single)
    assert max(positions.values()) / len(single) <= 0.4, positions
    multiple = [q for q in published if q["kind"] == "multiple"]
    correct_first = sum(
        [c["correct"] for c in q["choices"]] == sorted((c["correct"] for c in q["choices"]), reverse=True)
        for q in multiple
    )
    assert correct_first / len(multiple) <= 0.35


def test_the_correct_choice_is_rarely_the_longest(published):
    single = [q for q in published if q["kind"] == "single" and len(q["choices"]) >= 3]
    longest = 0
    for question in single:
        lengths = sorted((len(c["text"]), c["correct"]) for c in question["choices"])
        longest += lengths[-1][1] and lengths[-1][0] > lengths[-2][0]
    assert longest / len(single) <= 0.4


def test_the_bundled_follow_up_chains_drill_into_published_open_questions():
    bank, errors = read_bank(BUNDLED)
    assert errors == []
    assert validate_bank(bank, set()) == []  # every chain's slugs exist in this bank, are open and unique
    kinds = {q["slug"]: (q["kind"], q["status"]) for q in bank.questions}
    assert len(bank.chains) >= 25
    for chain in bank.chains:
        assert 2 <= len(chain) <= 4
        assert all(kinds[slug] == ("open", "published") for slug in chain), chain
