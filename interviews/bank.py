"""The question-bank file format: read, validate, load (upsert by slug) and export.

Format: see content/README.md. A file is a mapping with optional `topics:` and `questions:`
lists; a folder is every `*.yaml` file in it, read in name order.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from interviews.models import AcceptedAnswer, Choice, Question, Topic
from interviews.rules import ChoiceSpec, kind_rule_errors

TOPIC_KEYS = {"slug", "name", "description", "order"}
QUESTION_KEYS = {
    "slug",
    "topic",
    "kind",
    "difficulty",
    "status",
    "seed",
    "prompt",
    "body",
    "answer",
    "key_points",
    "choices",
    "accepted_answers",
    "answer_regex",
    "strict_names",
}
CHOICE_KEYS = {"text", "correct", "explanation"}


class BankError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the question bank")


@dataclass
class Bank:
    topics: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    """A question changed in admin since the loader last wrote it, left as it is."""

    slug: str
    changed_by: str
    changed_at: datetime


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def read_bank(path: Path) -> tuple[Bank, list[str]]:
    """Parse a file or folder; return the normalised bank and every problem found, with its location."""
    path = Path(path)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    bank, errors = Bank(), []
    if not files:
        return bank, [f"{path}: no .yaml files found"]
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(f"{file}: cannot be read: {error}")
            continue
        errors += parse_document(text, str(file), bank)
    return bank, errors


def parse_document(text: str, source: str, bank: Bank) -> list[str]:
    """Add one YAML document's topics and questions to `bank`; return its problems."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        return [f"{source}: is not valid YAML: {error}"]
    if not isinstance(data, dict) or set(data) - {"topics", "questions"}:
        return [f"{source}: must be a mapping with only 'topics' and 'questions' lists"]
    errors = []
    for key, parse, items in (("topics", _parse_topic, bank.topics), ("questions", _parse_question, bank.questions)):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            errors.append(f"{source}: '{key}' must be a list")
            continue
        for index, raw in enumerate(entries):
            item, problems = parse(raw)
            errors += [f"{source}: {key}[{index}]{_label(raw)}: {p}" for p in problems]
            items.append(item)
    return errors


def validate_bank(bank: Bank, known_topic_slugs: set[str]) -> list[str]:
    """Checks that span entries: unique slugs, known topics."""
    errors = []
    for kind, items in (("topic", bank.topics), ("question", bank.questions)):
        seen = set()
        for item in items:
            if item.get("slug") in seen:
                errors.append(f"{kind} slug {item['slug']!r} appears more than once")
            seen.add(item.get("slug"))
    topic_slugs = known_topic_slugs | {t["slug"] for t in bank.topics}
    for question in bank.questions:
        if question.get("topic") and question["topic"] not in topic_slugs:
            errors.append(f"question {question['slug']!r}: unknown topic {question['topic']!r}")
    return errors


def _label(raw) -> str:
    return f" ({raw['slug']})" if isinstance(raw, dict) and isinstance(raw.get("slug"), str) else ""


def _text(raw: dict, key: str, problems: list[str], *, required=False, max_length=None) -> str:
    value = raw.get(key, "")
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(f"'{key}' must be text")
        return ""
    value = str(value).strip()
    if required and not value:
        problems.append(f"'{key}' is required")
    if max_length and len(value) > max_length:
        problems.append(f"'{key}' is longer than {max_length} characters")
    return value


def _parse_topic(raw) -> tuple[dict, list[str]]:
    if not isinstance(raw, dict):
        return {}, ["must be a mapping"]
    problems = [f"unknown key '{key}'" for key in sorted(set(raw) - TOPIC_KEYS)]
    topic = {
        "slug": _text(raw, "slug", problems, required=True, max_length=100),
        "name": _text(raw, "name", problems, required=True, max_length=100),
        "description": _text(raw, "description", problems),
        "order": raw.get("order", 0),
    }
    if topic["slug"] and slugify(topic["slug"]) != topic["slug"]:
        problems.append("'slug' must use lowercase letters, digits and hyphens only")
    if not isinstance(topic["order"], int) or isinstance(topic["order"], bool) or topic["order"] < 0:
        problems.append("'order' must be a whole number, 0 or more")
    return topic, problems


