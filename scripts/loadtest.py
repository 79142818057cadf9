"""make loadtest: virtual learners (scripts/locustfile.py) against the production server, then an exactly-once check.

Creates and migrates a database of its own (a temporary SQLite file, or with DATABASE_URL a fresh
PostgreSQL database named after the configured one with `_loadtest` appended; REDIS_URL is used as the
cache), loads the bank, starts scripts/serve on a free port in 8100-8199, runs locust headless, and
compares every answer the server acknowledged with what the database stored. Prints as its last lines

    LOADTEST requests N rps R p50_ms A p95_ms B p99_ms C errors_5xx E
    LOADTEST answers_acknowledged K answers_stored K duplicates 0

and exits 1 if an acknowledged answer is missing or differs, an answer is stored twice, or a 5xx was seen.
Environment: LOADTEST_USERS (40), LOADTEST_DURATION (45s), LOADTEST_RATE (users started a second, 2),
LOADTEST_THINK_SECONDS (mean pause between a learner's steps, 1.0), LOADTEST_WORKERS (2),
LOADTEST_KILL_EVERY (seconds between kill -9 of a worker, 0 = never).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.prodserver import ROOT, Server, collect_static, drop_database, fresh_database_env, manage, shell

USERS = int(os.environ.get("LOADTEST_USERS", "40"))
DURATION = os.environ.get("LOADTEST_DURATION", "45s")
RATE = float(os.environ.get("LOADTEST_RATE", "2"))
THINK = os.environ.get("LOADTEST_THINK_SECONDS", "1.0")
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
KILL_EVERY = float(os.environ.get("LOADTEST_KILL_EVERY", "0"))

CHECK = """
import json
from django.db.models import Count
from interviews.models import Answer

acks = {}
for line in open(ACKS):
    ack = json.loads(line)
    key = (ack["quiz"], ack["question"])
    # An exam answer may change until the exam is submitted: the last acknowledged one must be stored.
    acks[key] = [ack] if ack["exam"] else acks.get(key, []) + [ack]
answers = Answer.objects.filter(user__username__startswith="lt-")
stored = {(a.quiz_id, a.question_id): a for a in answers.only("quiz_id", "question_id", "selected_choice_ids", "text")}
missing = differing = 0
for key, expected in acks.items():
    answer = stored.get(key)
    if answer is None:
        missing += 1
    elif any(sorted(answer.selected_choice_ids) != a["choices"] or answer.text != a["text"] for a in expected):
        differing += 1
duplicates = answers.values("quiz_id", "question_id").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({"acknowledged": len(acks), "stored": len(stored), "missing": missing,
                  "differing": differing, "duplicates": duplicates}))
"""


def kill_workers(server: Server, stop: threading.Event, killed: list):
    while not stop.wait(KILL_EVERY):
        workers = server.worker_pids()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="prep-loadtest-"))
    env = fresh_database_env(work, "loadtest")
    where = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    where += " + Redis" if env.get("REDIS_URL") else ""
    print(f"Preparing a fresh {where} database ({work}) ...", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "load_question_bank")
    collect_static(env)
    acks, summary = work / "acks.jsonl", work / "summary.json"
    with (work / "server.log").open("w") as log, Server(env, workers=WORKERS, log=log) as server:
        print(f"{USERS} learners for {DURATION} against scripts/serve ({WORKERS} workers) at {server.url}", flush=True)
        stop, killed = threading.Event(), []
        killer = threading.Thread(target=kill_workers, args=(server, stop, killed), daemon=True)
        if KILL_EVERY:
            killer.start()
        subprocess.run(
            [
                *[sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py")],
                *["--headless", "--users", str(USERS), "--spawn-rate", str(RATE), "--run-time", DURATION],
                *["--host", server.url, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"],
            ],
            cwd=ROOT,
            env=os.environ
            | {"LOADTEST_ACKS": str(acks), "LOADTEST_SUMMARY": str(summary), "LOADTEST_THINK_SECONDS": THINK},
            check=False,
        )
        stop.set()
        alive = server.process.poll() is None
    if not summary.exists():
        print(f"FAILED: locust did not finish (see its output above). Server log: {work / 'server.log'}")
        return 1
    acks.touch()
    db = json.loads(shell(env, f"ACKS = {str(acks)!r}\n{CHECK}"))
    stats = json.loads(summary.read_text())
    problems = []
    if stats["connection_errors"] and not killed:
        problems.append(f"{stats['connection_errors']} requests got no answer")
    if db["missing"] or db["differing"]:
        problems.append(f"{db['missing']} acknowledged answers missing, {db['differing']} stored differently")
    if db["duplicates"]:
        problems.append(f"{db['duplicates']} answers stored twice")
    if stats["status_5xx"]:
        problems.append(f"{stats['status_5xx']} responses were 5xx")
    if not alive:
        problems.append("the server exited during the run")
    if stats["errors"]:
        print("Errors seen by locust:")
        for error, occurrences in sorted(stats["errors"].items(), key=lambda e: -e[1])[:15]:
            print(f"  {occurrences:>6}  {error}")
    if killed:
        print(f"Killed {len(killed)} workers with SIGKILL; {stats['connection_errors']} requests got no answer.")
    if problems:
        print(f"FAILED: {'; '.join(problems)}. Server log: {work / 'server.log'}")
    else:  # kept for a look when something failed
        shutil.rmtree(work, ignore_errors=True)
        drop_database(env)
    print(
        f"LOADTEST requests {stats['requests']} rps {stats['rps']:.1f} p50_ms {stats['p50_ms']:.0f} "
        f"p95_ms {stats['p95_ms']:.0f} p99_ms {stats['p99_ms']:.0f} errors_5xx {stats['status_5xx']}"
    )
    print(
        f"LOADTEST answers_acknowledged {db['acknowledged']} answers_stored {db['stored']} "
        f"duplicates {db['duplicates']}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
