"""The question bank and what learners keep about it: bookmarks, notes and problem reports."""

import hashlib
import json

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from interviews import search as full_text
from interviews.markdown import render_inline, render_markdown
from interviews.rules import ChoiceSpec, kind_rule_errors


class TopicQuerySet(models.QuerySet):
    def with_published_counts(self):
        """Topics that have published questions, with how many of each kind (one query)."""
        published = Q(questions__status="published")
        return (
            self.annotate(
                published_count=Count("questions", filter=published),
                open_count=Count("questions", filter=published & Q(questions__kind="open")),
                output_count=Count("questions", filter=published & Q(questions__kind="output")),
            )
            .filter(published_count__gt=0)
            .order_by("order", "name")
        )  # Meta.ordering is dropped under GROUP BY


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def visible_to(self, user):
        return self if user.is_staff else self.published()

    def search(self, text: str):
        """Questions matching every word of `text`, best first, each with its matched text marked.

        Ranked by the database's full-text rank with the prompt weighted first: SQLite's FTS5 index
        (migration 0009) or PostgreSQL's tsvector. Annotates `match_prompt`, `match_body` and
        `match_answer` with the marks; `search_snippet` turns them into safe HTML.
        """
        words = full_text.terms(text)
        if not words:
            return self
        if connection.vendor == "postgresql":
            return self._search_postgresql(full_text.tsquery(words))
        return self._search_sqlite(full_text.fts5_query(words))

    def _search_postgresql(self, raw_query: str):
        query = SearchQuery(raw_query, search_type="raw", config="english")
        document = {name: full_text.pg_document(name) for name in ("prompt", "body", "answer")}
        vector = (
            SearchVector(document["prompt"], weight="A", config="english")
            + SearchVector(document["body"], weight="B", config="english")
            + SearchVector(document["answer"], weight="C", config="english")
        )
        marks = {"start_sel": full_text.MARK_START, "stop_sel": full_text.MARK_END, "config": "english"}
        return (
            self.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(
                search_rank=SearchRank(vector, query, weights=[0.05, 0.1, 0.3, 1.0]),
                match_prompt=SearchHeadline(document["prompt"], query, highlight_all=True, **marks),
                match_body=SearchHeadline(document["body"], query, max_words=25, min_words=12, **marks),
                match_answer=SearchHeadline(document["answer"], query, max_words=25, min_words=12, **marks),
            )
            .order_by("-search_rank", "topic__order", "slug")
        )

    def _search_sqlite(self, match: str):
        fts = "interviews_question_fts"

        def per_row(expression):
            # The outer table keeps its name as alias; FTS5 looks a rowid up directly.
            return RawSQL(
                f"SELECT {expression} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = interviews_question.id",
                [match],
            )

        start, end = full_text.MARK_START, full_text.MARK_END
        return (
            self.filter(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match]))
            .annotate(
                # bm25 is lower for better matches; a prompt hit counts ten times a body hit.
                search_rank=per_row(f"-bm25({fts}, 10.0, 3.0, 1.0)"),
                match_prompt=per_row(f"highlight({fts}, 0, '{start}', '{end}')"),
                match_body=per_row(f"snippet({fts}, 1, '{start}', '{end}', '…', 24)"),
                match_answer=per_row(f"snippet({fts}, 2, '{start}', '{end}', '…', 24)"),
            )
            .order_by("-search_rank", "topic__order", "slug")
        )

    def with_bookmark_state(self, user):
        if not user.is_authenticated:
            return self.annotate(is_bookmarked=models.Value(False))
        return self.annotate(is_bookmarked=Exists(Bookmark.objects.filter(user=user, question=OuterRef("pk"))))


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single answer"
        MULTIPLE = "multiple", "Multiple answers"
        TRUE_FALSE = "true_false", "True or false"
        SHORT = "short", "Short answer"
        OUTPUT = "output", "Predict the output"
        OPEN = "open", "Open (interview)"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=12, choices=Kind)
    difficulty = models.CharField(max_length=8, choices=Difficulty, default=Difficulty.MEDIUM)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    prompt = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown shown under the prompt.")
    answer = models.TextField(
        blank=True, help_text="Markdown. The model answer (open questions) or the explanation shown after grading."
    )
    key_points = models.TextField(blank=True, help_text="Open questions: one key point per line.")
    answer_regex = models.CharField(
        max_length=300, blank=True, help_text="Short answers: an optional Python regex that must match in full."
    )
    strict_names = models.BooleanField(
        default=False,
        help_text="Short answers: accept only the names as written (no optional receiver, torch./nn./F. prefix or ()).",
    )
    seed_number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The seed question it came from.")
    version = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The question's file form as load_question_bank last wrote (or found) it: when what is stored
    # no longer matches, someone changed it since, and the loader leaves it alone.
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    prompt_html = models.TextField(blank=True, editable=False)
    body_html = models.TextField(blank=True, editable=False)
    answer_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["prompt_html", "body_html", "answer_html", "content_hash", "loaded_hash", "updated_at"]
    )
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "seed_number", "slug"]
        indexes = [models.Index(fields=["status", "topic", "difficulty", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "true_false", "short", "output", "open"]),
                name="question_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__in=["easy", "medium", "hard"]), name="question_difficulty_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]), name="question_status_known"
            ),
            models.CheckConstraint(condition=~Q(prompt=""), name="question_prompt_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="question_version_positive"),
        ]

    def __str__(self):
        return self.prompt

    def save(self, *args, **kwargs):
        # Rendered HTML is derived from the Markdown, so no page parses Markdown per request.
        self.prompt_html = render_inline(self.prompt)
        self.body_html = render_markdown(self.body)
        self.answer_html = render_markdown(self.answer)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("interviews:question-detail", args=[self.slug])

    @property
    def search_snippet(self):
        """Why a search found this question beyond its prompt: the marked body, or else the marked answer."""
        for name in ("match_body", "match_answer"):
            if html := full_text.snippet_html(getattr(self, name, "")):
                return html
        return ""

    @property
    def search_prompt_html(self):
        """The prompt with the searched words marked, or its usual rendering when none is."""
        # prompt_html is sanitised when the question is saved.
        return full_text.snippet_html(getattr(self, "match_prompt", "")) or mark_safe(self.prompt_html)

    @property
    def is_auto_graded(self) -> bool:
        return self.kind != self.Kind.OPEN

    @property
    def key_point_list(self) -> list[str]:
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    def rule_errors(self) -> list[str]:
        """The kind's rules checked against what is stored now."""
        return kind_rule_errors(
            self.kind,
            choices=[ChoiceSpec(c.text, c.is_correct) for c in self.choices.all()],
            accepted_answers=[a.text for a in self.accepted_answers.all()],
            answer_regex=self.answer_regex,
            answer=self.answer,
            key_points=self.key_point_list,
            body=self.body,
        )

    def fingerprint(self) -> str:
        """A hash of everything a learner sees; when it changes, the version goes up."""
        content = {
            "prompt": self.prompt,
            "body": self.body,
            "answer": self.answer,
            "key_points": self.key_point_list,
            "kind": self.kind,
            "choices": [[c.text, c.is_correct, c.explanation] for c in self.choices.all()],
            "accepted": sorted(a.text for a in self.accepted_answers.all()),
            "regex": self.answer_regex,
            "strict_names": self.strict_names,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def record_content_change(self, *, by=None) -> bool:
        """Bump the version when the learner-visible content changed since the last call."""
        new_hash = self.fingerprint()
        if new_hash == self.content_hash:
            return False
        if self.content_hash:
            self.version += 1
        self.content_hash = new_hash
        if by is not None:
            self.updated_by = by
        self.save(update_fields=["version", "content_hash", "updated_by", "updated_at"])
        return True

    def publish(self, *, by=None):
        if errors := self.rule_errors():
            raise ValidationError(errors)
        self._set_status(self.Status.PUBLISHED, by)

    def unpublish(self, *, by=None):
        self._set_status(self.Status.DRAFT, by)

    def archive(self, *, by=None):
        self._set_status(self.Status.ARCHIVED, by)

    def _set_status(self, status, by):
        self.status = status
        if by is not None:
            self.updated_by = by
        self.save(update_fields=["status", "updated_by", "updated_at"])

    def duplicate(self, *, by=None) -> "Question":
        """A draft copy with the same choices and accepted answers, for a curator to adapt."""
        copy = Question.objects.get(pk=self.pk)
        copy.pk = None
        copy.slug = _free_slug(f"{self.slug}-copy")
        copy.status = self.Status.DRAFT
        copy.version = 1
        copy.content_hash = ""
        copy.loaded_hash = ""
        copy.updated_by = by
        copy.save()
        Choice.objects.bulk_create(
            Choice(
                question=copy,
                text=c.text,
                text_html=c.text_html,
                is_correct=c.is_correct,
                explanation=c.explanation,
                explanation_html=c.explanation_html,
                order=c.order,
            )
            for c in self.choices.all()
        )
        AcceptedAnswer.objects.bulk_create(
            AcceptedAnswer(question=copy, text=a.text) for a in self.accepted_answers.all()
        )
        copy.record_content_change()
        return copy


def _free_slug(base: str) -> str:
    slug, n = base[:110], 2
    while Question.objects.filter(slug=slug).exists():
        slug, n = f"{base[:110]}-{n}", n + 1
    return slug


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500, help_text="Markdown (one line).")
    is_correct = models.BooleanField(default=False)
    explanation = models.TextField(blank=True, help_text="Markdown: why this choice is right or wrong.")
    order = models.PositiveSmallIntegerField(default=0)
    text_html = models.TextField(blank=True, editable=False)
    explanation_html = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["text_html", "explanation_html"])

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="choice_text_not_empty")]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        self.text_html = render_inline(self.text)
        self.explanation_html = render_markdown(self.explanation)


class AcceptedAnswer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="accepted_answers")
    text = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="accepted_answer_unique_per_question"),
            models.CheckConstraint(condition=~Q(text=""), name="accepted_answer_not_empty"),
        ]

    def __str__(self):
        return self.text


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="bookmark_once_per_question")]

    def __str__(self):
        return f"{self.user} → {self.question.slug}"


class Note(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="note_once_per_question")]

    def __str__(self):
        return f"Note by {self.user} on {self.question.slug}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Report(models.Model):
    """A learner's report of a problem with a question, triaged by curators in admin."""

    DAILY_LIMIT = 20

    class Reason(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", "The answer is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        TYPO = "typo", "Typo or formatting"
        OUTDATED = "outdated", "Outdated"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    question_version = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason)
    text = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["wrong_answer", "unclear", "typo", "outdated", "other"]),
                name="report_reason_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.question.slug}"

    def resolve(self, *, now):
        self.status = self.Status.RESOLVED
        self.resolved_at = now
        self.save(update_fields=["status", "resolved_at"])
