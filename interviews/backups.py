"""Online backups of the configured database and their restore: SQLite's backup API, or pg_dump/pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone


class RestoreRefused(Exception):
    """The target database already holds tables, and --force was not given."""


def _settings() -> dict:
    return connection.settings_dict


def suffix() -> str:
    return ".sqlite3" if connection.vendor == "sqlite" else ".pgdump"


def backup(path: Path) -> Path:
    """Write a consistent copy of the database to `path`, safe while the server keeps writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # never leave a half-written file under the real name
    partial.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        with sqlite3.connect(_settings()["NAME"], timeout=20) as source, sqlite3.connect(partial) as target:
            # pages=-1 copies everything in one step, inside one read transaction: a single snapshot.
            source.backup(target, pages=-1)
        source.close()
        target.close()
    else:
        _postgres("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}")
    partial.rename(path)
    return path


def restore(path: Path, *, force: bool = False):
    """Replace the configured database's contents with the backup at `path`."""
    if not path.is_file():
        raise FileNotFoundError(f"No backup at {path}.")
    tables = connection.introspection.table_names()
    if tables and not force:
        raise RestoreRefused(
            f"The database already has {len(tables)} tables. Restoring replaces everything in it: "
            "add --force (make restore FILE=... FORCE=1) if that is what you want."
        )
    if connection.vendor == "sqlite":
        connection.close()
        with sqlite3.connect(path) as source, sqlite3.connect(_settings()["NAME"], timeout=20) as target:
            source.backup(target, pages=-1)
        source.close()
        target.close()
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    _postgres("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--jobs=2", str(path))


def table_counts() -> dict[str, int]:
    """Rows in every table of the configured database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def new_path(folder: Path) -> Path:
    """A new file name for a backup taken now; a second backup in the same second does not replace the first."""
    stem = f"prep-{timezone.now():%Y%m%d-%H%M%S}"
    path, n = folder / f"{stem}{suffix()}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix()}"
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `folder`; return what was deleted."""
    backups = sorted(folder.glob("prep-*" + suffix()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in backups[keep:]:
        old.unlink()
    return backups[keep:]


def _postgres(program: str, *args: str):
    """Run pg_dump or pg_restore against the configured database; its password goes in the environment."""
    if not shutil.which(program):
        raise FileNotFoundError(f"{program} is not installed (Debian: apt-get install postgresql-client).")
    db = _settings()
    env = os.environ | {"PGPASSWORD": db.get("PASSWORD") or ""}
    target = [f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}"]
    if db.get("USER"):
        target.append(f"--username={db['USER']}")
    database = ["--dbname", db["NAME"]]
    subprocess.run([program, *target, *database, *args], env=env, check=True, capture_output=True, text=True)
