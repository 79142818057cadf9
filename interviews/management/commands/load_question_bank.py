"""Validate the question bank file(s), then upsert them by slug in one transaction."""

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

    def handle(self, *args, path, **options):
        started = time.perf_counter()
        path = Path(path)
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        bank, errors = read_bank(path)
        errors += validate_bank(bank, set(Topic.objects.values_list("slug", flat=True)))
        if errors:
            for error in errors:
                self.stderr.write(f"  {error}")
            raise CommandError(f"{len(errors)} problem(s) found; nothing was written.")

        def progress(done, total):
            if options["verbosity"] >= 1 and (done % 25 == 0 or done == total):
                self.stdout.write(f"  {done}/{total} questions")

        result = load_bank(bank, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged ({len(bank.topics)} topics) in {time.perf_counter() - started:.2f}s."
            )
        )
