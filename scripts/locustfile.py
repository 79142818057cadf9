"""make loadtest's virtual learners (locust): sign up, build quizzes in every mode, answer as the browser does.

Each learner answers with htmx or as a plain form post, sometimes submits twice at once (a double click)
or from two tabs with different choices, opens the dashboard, the bank and the review. Every answer the
server acknowledged as recorded is appended to LOADTEST_ACKS (JSON lines) for the database check that
scripts/loadtest.py runs afterwards; the run's figures go to LOADTEST_SUMMARY when locust stops.
"""

import json
import os
import random
import re
import secrets

import gevent
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.user.task import LOCUST_STATE_STOPPING

ACKS = os.environ.get("LOADTEST_ACKS", "loadtest-acks.jsonl")
SUMMARY = os.environ.get("LOADTEST_SUMMARY", "loadtest-summary.json")
THINK = float(os.environ.get("LOADTEST_THINK_SECONDS", "1.0"))
NOT_RECORDED = "Your answer was not recorded"

QUIZ_URL = re.compile(r"/quiz/(\d+)/")
QUESTION = re.compile(r'name="question" value="(\d+)"')
SHOWN = re.compile(r'name="shown" value="([^"]+)"')
CHOICE = re.compile(r'type="(radio|checkbox)" name="choice" value="(\d+)"')
STATE = re.compile(r'id="question-card"[^>]*data-state="(\w+)"')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROGRESS = re.compile(r"Question (\d+) of (\d+)")
TOPIC = re.compile(r'name="topics" value="([\w-]+)"')
KINDS = ["single", "multiple", "true_false", "short", "output"]
TEXTS = ["backward", "torch.no_grad()", "(2, 3)", "a tensor", "I am not sure"]

counts = {"status_5xx": 0, "status_4xx": 0, "connection_errors": 0, "requests": 0}
acks = open(ACKS, "a", buffering=1)  # noqa: SIM115 (one file for the whole run, line-buffered)


