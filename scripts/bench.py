"""make bench: throughput and latency of the app's busiest pages against a bare Django view.

Starts the app with the production command (scripts/serve: granian, 2 workers, DEBUG off) on a fresh
SQLite database filled with the bank, demo learners (1,000,000 answers, 20,000 of them by the
measured learner) and prepared quizzes; drives each endpoint with wrk for a fixed time; prints
requests/s, p50 and p99, one `RATIO <endpoint> <value>` line per endpoint (its throughput over the
hello view's, same server, same run), the server's CPU use during each answer run, each worker's
resident memory, and then the in-process medians of scripts/profile_core_loop.py.

Every practice answer POST stores a new answer (a first answer to a question never answered
before, with its FSRS update); every exam answer POST changes a stored one. BENCH_ANSWERS=100000
makes a quicker run; BENCH_PROFILE=0 skips the in-process part.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORK = Path(tempfile.mkdtemp(prefix="prep-bench-"))
QUIZZES = 40
DEMO_ANSWERS = int(os.environ.get("BENCH_ANSWERS", "1000000"))
PRACTICE_QUIZZES = int(os.environ.get("BENCH_PRACTICE_QUIZZES", "400"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_BENCH_ENDPOINTS": "1",
    "SQLITE_PATH": str(WORK / "bench.sqlite3"),
    "DJANGO_LOG_LEVEL": "ERROR",
    # One measured learner sends far more answers than a person could: lift the per-account limits.
    "DJANGO_RATE_ANSWER": "100000000/m",
    "DJANGO_RATE_QUIZ_CREATE": "100000000/m",
    "GRANIAN_PORT": str(PORT),
    "PROMETHEUS_MULTIPROC_DIR": str(WORK / "metrics"),
}


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def prepare() -> dict:
    """Fill the database and return what the load scripts need: a session, a CSRF secret, URLs."""
    manage("migrate", "--no-input")
    manage("load_question_bank")
    manage("collectstatic", "--no-input", "--clear")
    started = time.perf_counter()
    manage(
        "generate_demo_data",
        "--users",
        "1000",
        "--answers",
        str(DEMO_ANSWERS),
        "--seed",
        "42",
        "--heavy-user",
        "heavy",
        "--heavy-answers",
        str(min(20_000, DEMO_ANSWERS // 2)),
        "--light-user",
        "light",
        "--light-answers",
        "100",
    )
    print(f"generate_demo_data: {DEMO_ANSWERS:,} answers in {time.perf_counter() - started:.0f}s", flush=True)
    code = f"""
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from interviews.models import Question
from interviews.quizzes import CHOICE_KINDS, create_quiz, load_grading_key, pool_for_mode
User = get_user_model()
learner = User.objects.create_user("bench", "bench@example.com", "bench-password-123")
for n in range(20):
    User.objects.create_user(f"other{{n}}", f"other{{n}}@example.com", "bench-password-123")
now = timezone.now()
published = Question.objects.published()
exams = [create_quiz(user=learner, questions=pool_for_mode(published, "exam", ["single"]), mode="exam", size=20,
                     title="Bench exam", now=now) for _ in range({QUIZZES})]
practice = [create_quiz(user=learner, questions=pool_for_mode(published, "practice"), mode="practice", size=50,
                        title="Bench practice", now=now) for _ in range({PRACTICE_QUIZZES})]
def posts(quizzes, both=False):
    rows = []
    for quiz in quizzes:
        items = list(quiz.items.select_related("question"))
        load_grading_key([item.question for item in items])
        for item in items:
            question = item.question
            if question.kind in CHOICE_KINDS:
                ids = [c.pk for c in question.choices.all()]
                rows.append([quiz.pk, question.pk, ids[0], ids[1] if both else ids[-1]])
            else:
                rows.append([quiz.pk, question.pk, 0, 0])
    return rows
def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
print(json.dumps({{"session": session(learner), "exam_answers": posts(exams, both=True),
                  "practice_answers": posts(practice),
                  "heavy": session(User.objects.get(username="heavy")),
                  "light": session(User.objects.get(username="light")),
                  "pages": [q.get_absolute_url() for q in practice[-{QUIZZES}:]]}}))
