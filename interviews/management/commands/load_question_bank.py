"""Validate the question bank file(s), then upsert them by slug in one transaction, leaving alone
every question changed in admin since it was last loaded (unless --force)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interviews.bank import load_bank, read_bank, validate_bank
from interviews.models import Topic

DEFAULT_PATH = Path(settings.BASE_DIR) / "content" / "bank"


class Command(BaseCommand):
    help = "Load the bundled question bank (or PATH, a .yaml file or a folder of them). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only validate PATH (topics known from the bundled topics.yaml); write nothing, need no database.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite questions changed in admin since they were last loaded from a file.",
        )

    def handle(self, *args, path, check=False, force=False, **options):
        started = time.perf_counter()
        path = Path(path)
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        bank, errors = read_bank(path)
        if check:
            bundled, _ = read_bank(DEFAULT_PATH / "topics.yaml")
            known_topics = {topic["slug"] for topic in bundled.topics}
        else:
            known_topics = set(Topic.objects.values_list("slug", flat=True))
        errors += validate_bank(bank, known_topics)
        if errors:
            for error in errors:
                self.stderr.write(f"  {error}")
            raise CommandError(f"{len(errors)} problem(s) found; nothing was written.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(bank.questions)} questions are valid; nothing was written."))
            return

        def progress(done, total):
            if options["verbosity"] >= 1 and (done % 25 == 0 or done == total):
                self.stdout.write(f"  {done}/{total} questions")

        result = load_bank(bank, keep_edits=not force, progress=progress)
        for conflict in result.conflicts:
            when = f"{conflict.changed_at:%Y-%m-%d %H:%M} UTC"
            self.stderr.write(
                self.style.WARNING(
                    f"  Kept {conflict.slug}: changed by {conflict.changed_by} on {when} since it was last "
                    "loaded; the file's version was not applied (--force applies it)."
                )
            )
        kept = f", {len(result.conflicts)} kept as changed in admin" if result.conflicts else ""
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged{kept} ({len(bank.topics)} topics) in {seconds:.2f}s."
            )
        )
