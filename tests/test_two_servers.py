"""Two app servers over one database and one cache, with one learner's requests alternating between them.

In CI this runs on PostgreSQL + Redis (DATABASE_URL and REDIS_URL set), the layout of the README's
production section; on SQLite it shows the same for two processes on one machine.
"""

import json
import re
import threading

import pytest

from scripts.prodserver import Server, collect_static, fresh_database_env, manage, shell
from tests.webclient import WebClient, card_question

pytestmark = pytest.mark.server
NOT_RECORDED = "Your answer was not recorded"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    env = fresh_database_env(tmp_path_factory.mktemp("two"), "two_servers")
    manage(env, "migrate", "--no-input")
    manage(env, "load_question_bank")
    collect_static(env)
    # Same settings and secret key, separate processes and ports: as two machines behind a proxy.
    with Server(env, workers=1) as first, Server(env, workers=1) as second:
        yield env, first, second


def answer(client, quiz, question, choice, **kwargs):
    return client.post(f"/quiz/{quiz}/", {"action": "answer", "question": question, "choice": choice}, **kwargs)


def test_one_learner_alternating_between_two_servers(two_servers):
    env, first, second = two_servers
    on_first = WebClient(first.url)
    on_second = on_first.tab(second.url)  # the same browser; the proxy sends each request anywhere

    on_first.get("/accounts/signup/")  # the CSRF cookie comes from the first server ...
    password = "Correct-Horse-Battery-42"
    data = {"username": "alternating", "email": "alt@example.com", "password1": password, "password2": password}
    signed_up = on_second.post("/accounts/signup/", data)  # ... and the second accepts it
    assert signed_up.status == 200 and "Log out" in signed_up.text
    assert "Log out" in on_first.get("/").text  # the session is known to both

    quiz, page = on_first.new_quiz(kinds="single", size=6)
    seen = []
    for turn in range(6):
        client = (on_first, on_second)[turn % 2]
        page = client.get(f"/quiz/{quiz}/")
        assert page.status == 200 and f"Question {turn + 1} of 6" in page.text  # the other server's answer counts
        question, choices = card_question(page.text)
        assert question not in seen
        seen.append(question)
        if turn == 2:
            # Two tabs, one on each server, answer the same question at once with different choices.
            pages = race((on_first.tab(), on_second.tab()), quiz, question, choices[:2])
            assert [p.status for p in pages] == [200, 200]
            assert sum(NOT_RECORDED in p.text for p in pages) == 1
        else:
            feedback = answer(client, quiz, question, choices[0], htmx=turn % 4 == 1)
            assert feedback.status == 200 and NOT_RECORDED not in feedback.text

    results = on_second.get(f"/quiz/{quiz}/results/")
    assert results.status == 200 and "out of 6" in results.text
    stored = json.loads(shell(env, STORED.replace("QUIZ", str(quiz))))
    assert stored == {"answers": 6, "distinct": 6, "answered_count": 6, "status": "finished"}

    # Review state written through one server is what the other shows.
    review = on_first.post("/review/", {})
    assert re.search(r"/quiz/\d+/", review.url), review.url
    assert "Continue your review (0 of " in on_second.get("/review/").text
    question, choices = card_question(review.text)
    assert answer(on_second, int(re.search(r"/quiz/(\d+)/", review.url).group(1)), question, choices[0]).status == 200
    assert "Continue your review (1 of " in on_first.get("/review/").text


def race(tabs, quiz, question, choices):
    barrier, pages = threading.Barrier(len(tabs)), {}

    def submit(tab, choice):
        barrier.wait(timeout=10)
        pages[choice] = answer(tab, quiz, question, choice, htmx=True)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(tabs, choices, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return list(pages.values())


STORED = """
import json
from interviews.models import Answer, Quiz
quiz = Quiz.objects.get(pk=QUIZ)
answers = Answer.objects.filter(quiz=quiz)
print(json.dumps({"answers": answers.count(), "distinct": answers.values("question").distinct().count(),
                  "answered_count": quiz.answered_count, "status": quiz.status}))
"""
