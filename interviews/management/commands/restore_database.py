"""make restore FILE=...: put a backup made by backup_database into the configured database."""

import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews import backups


class Command(BaseCommand):
    help = "Restore a backup into the configured database; refuses a database that has tables unless --force."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace whatever the database holds now.")

    def handle(self, *args, file, force, **options):
        started = time.perf_counter()
        try:
            backups.restore(file, force=force)
        except backups.RestoreRefused as error:
            raise CommandError(str(error)) from None
        except subprocess.CalledProcessError as error:
            raise CommandError(f"{error.cmd[0]} failed: {error.stderr.strip()}") from None
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        counts = backups.table_counts()
        self.stdout.write(
            f"Restored {file} in {time.perf_counter() - started:.1f}s: {len(counts)} tables, "
            f"{counts.get('auth_user', 0)} users, {counts.get('interviews_answer', 0)} answers."
        )
