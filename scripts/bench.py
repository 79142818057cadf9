"""make bench: throughput and latency of the app's busiest pages against a bare Django view.

Starts the app under the production server settings (granian, 2 workers, DEBUG off) on a fresh SQLite
database filled with the bank, demo learners (1,000,000 answers, 20,000 of them by the measured
learner) and prepared quizzes; drives each endpoint with wrk for a fixed time; prints requests/s, p50
and p99, one `RATIO <endpoint> <value>` line per endpoint (its throughput over the hello view's), and
each worker's resident memory after the run. BENCH_ANSWERS=100000 makes a quicker run.
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
# One request at a time per worker process: Python threads would only queue on the GIL and on
# SQLite's single writer; measured in the closing note of the quiz issue.
SERVER_OPTIONS = os.environ.get("BENCH_SERVER_OPTIONS", "--blocking-threads 1 --backpressure 16").split()

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
from interviews.quizzes import create_quiz, pool_for_mode
User = get_user_model()
learner = User.objects.create_user("bench", "bench@example.com", "bench-password-123")
for n in range(20):
    User.objects.create_user(f"other{{n}}", f"other{{n}}@example.com", "bench-password-123")
now = timezone.now()
pool = pool_for_mode(Question.objects.published(), "exam", ["single"])
exams = [create_quiz(user=learner, questions=pool, mode="exam", size=20, title="Bench exam", now=now)
         for _ in range({QUIZZES})]
practice = [create_quiz(user=learner, questions=pool_for_mode(Question.objects.published(), "practice"),
                        mode="practice", size=10, title="Bench practice", now=now) for _ in range({QUIZZES})]
answers = []
for quiz in exams:
    for item in quiz.items.select_related("question").prefetch_related("question__choices"):
        ids = [c.pk for c in item.question.choices.all()]
        answers.append([quiz.pk, item.question_id, ids[0], ids[1]])
def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
print(json.dumps({{"session": session(learner), "answers": answers,
                  "heavy": session(User.objects.get(username="heavy")),
                  "light": session(User.objects.get(username="light")),
                  "pages": [q.get_absolute_url() for q in practice]}}))
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def lua_scripts(data: dict) -> dict[str, Path]:
    csrf = secrets.token_hex(16)  # a 32-character unmasked secret, valid as cookie and header
    cookie = f"sessionid={data['session']}; csrftoken={csrf}"
    pages = ", ".join(f'"{p}"' for p in data["pages"])
    answers = ", ".join("{" + ", ".join(str(number) for number in a) + "}" for a in data["answers"])
    common = f'wrk.headers["Cookie"] = "{cookie}"\n'
    scripts = {
        "hello": common + 'wrk.path = "/bench/hello"\n',
        "dashboard_heavy": f'wrk.headers["Cookie"] = "sessionid={data["heavy"]}"\nwrk.path = "/dashboard/"\n',
        "dashboard_light": f'wrk.headers["Cookie"] = "sessionid={data["light"]}"\nwrk.path = "/dashboard/"\n',
        "quiz_page": common
        + f"""
local pages = {{{pages}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", pages[(n % #pages) + 1])
end
""",
        # Exam answers may change until submission, so every POST stores a changed answer.
        "answer_post": common
        + f"""
local answers = {{{answers}}}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-CSRFToken"] = "{csrf}"
wrk.headers["HX-Request"] = "true"
request = function()
  n = n + 1
  local a = answers[(n % #answers) + 1]
  local choice = a[3 + (math.floor(n / #answers) % 2)]
  local body = "action=answer&question=" .. a[2] .. "&choice=" .. choice
  return wrk.format("POST", "/quiz/" .. a[1] .. "/", nil, body)
end
""",
    }
    paths = {}
    for name, text in scripts.items():
        path = WORK / f"{name}.lua"
        path.write_text(text)
        paths[name] = path
    return paths


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            "2",
            *SERVER_OPTIONS,
            "--no-access-log",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=ENV,
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


def run_wrk(script: Path, connections: int = CONNECTIONS) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
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
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", result, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", result, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    print(f"Preparing a fresh database in {WORK} ...", flush=True)
    data = prepare()
    scripts = lua_scripts(data)
    server = start_server()
    try:
        for name in scripts:  # warm up every worker and code path
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d2s", "-s", str(scripts[name]), f"http://127.0.0.1:{PORT}"],
                capture_output=True,
                check=True,
            )
        results = {name: run_wrk(path) for name, path in scripts.items()}
        # Server time: one request at a time, so latency is neither queueing nor wrk competing for the cores.
        for name in ("dashboard_heavy", "dashboard_light"):
            results[f"{name}_c1"] = run_wrk(scripts[name], connections=1)
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\ngranian, 2 workers, DEBUG off, SQLite; wrk {CONNECTIONS} connections for {DURATION} each\n")
    print(f"{'endpoint':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}")
    for name, r in results.items():
        print(f"{name:<14}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>10}")
    print()
    for name in ("quiz_page", "answer_post", "dashboard_heavy", "dashboard_light"):
        print(f"RATIO {name} {results[name]['rps'] / results['hello']['rps']:.3f}")
    heavy, light = results["dashboard_heavy_c1"], results["dashboard_light_c1"]
    print(
        f"DASHBOARD_SERVER_TIME heavy p50 {heavy['p50']:.1f} ms p99 {heavy['p99']:.1f} ms; "
        f"light p50 {light['p50']:.1f} ms p99 {light['p99']:.1f} ms; heavy/light p50 {heavy['p50'] / light['p50']:.2f}"
    )
    print("WORKER_RSS_MB " + " ".join(f"{size:.1f}" for size in rss))
    shutil.rmtree(WORK, ignore_errors=True)
    if any(r["errors"] for r in results.values()):
        raise SystemExit("Some requests failed (non-2xx responses).")


if __name__ == "__main__":
    main()
