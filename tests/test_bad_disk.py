"""Bad days on SQLite: a full disk and a read-only database, on a small tmpfs, against the production server.

Pages that cannot save answer with the site's 503 page, /healthz with 503, nothing half-written is
acknowledged, and service comes back by itself when the disk does. Mounting needs root, as CI has.
"""

import errno
import json
import os
import sqlite3
import subprocess
import time
from contextlib import closing

import pytest

from scripts.prodserver import Server, collect_static, database_env, manage
from tests.webclient import WebClient, card_question

pytestmark = [
    pytest.mark.server,
    # The server's own behaviour (SQLite here) does not depend on the suite's database: run it once, in the SQLite pass.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass of the suite"),
]


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    mount_point = tmp_path_factory.mktemp("small") / "disk"
    mount_point.mkdir()
    result = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)) if os.geteuid() == 0 else None
    if result is None or result.returncode:
        reason = "mounting a small tmpfs needs root (CI runs as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    yield mount_point
    run("mount", "-o", "remount,rw", str(mount_point))
    run("umount", "-l", str(mount_point))


@pytest.fixture(scope="module")
def server_on_small_disk(small_disk):
    database = small_disk / "prep.sqlite3"
    env = database_env(sqlite_path=database) | {"HEALTHZ_MIN_FREE_MB": "1"}
    manage(env, "migrate", "--no-input")
    manage(env, "load_question_bank")
    collect_static(env)
    with Server(env) as server:
        yield server, database


def health(server) -> tuple[int, dict]:
    page = WebClient(server.url).get("/healthz")
    return page.status, json.loads(page.text)


def wait_until_healthy(server, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if health(server)[0] == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"/healthz did not recover: {health(server)}")


def learner_at_first_question(server):
    learner = WebClient(server.url)
    assert learner.sign_up(f"disk-{time.monotonic_ns()}").status == 200
    quiz, page = learner.new_quiz(kinds="single")
    question, choices = card_question(page.text)
    return learner, quiz, question, choices


def answer(learner, quiz, question, choice):
    return learner.post(f"/quiz/{quiz}/", {"action": "answer", "question": question, "choice": choice}, htmx=True)


def stored_answers(database, quiz):
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT selected_choice_ids FROM interviews_answer WHERE quiz_id = ?", [quiz]).fetchall()
        answered = db.execute("SELECT answered_count FROM interviews_quiz WHERE id = ?", [quiz]).fetchone()[0]
    return [json.loads(row[0]) for row in rows], answered


def fill(folder):
    """Write zeros until the filesystem is full; return the file to delete."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_disk_answers_503_saves_nothing_and_recovers(server_on_small_disk):
    server, database = server_on_small_disk
    learner, quiz, question, choices = learner_at_first_question(server)
    # An empty write-ahead log, so the next commit needs new space.
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = fill(database.parent)

    status, report = health(server)
    assert status == 503 and report["database"] == "disk full"
    refused = answer(learner, quiz, question, choices[0])
    assert refused.status == 503
    assert "The site is unavailable for a moment" in refused.text and "Traceback" not in refused.text

    filler.unlink()
    # Read once there is room: on a full disk SQLite cannot even recreate its shared-memory file.
    assert stored_answers(database, quiz) == ([], 0)
    wait_until_healthy(server)
    saved = answer(learner, quiz, question, choices[1])
    assert saved.status == 200 and "Your answer was not recorded" not in saved.text
    assert stored_answers(database, quiz) == ([[choices[1]]], 1)


def test_a_read_only_database_answers_503_and_recovers(server_on_small_disk):
    server, database = server_on_small_disk
    learner, quiz, question, choices = learner_at_first_question(server)
    # The server is stopped while the disk is remounted: a busy mount cannot be made read-only.
    server.stop()
    assert run("mount", "-o", "remount,ro", str(database.parent)).returncode == 0
    server.start(healthy=False)

    status, report = health(server)
    assert status == 503 and report["database"] in {"read-only", "down"}
    refused = answer(learner, quiz, question, choices[0])
    assert refused.status == 503 and "The site is unavailable for a moment" in refused.text
    page = learner.get(f"/quiz/{quiz}/")
    assert page.status in {200, 503}  # reading may still work; it is never a 500

    assert run("mount", "-o", "remount,rw", str(database.parent)).returncode == 0
    wait_until_healthy(server)
    saved = answer(learner, quiz, question, choices[1])
    assert saved.status == 200
    assert stored_answers(database, quiz) == ([[choices[1]]], 1)
