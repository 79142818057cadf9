"""The backup drill: back up a database while learners write to it, restore it elsewhere, compare table by table.

Runs on SQLite, and on PostgreSQL when DATABASE_URL is set (databases of its own beside the configured one).
"""

import json
import subprocess
import sys
import time

import pytest

from scripts.prodserver import ROOT, fresh_database_env, manage, shell

pytestmark = pytest.mark.server

# Learners answering practice quizzes through the real workflow, one transaction per answer, until killed.
WRITER = """
import itertools, random
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from interviews.models import Question
from interviews.quizzes import Submission, create_quiz, locked_item, pool_for_mode, record_answer
from interviews.review import Prefs

rng = random.Random(7)
pool = pool_for_mode(Question.objects.published(), "practice", ["single"])
for n in itertools.count():
    user = get_user_model().objects.create_user(f"writer{n}", password=None)
    quiz = create_quiz(user=user, questions=pool, mode="practice", size=5, title="Drill", now=timezone.now(), rng=rng)
    for item in quiz.items.all():
        with transaction.atomic():
            item = locked_item(user, quiz.pk, item.question_id)
            choice = rng.choice(list(item.question.choices.all()))
            submission = Submission([choice.pk])
            record_answer(quiz=item.quiz, item=item, submission=submission, now=timezone.now(), prefs=Prefs())
"""

COUNTS = "import json; from interviews.backups import table_counts; print(json.dumps(table_counts()))"
# A snapshot is consistent when every quiz's progress matches the answers stored for it.
CONSISTENT = """
from django.db.models import Count, F
from interviews.models import Quiz
print(Quiz.objects.annotate(n=Count("answers")).exclude(answered_count=F("n")).count())
"""


def backup(env, path) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "backup_database", "--output", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def restore(env, path, *flags) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(path), *flags],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_under_writes_restores_elsewhere_with_the_same_rows(tmp_path):
    source, target = fresh_database_env(tmp_path, "drill_src"), fresh_database_env(tmp_path, "drill_dst")
    manage(source, "migrate", "--no-input")
    manage(source, "load_question_bank")
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER],
        cwd=ROOT,
        env=source,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        assert writer.poll() is None, writer.stderr.read()
        under_writes = backup(source, tmp_path / "under-writes.backup")
        time.sleep(1)
        assert writer.poll() is None, writer.stderr.read()
    finally:
        writer.kill()
        writer.wait(timeout=10)
        writer.stderr.close()

    # Restored elsewhere: a consistent snapshot, taken in the middle of the writes.
    restored = restore(target, under_writes)
    assert restored.returncode == 0, restored.stderr
    snapshot, final = json.loads(shell(target, COUNTS)), json.loads(shell(source, COUNTS))
    assert snapshot.keys() == final.keys()
    assert 0 < snapshot["interviews_answer"] < final["interviews_answer"]
    assert all(snapshot[table] <= final[table] for table in final)
    assert shell(target, CONSISTENT) == "0"

    # A database with tables is not overwritten by mistake.
    refused = restore(target, under_writes)
    assert refused.returncode != 0 and "--force" in refused.stderr

    # Writes over: a backup now restores to exactly the source, table by table.
    quiet = backup(source, tmp_path / "quiet.backup")
    forced = restore(target, quiet, "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(shell(target, COUNTS)) == final
