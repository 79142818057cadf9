"""make backup / make restore as commands: the path printed, old backups pruned, clear refusals."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from interviews import backups

pytestmark = pytest.mark.django_db


def backup(settings, tmp_path, *args) -> Path:
    settings.BACKUP_DIR = tmp_path
    out, err = StringIO(), StringIO()
    call_command("backup_database", *args, stdout=out, stderr=err)
    return Path(out.getvalue().strip())


def test_backup_writes_a_new_file_and_prints_its_path(settings, tmp_path):
    path = backup(settings, tmp_path)
    assert path.parent == tmp_path.resolve() and path.name.startswith("prep-") and path.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))


def test_two_backups_in_the_same_second_are_two_files(settings, tmp_path, monkeypatch):
    moment = timezone.now()
    monkeypatch.setattr(backups.timezone, "now", lambda: moment)
    first, second, third = (backup(settings, tmp_path) for _ in range(3))
    assert len({first, second, third}) == 3 and all(path.exists() for path in (first, second, third))
    assert second.name.startswith(first.stem + "-2")


def test_keep_deletes_all_but_the_newest_backups(settings, tmp_path):
    suffix = backups.suffix()
    for age in range(4):
        old = tmp_path / f"prep-2020010{age}-000000{suffix}"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 86400 * (age + 1),) * 2)
    newest = backup(settings, tmp_path, "--keep", "2")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([newest.name, f"prep-20200100-000000{suffix}"])


def test_restore_refuses_a_database_that_has_tables(settings, tmp_path):
    path = backup(settings, tmp_path)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore_database", str(path))


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore_database", str(tmp_path / "nothing.sqlite3"), "--force")
