"""/questions/ and /questions/<slug>/: browse, filter, search, reveal, fixed query counts."""

import pytest
from django.urls import reverse

from interviews.models import Bookmark
from tests.factories import bulk_questions, make_question, make_topic

pytestmark = pytest.mark.django_db
LIST = reverse("interviews:question-list")


def detail(question):
    return reverse("interviews:question-detail", args=[question.slug])


def test_list_shows_published_questions_only(client):
    shown = make_question(prompt="What is a tensor?")
    make_question(prompt="A draft nobody sees?", status="draft")
    make_question(prompt="An archived one?", status="archived")
    page = client.get(LIST).content.decode()
    assert shown.prompt in page
    assert "A draft nobody sees?" not in page and "An archived one?" not in page
    assert "1 question" in page


def test_filters_by_topic_difficulty_and_kind(client):
    cnn = make_topic("cnns", "Convolutional networks")
    wanted = make_question(cnn, prompt="What does stride do?", difficulty="hard", kind="short")
    make_question(cnn, prompt="Easy conv question?", difficulty="easy", kind="short")
    make_question(prompt="Autograd question?", difficulty="hard", kind="short")
    page = client.get(LIST, {"topic": "cnns", "difficulty": "hard", "kind": "short"}).content.decode()
    assert wanted.prompt in page
    assert "Easy conv question?" not in page and "Autograd question?" not in page


def test_search_covers_prompt_body_and_answer(client):
    by_prompt = make_question(prompt="What is weight decay?")
    by_body = make_question(prompt="Consider this model?", body="It overfits; what about **dropout**?")
    by_answer = make_question(prompt="How to fight overfitting?", answer="Use dropout or more data.")
    make_question(prompt="Unrelated question?")
    page = client.get(LIST, {"q": "dropout"}).content.decode()
    assert detail(by_body) in page and detail(by_answer) in page
    assert detail(by_prompt) not in page and "Unrelated question?" not in page
    assert detail(by_prompt) in client.get(LIST, {"q": "weight decay"}).content.decode()


def test_bad_filter_values_are_explained_not_a_500(client):
    make_question(prompt="Still listed?")
    response = client.get(LIST, {"topic": "no-such-topic", "difficulty": "impossible", "page": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Topic: Select a valid choice" in page and "Difficulty: Select a valid choice" in page
    assert "Still listed?" in page


def test_huge_search_is_refused_with_a_message(client):
    response = client.get(LIST, {"q": "x" * 500})
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_pagination_keeps_the_filters(client):
    bulk_questions(45)
    page = client.get(LIST, {"kind": "open", "page": 2}).content.decode()
    assert "page 2 of 3" in page
    assert "?kind=open&amp;page=3" in page


def test_htmx_request_gets_only_the_results_partial(htmx_client):
    make_question(prompt="Partial question?")
    response = htmx_client.get(LIST, {"q": "Partial"})
    page = response.content.decode()
    assert 'id="question-results"' in page and "<mark>Partial</mark> question?" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(learner_client):
    response = learner_client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_list_marks_my_bookmarks(learner_client, learner, other_learner):
    mine = make_question(prompt="Mine?")
    theirs = make_question(prompt="Theirs?")
    Bookmark.objects.create(user=learner, question=mine)
    Bookmark.objects.create(user=other_learner, question=theirs)
    page = learner_client.get(LIST).content.decode()
    assert page.count("★ Bookmarked") == 1
    assert page.index("★ Bookmarked") > page.index("Mine?")


@pytest.mark.parametrize("size", [100, 5000])
def test_list_query_count_is_fixed(learner_client, learner, django_assert_max_num_queries, size):
    bulk_questions(size)
    Bookmark.objects.create(user=learner, question=make_question())
    with django_assert_max_num_queries(6):
        response = learner_client.get(LIST, {"q": "tensors", "page": 2})
    assert response.status_code == 200


def test_detail_hides_the_answer_until_revealed(client):
    question = make_question(answer="The **secret** model answer.")
    page = client.get(detail(question)).content.decode()
    assert "<details" in page and "Reveal the answer" in page
    assert page.index("<summary>Reveal the answer</summary>") < page.index("The <strong>secret</strong> model answer.")
    assert "✓ Correct" in page and "Why right." in page


def test_detail_of_open_question_shows_key_points_in_the_reveal(client):
    question = make_question(kind="open", key_points="Mentions leaf tensors\nMentions grad_fn")
    page = client.get(detail(question)).content.decode()
    assert "Mentions leaf tensors" in page and "Key points a good answer covers" in page


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_unpublished_question_is_404_except_for_staff(client, learner_client, admin_client, status):
    question = make_question(status=status)
    assert client.get(detail(question)).status_code == 404
    assert learner_client.get(detail(question)).status_code == 404
    assert admin_client.get(detail(question)).status_code == 200


def test_detail_shows_related_questions_of_the_same_topic(client):
    question = make_question(prompt="Main?")
    make_question(prompt="Sibling?")
    make_question(make_topic("cnns"), prompt="Elsewhere?")
    page = client.get(detail(question)).content.decode()
    assert "Sibling?" in page and "Elsewhere?" not in page


@pytest.mark.parametrize("size", [100, 5000])
def test_detail_query_count_is_fixed(learner_client, django_assert_max_num_queries, size):
    bulk_questions(size)
    question = make_question()
    with django_assert_max_num_queries(7):
        response = learner_client.get(detail(question))
    assert response.status_code == 200


def test_unknown_slug_is_404(client):
    assert client.get("/questions/no-such-question/").status_code == 404


def test_wrong_method_is_405(learner_client):
    assert learner_client.delete(LIST).status_code == 405


def test_choices_on_the_question_page_are_a_list_not_controls(client):
    question = make_question(kind="single")
    page = client.get(detail(question)).content.decode()
    assert '<ol class="choice-preview" type="A">' in page and 'type="radio"' not in page


def test_practise_it_in_a_quiz(learner_client, learner):
    question = make_question(kind="single")
    page = learner_client.get(detail(question)).content.decode()
    assert "Practise it in a quiz</button>" in page
    response = learner_client.post(reverse("interviews:quiz-new"), {"preset": "question", "question": question.slug})
    quiz = learner.quizzes.get()
    assert response["Location"] == quiz.get_absolute_url()
    assert (quiz.mode, quiz.size, quiz.items.get().question_id) == ("practice", 1, question.pk)


def test_practising_an_open_question_is_an_interview(learner_client, learner):
    question = make_question(kind="open")
    learner_client.post(reverse("interviews:quiz-new"), {"preset": "question", "question": question.slug})
    assert learner.quizzes.get().mode == "interview"


def test_practising_an_unknown_question_explains(learner_client, learner):
    response = learner_client.post(reverse("interviews:quiz-new"), {"preset": "question", "question": "nope"})
    assert response.status_code == 422 and "That question cannot be practised any more." in response.content.decode()
    assert not learner.quizzes.exists()


def test_home_lists_topics_in_their_order_with_counts(client):
    from tests.factories import make_question, make_topic

    later = make_topic("aaa-later", "Aaa later", order=2)
    first = make_topic("zzz-first", "Zzz first", order=1)
    make_question(later, kind="output", status="published")
    make_question(first, kind="open")
    make_question(first, kind="single")
    page = client.get("/").content.decode()
    assert page.index("Zzz first") < page.index("Aaa later")
    assert "2 questions · 1 interview · 0 predict-the-output" in page