@events.request.add_listener
def count(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    counts["requests"] += 1
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        counts["status_5xx"] += 1
    elif status >= 400:
        counts["status_4xx"] += 1
    elif exception is not None and not status:
        counts["connection_errors"] += 1


@events.quitting.add_listener
def summarise(environment, **kwargs):
    total = environment.stats.total
    with open(SUMMARY, "w") as out:
        json.dump(
            {
                **counts,
                "locust_requests": total.num_requests,
                "rps": total.total_rps,
                "p50_ms": total.get_response_time_percentile(0.50),
                "p95_ms": total.get_response_time_percentile(0.95),
                "p99_ms": total.get_response_time_percentile(0.99),
                "errors": {f"{e.method} {e.name} {e.error}": e.occurrences for e in environment.stats.errors.values()},
            },
            out,
        )


class Card:
    """The question card on a quiz page, as a browser would read it."""

    def __init__(self, html: str):
        state = STATE.search(html)
        self.state = state.group(1) if state else ""
        question = QUESTION.search(html)
        self.question = int(question.group(1)) if question else None
        shown = SHOWN.search(html)
        self.shown = shown.group(1) if shown else ""
        found = CHOICE.findall(html)
        self.multiple = any(kind == "checkbox" for kind, _ in found)
        self.choices = [int(value) for _, value in found]
        self.typed = 'name="text"' in html
        progress = PROGRESS.search(html)
        self.position, self.size = (int(progress.group(1)), int(progress.group(2))) if progress else (0, 0)


class Learner(HttpUser):
    wait_time = between(THINK * 0.5, THINK * 1.5)

    def on_start(self):
        self.username = f"lt-{secrets.token_hex(6)}"
        page = self.client.get("/accounts/signup/", name="/accounts/signup/")
        password = f"Load-{secrets.token_urlsafe(12)}"
        self.client.post(
            "/accounts/signup/",
            {
                "csrfmiddlewaretoken": self.form_token(page.text),
                "username": self.username,
                "email": f"{self.username}@example.com",
                "password1": password,
                "password2": password,
                "time_zone": random.choice(["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"]),
            },
            name="/accounts/signup/ POST",
        )
        self.topics = TOPIC.findall(self.client.get("/quiz/new/", name="/quiz/new/").text)

    # What a learner does, weighted roughly as people use the site.

    @task(5)
    def practice(self):
        kinds = random.sample(KINDS, random.randint(1, 3))
        self.take(self.build("practice", kinds=kinds))

    @task(2)
    def exam(self):
        self.take_exam(self.build("exam"))

    @task(2)
    def interview(self):
        self.take(self.build("interview"))

    @task(2)
    def review(self):
        response = self.client.post("/review/", {"csrfmiddlewaretoken": self.csrf()}, name="/review/ POST")
        if QUIZ_URL.search(response.url or ""):
            self.take(response)

    @task(3)
    def look_around(self):
        self.client.get("/dashboard/", name="/dashboard/")
        self.client.get("/", name="/")
        topic = random.choice(self.topics) if self.topics else ""
        self.client.get(f"/questions/?topic={topic}", name="/questions/?topic=")
        self.client.get("/review/", name="/review/")

    # Building and taking quizzes.

    def build(self, mode, kinds=()):
        data = {"csrfmiddlewaretoken": self.csrf(), "mode": mode, "size": random.choice([5, 5, 8])}
        if kinds:
            data["kinds"] = list(kinds)
        if self.topics and random.random() < 0.3:
            data["topics"] = random.sample(self.topics, min(3, len(self.topics)))
        if mode == "exam" and random.random() < 0.5:
            data["time_limit_minutes"] = 30
        with self.client.post("/quiz/new/", data, name=f"/quiz/new/ POST {mode}", catch_response=True) as response:
            if response.status_code == 422 and "No published questions match" in response.text:
                response.success()  # a narrow choice of topics and kinds: the builder says so, as it should
        return response

    def take(self, page):
        match = QUIZ_URL.search(page.url or "")
        if not match:
            return
        quiz = int(match.group(1))
        url = f"/quiz/{quiz}/"
        card = Card(page.text)
        for _ in range(60):  # a quiz has at most 50 questions; never loop forever on a surprise
            if self.stopping:
                return
            if card.state == "question":
                card = self.answer(quiz, url, card)
            elif card.state == "rating":
                data = {"action": "rate", "question": card.question, "rating": random.choice(["again", "good", "easy"])}
                card = Card(self.htmx_post(url, data, name="/quiz/[id]/ rate").text)
            elif card.state == "feedback":
                self.wait_a_little()
                card = Card(self.client.get(url, name="/quiz/[id]/").text)
            else:  # finished: the results page
                return
            if card.state == "":
                self.client.get(f"{url}results/", name="/quiz/[id]/results/")
                return

    def answer(self, quiz, url, card) -> Card:
        data = self.submission(card)
        roll = random.random()
        if roll < 0.1:  # two tabs, two different answers, at the same moment
            other = self.submission(card)
            responses = self.at_once(url, [data, other])
            for sent, response in zip([data, other], responses, strict=True):
                self.acknowledge(quiz, card, sent, response)
            return Card(responses[0].text)
        if roll < 0.2:  # a double click: the same answer twice at once
            responses = self.at_once(url, [data, data])
            for response in responses:
                self.acknowledge(quiz, card, data, response)
            return Card(responses[0].text)
        if roll < 0.6:
            response = self.htmx_post(url, data, name="/quiz/[id]/ answer htmx")
        else:
            data = data | {"csrfmiddlewaretoken": self.csrf()}
            response = self.client.post(url, data, name="/quiz/[id]/ answer plain")
        self.acknowledge(quiz, card, data, response)
        return Card(response.text)

    def take_exam(self, page):
        match = QUIZ_URL.search(page.url or "")
        if not match:
            return
        quiz, url = int(match.group(1)), f"/quiz/{match.group(1)}/"
        card = Card(page.text)
        while card.state == "exam" and not self.stopping:
            for _ in range(2 if random.random() < 0.2 else 1):  # sometimes a changed answer
                data = self.submission(card)
                response = self.htmx_post(url, data, name="/quiz/[id]/ answer exam")
                self.acknowledge(quiz, card, data, response, exam=True)
            if card.position >= card.size:
                break
            self.wait_a_little()
            card = Card(self.client.get(f"{url}?q={card.position + 1}", name="/quiz/[id]/?q=").text)
        data = {"csrfmiddlewaretoken": self.csrf(), "action": "submit", "confirm": "1"}
        self.client.post(url, data, name="/quiz/[id]/ submit")

    def submission(self, card) -> dict:
        data = {"action": "answer", "question": card.question, "shown": card.shown}
        if card.choices:
            many = card.multiple and random.random() < 0.7
            data["choice"] = random.sample(card.choices, 2) if many else [random.choice(card.choices)]
        if card.typed:
            data["text"] = random.choice(TEXTS)
        return data

    def acknowledge(self, quiz, card, sent, response, exam=False):
        """Note an answer the server said it recorded: a success page that does not say otherwise."""
        if response.status_code != 200 or NOT_RECORDED in response.text:
            return
        text = sent.get("text", "").strip() if card.typed else ""
        choices = sorted(sent.get("choice", [])) if card.choices else []
        ack = {"quiz": quiz, "question": card.question, "choices": choices, "text": text, "exam": exam}
        acks.write(json.dumps(ack) + "\n")

    @property
    def stopping(self) -> bool:
        """The run is over: finish the request in flight and send no other, so every answer is accounted for."""
        return self._state == LOCUST_STATE_STOPPING

    # Requests as the browser sends them.

    def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/quiz/new/", name="/quiz/new/")
        return self.client.cookies.get("csrftoken", "")

    def form_token(self, html) -> str:
        match = FORM_TOKEN.search(html)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    def htmx_post(self, url, data, *, name, client=None):
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf()}
        return (client or self.client).post(url, data, headers=headers, name=name)

    def at_once(self, url, submissions):
        """The same learner in two tabs: one session, two connections, both posts in flight together."""
        tabs = []
        for _ in submissions:
            tab = HttpSession(self.host, self.environment.events.request, user=self)
            tab.cookies.update(self.client.cookies)
            tabs.append(tab)
        jobs = [
            gevent.spawn(self.htmx_post, url, data, name="/quiz/[id]/ answer two tabs", client=tab)
            for data, tab in zip(submissions, tabs, strict=True)
        ]
        gevent.joinall(jobs)
        for tab in tabs:
            tab.close()
        return [job.value for job in jobs]

    def wait_a_little(self):
        gevent.sleep(random.uniform(0, THINK))