"""
    return json.loads(shell(code).strip().splitlines()[-1])


def shell(code: str) -> str:
    """What `manage.py shell -c code` prints, against the bench's database."""
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# wrk runs the script once per thread: each thread takes its own share of the answers.
THREAD_IDS = """
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end
"""


def answer_script(common: str, csrf: str, rows: list, *, threads: int, alternate: bool) -> str:
    answers = ", ".join("{" + ", ".join(str(number) for number in row) + "}" for row in rows)
    choice = "a[3 + (math.floor(n / share) % 2)]" if alternate else "a[3]"
    return (
        common
        + THREAD_IDS
        + f"""
local answers = {{{answers}}}
local share = math.floor(#answers / {threads})
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-CSRFToken"] = "{csrf}"
wrk.headers["HX-Request"] = "true"
request = function()
  local a = answers[thread_id * share + (n % share) + 1]
  n = n + 1
  local body = "action=answer&question=" .. a[2]
  local choice = {choice}
  if choice == 0 then
    body = body .. "&text=a+typed+answer"
  else
    body = body .. "&choice=" .. choice
  end
  return wrk.format("POST", "/quiz/" .. a[1] .. "/", nil, body)
end
"""
    )


def lua_scripts(data: dict) -> dict[str, Path]:
    csrf = secrets.token_hex(16)  # a 32-character unmasked secret, valid as cookie and header
    cookie = f"sessionid={data['session']}; csrftoken={csrf}"
    pages = ", ".join(f'"{p}"' for p in data["pages"])
    # Every request says what a browser says: it takes gzip (so pages are compressed, as browsers get them).
    accept = 'wrk.headers["Accept-Encoding"] = "gzip, deflate, br"\n'
    common = accept + f'wrk.headers["Cookie"] = "{cookie}"\n'
    practice = data["practice_answers"]
    warm_up = len(practice) // 10  # answered during the warm-up, never again
    scripts = {
        # The bare view: no session, no user, no database; what the server and Django alone cost.
        "hello": accept + 'wrk.path = "/bench/hello"\n',
        "dashboard_heavy": accept + f'wrk.headers["Cookie"] = "sessionid={data["heavy"]}"\nwrk.path = "/dashboard/"\n',
        "dashboard_light": accept + f'wrk.headers["Cookie"] = "sessionid={data["light"]}"\nwrk.path = "/dashboard/"\n',
        "quiz_page": common
        + f"""
local pages = {{{pages}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", pages[(n % #pages) + 1])
end
""",
        # A first answer to each question: graded, scheduled (FSRS) and stored, quiz progress counted.
        "answer_practice": answer_script(common, csrf, practice[warm_up:], threads=WRK_THREADS, alternate=False),
        # Exam answers may change until submission, so every POST stores a changed answer.
        "answer_exam": answer_script(common, csrf, data["exam_answers"], threads=WRK_THREADS, alternate=True),
        "warm_up_practice": answer_script(common, csrf, practice[:warm_up], threads=1, alternate=False),
    }
    paths = {}
    for name, text in scripts.items():
        path = WORK / f"{name}.lua"
        path.write_text(text)
        paths[name] = path
    return paths


