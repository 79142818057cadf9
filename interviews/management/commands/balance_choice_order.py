"""Spread the correct choices of the bank's files over every position.

Learners see choices shuffled, but the files are read by curators, exported and imported, and
a bank whose key is usually first teaches authors bad habits. Single-answer keys are dealt out
round-robin over the positions; multiple-answer choices are shuffled by a seed from the slug;
true/false keeps "True, False". Deterministic: a second run changes nothing.
"""

import random
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand

from interviews.bank import dump_bank
from interviews.management.commands.load_question_bank import DEFAULT_PATH


def balanced(questions: list[dict], start: int = 0) -> int:
    """Reorder the choices of `questions` in place; return the next round-robin slot."""
    slot = start
    for question in questions:
        choices = question.get("choices") or []
        keys = [c for c in choices if c.get("correct")]
        if question.get("kind") == "single" and len(choices) >= 2 and len(keys) == 1:
            # An item that breaks the kind's rules is left as it is: the loader reports it.
            key = keys[0]
            others = [c for c in choices if c is not key]
            others.sort(key=lambda c: c["text"])
            random.Random(question["slug"]).shuffle(others)
            others.insert(slot % len(choices), key)
            question["choices"] = others
            slot += 1
        elif question.get("kind") == "multiple":
            keys = [bool(c.get("correct")) for c in choices]
            ordered = sorted(choices, key=lambda c: c["text"])
            random.Random(question["slug"]).shuffle(ordered)
            flags = [bool(c.get("correct")) for c in ordered]
            if flags == sorted(keys, reverse=True):  # all the keys first: rotate them away
                ordered = ordered[1:] + ordered[:1]
            question["choices"] = ordered
    return slot


class Command(BaseCommand):
    help = "Spread correct choices over every position in the bank's YAML files (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        folder = Path(path)
        slot = 0
        for file in sorted(folder.glob("*.yaml")):
            document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            questions = document.get("questions") or []
            if not questions:
                continue
            slot = balanced(questions, slot)
            text = dump_bank(document.get("topics") or [], questions)
            if text != file.read_text(encoding="utf-8"):
                file.write_text(text, encoding="utf-8")
                self.stdout.write(f"  rewrote {file.name}")
        self.stdout.write(self.style.SUCCESS("Correct choices are spread over every position."))
