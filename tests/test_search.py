"""Searching the bank: stems and prefixes, prompt first, marked snippets, the index kept in step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews import search
from interviews.models import Question
from tests.factories import bulk_questions, make_question, make_topic

pytestmark = pytest.mark.django_db
LIST = reverse("interviews:question-list")


def slugs(text):
    return [q.slug for q in Question.objects.published().search(text)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("normalization", ["normal"]),
        ("Normalisation", ["normal"]),
        ("normalized", ["normal"]),
        ("normaliz", ["normal"]),
        ("batch  normalization", ["batch", "normal"]),
        ("losses", ["loss"]),
        ("loss", ["loss"]),
        ("nan", ["nan"]),
        ("torch.cuda.is_available()", ["torch", "cuda", "is", "availabl"]),
        ("'; DROP TABLE x; --", ["drop", "tabl", "x"]),
        ('* ( ) " :', []),
    ],
)
def test_terms_are_safe_prefixes_of_stems(typed, expected):
    assert search.terms(typed) == expected


def test_terms_are_capped():
    assert len(search.terms(" ".join(f"word{n}" for n in range(50)))) == search.MAX_TERMS


def test_stems_and_prefixes_find_both_spellings():
    topic = make_topic()
    z = make_question(topic, slug="z", prompt="What does batch normalization do?")
    s = make_question(topic, slug="s", prompt="Why use layer normalisation?")
    v = make_question(topic, slug="v", prompt="Which layers normalize activations?")
    make_question(topic, slug="other", prompt="What is dropout?")
    for typed in ("normalization", "normalisation", "normalize", "normalized", "normaliz", "NORMALIZATION"):
        assert set(slugs(typed)) == {z.slug, s.slug, v.slug}, typed
    assert slugs("batch normalization") == [z.slug]


def test_prompt_matches_rank_before_body_and_answer_matches():
    topic = make_topic()
    in_answer = make_question(topic, slug="in-answer", prompt="Why do kernels stall?", answer="CUDA runs async.")
    in_body = make_question(topic, slug="in-body", prompt="What does this print?", body="Runs on `cuda` today.")
    in_prompt = make_question(topic, slug="in-prompt", prompt="What does torch.cuda.synchronize() do?")
    assert slugs("cuda") == [in_prompt.slug, in_body.slug, in_answer.slug]


def test_every_word_must_match():
    topic = make_topic()
    both = make_question(topic, prompt="Why is my loss nan?")
    make_question(topic, prompt="Which loss for regression?")
    assert slugs("nan loss") == [both.slug]


def test_the_index_follows_saves_updates_and_deletes():
    question = make_question(prompt="What is a tensor?")
    assert slugs("tensor") == [question.slug]
    question.prompt = "What is a gradient?"
    question.save()
    assert slugs("tensor") == [] and slugs("gradient") == [question.slug]
    Question.objects.filter(pk=question.pk).update(body="Think of momentum.")
    assert slugs("momentum") == [question.slug]
    question.delete()
    assert slugs("gradient") == []


def test_bulk_created_questions_are_searchable():
    bulk_questions(3)
    assert len(slugs("tensors")) == 3


def test_snippet_marks_the_match_and_escapes_everything_else():
    make_question(
        prompt="What happens here?",
        body="A <script>alert(1)</script> tag, then `x.cuda()` moves **x** to the GPU & more.",
    )
    question = Question.objects.published().search("cuda").get()
    html = question.search_snippet
    assert "<script>" not in html and "</script>" not in html and "&lt;/script&gt;" in html
    assert "<code>x.<mark>cuda</mark>()</code>" in html
    assert "&amp; more" in html and "**" not in html
    assert question.search_prompt_html == question.prompt_html  # the prompt did not match


def test_prompt_match_is_marked_in_the_result_list(client):
    make_question(prompt="How does `torch.cuda` pick a device?")
    page = client.get(LIST, {"q": "cuda"}).content.decode()
    assert "<code>torch.<mark>cuda</mark></code>" in page
    assert "1 question for “cuda”" in page


def test_empty_result_repeats_the_query_and_offers_to_widen(client):
    make_topic("cnns", "Convolutional networks")
    make_question(prompt="What is a tensor?")
    page = client.get(LIST, {"q": "<b>quantum</b>", "topic": "cnns"}).content.decode()
    assert "No questions match “&lt;b&gt;quantum&lt;/b&gt;” with these filters" in page
    assert "search every topic, difficulty and kind" in page
    assert 'href="/questions/">Clear filters</a>' in page


def test_no_clear_filters_link_without_filters(client):
    make_question()
    assert "Clear filters" not in client.get(LIST).content.decode()


def test_search_with_other_filters(client):
    cnn = make_topic("cnns", "Convolutional networks")
    wanted = make_question(cnn, prompt="What does stride do in a conv?")
    make_question(prompt="What does stride do elsewhere?")
    page = client.get(LIST, {"q": "stride", "topic": "cnns"}).content.decode()
    assert wanted.get_absolute_url() in page and "elsewhere" not in page


def search_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "bulk tensors", "page": 2})
    assert response.status_code == 200 and "<mark>" in response.content.decode()
    return len(queries)


def test_search_query_count_is_fixed_whatever_the_bank_size(learner_client):
    bulk_questions(60)
    # The first page also counts the navigation's due reviews (kept for the next pages).
    assert search_queries(learner_client) <= 6
    small = search_queries(learner_client)
    bulk_questions(3000)
    # Session and user, topics, the result count and the page (the session comes from the cache
    # with Redis): the same at any size.
    assert search_queries(learner_client) == small <= 5


def test_a_result_matched_outside_its_prompt_still_renders_the_prompts_code(client):
    make_question(prompt="What does `x.view(-1)` return?", answer="A flattened **normalisation** of the view.")
    page = client.get(reverse("interviews:question-list"), {"q": "normalisation"}).content.decode()
    assert "<code>x.view(-1)</code>" in page and "&lt;code&gt;" not in page