def _parse_question(raw) -> tuple[dict, list[str]]:
    if not isinstance(raw, dict):
        return {}, ["must be a mapping"]
    problems = [f"unknown key '{key}'" for key in sorted(set(raw) - QUESTION_KEYS)]
    question = {
        "slug": _text(raw, "slug", problems, required=True, max_length=120),
        "topic": _text(raw, "topic", problems, required=True),
        "kind": _text(raw, "kind", problems, required=True),
        "difficulty": _text(raw, "difficulty", problems) or Question.Difficulty.MEDIUM.value,
        "status": _text(raw, "status", problems) or Question.Status.PUBLISHED.value,
        "seed": raw.get("seed"),
        "prompt": _text(raw, "prompt", problems, required=True, max_length=300),
        "body": _text(raw, "body", problems),
        "answer": _text(raw, "answer", problems),
        "key_points": _string_list(raw, "key_points", problems),
        "accepted_answers": _string_list(raw, "accepted_answers", problems),
        "answer_regex": _text(raw, "answer_regex", problems, max_length=300),
        "strict_names": raw.get("strict_names", False),
        "choices": [],
    }
    if not isinstance(question["strict_names"], bool):
        problems.append("'strict_names' must be true or false")
    if question["slug"] and slugify(question["slug"]) != question["slug"]:
        problems.append("'slug' must use lowercase letters, digits and hyphens only")
    for key, enum in (("kind", Question.Kind), ("difficulty", Question.Difficulty), ("status", Question.Status)):
        if question[key] and question[key] not in enum.values:
            problems.append(f"'{key}' must be one of {', '.join(enum.values)}, not {question[key]!r}")
    seed = question["seed"]
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 1 <= seed <= 32767):
        problems.append("'seed' must be a positive whole number")
    raw_choices = raw.get("choices") or []
    if not isinstance(raw_choices, list):
        problems.append("'choices' must be a list")
        raw_choices = []
    for index, raw_choice in enumerate(raw_choices):
        if not isinstance(raw_choice, dict):
            problems.append(f"choices[{index}] must be a mapping")
            continue
        choice_problems = [f"unknown key '{key}'" for key in sorted(set(raw_choice) - CHOICE_KEYS)]
        choice = {
            "text": _text(raw_choice, "text", choice_problems, required=True, max_length=500),
            "correct": raw_choice.get("correct", False),
            "explanation": _text(raw_choice, "explanation", choice_problems),
        }
        if not isinstance(choice["correct"], bool):
            choice_problems.append("'correct' must be true or false")
        problems += [f"choices[{index}]: {p}" for p in choice_problems]
        question["choices"].append(choice)
    if question["kind"] in Question.Kind.values:
        problems += kind_rule_errors(
            question["kind"],
            choices=[ChoiceSpec(c["text"], c["correct"] is True) for c in question["choices"]],
            accepted_answers=question["accepted_answers"],
            answer_regex=question["answer_regex"],
            answer=question["answer"],
            key_points=question["key_points"],
            body=question["body"],
        )
    return question, problems


def _string_list(raw: dict, key: str, problems: list[str]) -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str | int | float) for item in value):
        problems.append(f"'{key}' must be a list of texts")
        return []
    return [str(item).strip() for item in value if str(item).strip()]


def question_to_dict(question: Question) -> dict:
    """The file form of a stored question (choices and accepted answers must be prefetched)."""
    data = {
        "slug": question.slug,
        "topic": question.topic.slug,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "status": question.status,
        "seed": question.seed_number,
        "prompt": question.prompt,
        "body": question.body,
        "answer": question.answer,
        "key_points": question.key_point_list,
        "choices": [
            {"text": c.text, "correct": c.is_correct, "explanation": c.explanation} for c in question.choices.all()
        ],
        "accepted_answers": [a.text for a in question.accepted_answers.all()],
        "answer_regex": question.answer_regex,
        "strict_names": question.strict_names,
    }
    return data


def topic_to_dict(topic: Topic) -> dict:
    return {"slug": topic.slug, "name": topic.name, "description": topic.description, "order": topic.order}