def start_server() -> subprocess.Popen:
    """The production command, as an operator starts it; its log lines go to a file, as to journald."""
    log = (WORK / "server.log").open("w")
    server = subprocess.Popen(
        ["scripts/serve", "--no-access-log"],
        cwd=ROOT,
        env={**ENV, "GRANIAN": str(Path(sys.executable).parent / "granian")},
        stdout=log,
        stderr=log,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("The server did not start.")


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


WRK_THREADS = 2


def run_wrk(script: Path, connections: int = CONNECTIONS, server: subprocess.Popen | None = None) -> dict:
    cpu_before, started = (workers_cpu_seconds(server), time.monotonic()) if server else (0.0, 0.0)
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(WRK_THREADS, connections)}",
            f"-c{connections}",
            f"-d{DURATION}",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    cores = (workers_cpu_seconds(server) - cpu_before) / (time.monotonic() - started) if server else None
    return {
        "cores": cores,
        "requests": int(re.search(r"(\d+) requests in", result).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", result, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", result, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def workers(server: subprocess.Popen) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of the server's worker processes so far."""
    ticks = 0
    for pid in workers(server):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def stored_answers() -> dict:
    code = """
from interviews.models import Answer
print(Answer.objects.filter(user__username="bench", quiz__mode="practice").count(),
      Answer.objects.filter(user__username="bench", quiz__mode="exam").count())
"""
    out = shell(code).split()
    return {"practice": int(out[-2]), "exam": int(out[-1])}


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in workers(server):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    print(f"Preparing a fresh database in {WORK} ...", flush=True)
    data = prepare()
    scripts = lua_scripts(data)
    warm_up = scripts.pop("warm_up_practice")
    server = start_server()
    try:
        # Warm every worker and code path; the practice warm-up answers questions of its own.
        for script in [*(path for name, path in scripts.items() if name != "answer_practice"), warm_up]:
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d2s", "-s", str(script), f"http://127.0.0.1:{PORT}"],
                capture_output=True,
                check=True,
            )
        before = stored_answers()
        results = {}
        for name, path in scripts.items():
            results[name] = run_wrk(path, server=server)
        after = stored_answers()
        # Server time: one request at a time, so latency is neither queueing nor wrk competing for the cores.
        for name in ("dashboard_heavy", "dashboard_light"):
            results[f"{name}_c1"] = run_wrk(scripts[name], connections=1)
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\nscripts/serve (granian, 2 workers), DEBUG off, SQLite; wrk {CONNECTIONS} connections, {DURATION} each\n")
    print(f"{'endpoint':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}{'cores':>8}")
    for name, r in results.items():
        cores = f"{r['cores']:.2f}" if r["cores"] is not None else ""
        print(f"{name:<20}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>10}{cores:>8}")
    print()
    for name in ("quiz_page", "answer_practice", "answer_exam", "dashboard_heavy", "dashboard_light"):
        print(f"RATIO {name} {results[name]['rps'] / results['hello']['rps']:.3f}")
    for name in ("answer_practice", "answer_exam"):
        print(f"SERVER_CPU {name} {results[name]['cores']:.2f} cores of {os.cpu_count()}")
    stored = after["practice"] - before["practice"]
    print(
        f"PRACTICE_ANSWERS posted {results['answer_practice']['requests']} stored {stored} "
        "(each POST a first answer to a new question)"
    )
    heavy, light = results["dashboard_heavy_c1"], results["dashboard_light_c1"]
    print(
        f"DASHBOARD_SERVER_TIME heavy p50 {heavy['p50']:.1f} ms p99 {heavy['p99']:.1f} ms; "
        f"light p50 {light['p50']:.1f} ms p99 {light['p99']:.1f} ms; heavy/light p50 {heavy['p50'] / light['p50']:.2f}"
    )
    print("WORKER_RSS_MB " + " ".join(f"{size:.1f}" for size in rss), flush=True)
    if os.environ.get("BENCH_KEEP") != "1":  # BENCH_KEEP=1 keeps the database and the server log
        shutil.rmtree(WORK, ignore_errors=True)
    failed = any(r["errors"] for r in results.values())
    if failed:
        print("Some requests failed (non-2xx responses).")
    if results["answer_practice"]["requests"] > stored:
        print("Some practice POSTs were not first answers (the questions ran out): raise BENCH_PRACTICE_QUIZZES.")
        failed = True
    if os.environ.get("BENCH_PROFILE", "1") != "0":
        print("\nIn process (Django test client, no HTTP server), scripts/profile_core_loop.py:", flush=True)
        subprocess.run([sys.executable, "scripts/profile_core_loop.py"], cwd=ROOT, check=True)
    if failed:
        raise SystemExit("The bench did not measure what it should: see above.")


if __name__ == "__main__":
    main()
