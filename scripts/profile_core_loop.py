"""make profile: in-process cost of the core loop, repeatable after every change.

Builds a fresh SQLite database (the bank, demo learners, and a heavy learner with 20,000 answers),
then times, through Django's test client with production settings (DEBUG off) and no HTTP server:
the quiz page mid-quiz, the practice answer POST (grading, FSRS, writes), the exam answer POST and
the dashboard for the heavy learner. Prints one line per endpoint:

    PROFILE <endpoint> median_ms <m> p90_ms <p> queries <q> n <count>

PROFILE_TOP=quiz_page (or another endpoint) also prints the 25 most expensive functions of that
endpoint from cProfile (PROFILE_SORT=tottime and PROFILE_LINES=60 change the listing), and
PROFILE_DUMP=<file> saves those stats for pstats; PROFILE_SQL=<endpoint> prints the SQL of one of its
requests. PROFILE_ANSWERS sets the size of the demo database (default 100,000).
"""

import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="prep-profile-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "SQLITE_PATH": str(WORK / "profile.sqlite3"),
        "DJANGO_LOG_LEVEL": "ERROR",
        # One measured learner sends far more answers than a person could: lift the per-account limits.
        "DJANGO_RATE_ANSWER": "1000000/m",
        "DJANGO_RATE_QUIZ_CREATE": "1000000/m",
        "DJANGO_BENCH_ENDPOINTS": "1",
    }
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

# The request log's lines are built as in production, then dropped rather than printed.
logging.getLogger("prep.requests").handlers = [logging.NullHandler()]

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from interviews.models import Question  # noqa: E402
from interviews.quizzes import create_quiz, pool_for_mode  # noqa: E402

REPEATS = int(os.environ.get("PROFILE_REPEATS", "300"))
ANSWERS = int(os.environ.get("PROFILE_ANSWERS", "100000"))


def prepare():
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command(
        "generate_demo_data",
        users=100,
        answers=ANSWERS,
        seed=42,
        heavy_user="heavy",
        heavy_answers=min(20_000, ANSWERS // 2),
        verbosity=0,
    )
    learner = get_user_model().objects.create_user("profiler", "profiler@example.com", "profile-password-123")
    now = timezone.now()
    published = Question.objects.published()
    practice = [
        create_quiz(
            user=learner,
            questions=pool_for_mode(published, "practice", ["single", "multiple", "true_false", "short", "output"]),
            mode="practice",
            size=50,
            title="Profile practice",
            now=now,
        )
        for _ in range(REPEATS // 50 + 2)
    ]
    exam = create_quiz(
        user=learner,
        questions=pool_for_mode(published, "exam", ["single"]),
        mode="exam",
        size=50,
        title="Profile exam",
        now=now,
    )
    return learner, practice, exam


def measure(name, requests):
    """Run `requests` (callables returning a response) and print the median, p90 and query count."""
    for request in requests[:5]:  # warm up code paths and caches
        request()
    timings, queries = [], []
    profiler = cProfile.Profile() if os.environ.get("PROFILE_TOP") == name else None
    for request in requests[5:]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            response = request()
            if profiler:
                profiler.disable()
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (name, response.status_code)
        queries.append(len(captured))
        if os.environ.get("PROFILE_SQL") == name and len(timings) == 1:
            print("\n".join(f"  SQL {query['sql']}" for query in captured.captured_queries))
    timings.sort()
    p90 = timings[int(len(timings) * 0.9)]
    print(
        f"PROFILE {name} median_ms {statistics.median(timings):.2f} p90_ms {p90:.2f} "
        f"queries {statistics.median(queries):.0f} n {len(timings)}",
        flush=True,
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("PROFILE_LINES", "25")))
        print(out.getvalue())
        if os.environ.get("PROFILE_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_DUMP"])


def main():
    started = time.perf_counter()
    learner, practice, exam = prepare()
    print(f"Prepared {ANSWERS:,} demo answers and the bank in {time.perf_counter() - started:.0f}s ({WORK})")
    browser = {"Accept-Encoding": "gzip, deflate, br"}  # pages are compressed, as browsers get them
    client = Client(headers=browser)
    client.force_login(learner)
    heavy = Client(headers=browser)
    heavy.force_login(get_user_model().objects.get(username="heavy"))
    hello_client = Client(headers=browser)

    measure("hello", [lambda: hello_client.get("/bench/hello")] * REPEATS)
    # The floor of every signed-in page: the same view, with the session and the user read.
    measure("hello_signed_in", [lambda: client.get("/bench/hello")] * REPEATS)
    measure("quiz_page", [lambda quiz=practice[0]: client.get(quiz.get_absolute_url())] * REPEATS)

    practice_posts = []
    for quiz in practice:
        for item in quiz.items.select_related("question").prefetch_related("question__choices"):
            practice_posts.append(_answer_post(client, quiz, item))
    measure("answer_practice", practice_posts[:REPEATS])

    exam_items = list(exam.items.select_related("question").prefetch_related("question__choices"))
    exam_posts = [_answer_post(client, exam, exam_items[n % len(exam_items)], pick=n // 50) for n in range(REPEATS)]
    measure("answer_exam", exam_posts)
    measure("dashboard_heavy", [lambda: heavy.get("/dashboard/")] * max(30, REPEATS // 10))


def _answer_post(client, quiz, item, pick=0):
    question = item.question
    url = quiz.get_absolute_url()
    data = {"action": "answer", "question": question.pk}
    if question.kind in ("short", "output"):
        data["text"] = "a typed answer"
    else:
        choices = [c.pk for c in question.choices.all()]
        data["choice"] = choices[pick % len(choices)]
    body = urlencode(data)
    return lambda: client.post(
        url, body, content_type="application/x-www-form-urlencoded", headers={"HX-Request": "true"}
    )


if __name__ == "__main__":
    main()
