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
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only validate PATH (topics known from the bundled topics.yaml); write nothing, need no database.",
        )

    def handle(self, *args, path, check=False, **options):
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
            chains = f" and {len(bank.chains)} follow-up chains" if bank.chains else ""
            self.stdout.write(
                self.style.SUCCESS(f"{len(bank.questions)} questions{chains} are valid; nothing was written.")
            )
            return

        def progress(done, total):
            if options["verbosity"] >= 1 and (done % 25 == 0 or done == total):
                self.stdout.write(f"  {done}/{total} questions")

        result = load_bank(bank, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged ({len(bank.topics)} topics, {len(bank.chains)} follow-up chains, "
                f"{result.links_changed} links changed) in {time.perf_counter() - started:.2f}s."
            )
        )