def load_bank(bank: Bank, *, by=None, keep_edits=False, progress=None) -> LoadResult:
    """Upsert topics and questions by slug in one transaction. Call only with a validated bank.

    A load by nobody (load_question_bank) records what it wrote in `loaded_hash`; with
    `keep_edits` it leaves alone every question changed since (in admin, by an import) and
    reports it in `conflicts`. An import by a curator (`by`) is a curator's change like any other.
    """
    result = LoadResult()
    with transaction.atomic():
        for data in bank.topics:
            Topic.objects.update_or_create(slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"})
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        existing = {
            q.slug: q for q in Question.objects.select_related("topic").prefetch_related("choices", "accepted_answers")
        }
        for index, data in enumerate(bank.questions, 1):
            question = existing.get(data["slug"])
            wanted = _normalised(data)
            loaded_hash = file_hash(wanted) if by is None else None
            if question is None:
                _write_question(None, data, topics[data["topic"]], by=by, loaded_hash=loaded_hash)
                result.created += 1
            elif (stored := _normalised(question_to_dict(question))) == wanted:
                result.unchanged += 1
                if loaded_hash and question.loaded_hash != loaded_hash:
                    Question.objects.filter(pk=question.pk).update(loaded_hash=loaded_hash)
            elif keep_edits and _changed_since_loaded(question, stored):
                result.conflicts.append(_conflict(question))
            else:
                _write_question(question, data, topics[data["topic"]], by=by, loaded_hash=loaded_hash)
                result.updated += 1
            if progress:
                progress(index, len(bank.questions))
    return result


def file_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _changed_since_loaded(question: Question, stored: dict) -> bool:
    if question.loaded_hash:
        return file_hash(stored) != question.loaded_hash
    # Loaded before the loader kept a hash: changed if a person made the latest change.
    latest = question.history.order_by("-history_date", "-history_id").first()
    return latest is not None and latest.history_user_id is not None


def _conflict(question: Question) -> Conflict:
    change = (
        question.history.filter(history_user__isnull=False)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if change is None:
        return Conflict(question.slug, "someone (not recorded)", question.updated_at)
    return Conflict(question.slug, change.history_user.get_username(), change.history_date)


def _normalised(data: dict) -> dict:
    return {
        **data,
        "seed": data.get("seed"),
        "choices": [{**c, "correct": bool(c["correct"])} for c in data["choices"]],
    }


def _write_question(question: Question | None, data: dict, topic: Topic, *, by=None, loaded_hash=None):
    question = question or Question(slug=data["slug"])
    question.topic = topic
    question.kind = data["kind"]
    question.difficulty = data["difficulty"]
    question.status = data["status"]
    question.seed_number = data["seed"]
    question.prompt = data["prompt"]
    question.body = data["body"]
    question.answer = data["answer"]
    question.key_points = "\n".join(data["key_points"])
    question.answer_regex = data["answer_regex"]
    question.strict_names = data["strict_names"]
    if by is not None:
        question.updated_by = by
    if loaded_hash is not None:
        question.loaded_hash = loaded_hash
        question._change_reason = "Loaded from the question bank files"
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        _rendered_choice(question, order, choice) for order, choice in enumerate(data["choices"], 1)
    )
    question.accepted_answers.all().delete()
    AcceptedAnswer.objects.bulk_create(
        AcceptedAnswer(question=question, text=text) for text in data["accepted_answers"]
    )
    question.record_content_change(by=by)


def _rendered_choice(question, order, data) -> Choice:
    choice = Choice(
        question=question, text=data["text"], is_correct=data["correct"], explanation=data["explanation"], order=order
    )
    choice.render()  # bulk_create skips save(), which renders
    return choice


class _LiteralDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value if not style else value.rstrip() + "\n", style=style)


_LiteralDumper.add_representer(str, _represent_str)


def dump_bank(topics: list[dict], questions: list[dict]) -> str:
    """YAML in the bundled file's layout; empty optional fields are left out."""

    def compact(data: dict) -> dict:
        return {k: v for k, v in data.items() if v not in ("", None, [], False) or k == "correct"}

    document = {}
    if topics:
        document["topics"] = [compact(t) for t in topics]
    if questions:
        document["questions"] = [
            compact({**q, "choices": [compact(c) for c in q.get("choices") or []]}) for q in questions
        ]
    return yaml.dump(document, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=100)


def export_questions(queryset) -> str:
    questions = list(queryset.select_related("topic").prefetch_related("choices", "accepted_answers"))
    topics = sorted({q.topic for q in questions}, key=lambda t: (t.order, t.name))
    return dump_bank([topic_to_dict(t) for t in topics], [question_to_dict(q) for q in questions])
