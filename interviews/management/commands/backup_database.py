"""make backup: a consistent online backup of the configured database; prints the file's path."""

import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interviews import backups


class Command(BaseCommand):
    help = "Back up the configured database (SQLite backup API, or pg_dump) while the site keeps running."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help=f"File to write (default: a new one in {settings.BACKUP_DIR})")
        parser.add_argument("--keep", type=int, default=0, help="Then delete all but the N newest backups (0: all)")

    def handle(self, *args, output, keep, **options):
        folder = Path(settings.BACKUP_DIR)
        path = output or backups.new_path(folder)
        started = time.perf_counter()
        try:
            backups.backup(path)
        except subprocess.CalledProcessError as error:
            raise CommandError(f"{error.cmd[0]} failed: {error.stderr.strip()}") from None
        except (OSError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        if keep and output is None:
            for old in backups.prune(folder, keep):
                self.stderr.write(f"Deleted the old backup {old}")
        size = path.stat().st_size / 1_000_000
        self.stderr.write(f"Backed up in {time.perf_counter() - started:.1f}s ({size:.1f} MB).")
        self.stdout.write(str(path.resolve()))
