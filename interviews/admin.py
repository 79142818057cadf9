"""Curation in Django admin: questions with their choices, history, import/export and report triage."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from interviews.bank import Bank, export_questions, load_bank, parse_document, validate_bank
from interviews.markdown import render_inline, render_markdown
from interviews.models import AcceptedAnswer, Choice, Question, Report, Topic
from interviews.rules import (
    TYPED_KINDS,
    ChoiceSpec,
    choice_rule_errors,
    open_rule_errors,
    output_rule_errors,
    short_answer_rule_errors,
)
from interviews.statistics import overridden_texts, with_answer_statistics

# The app list beside every page left the question list's statistics off-screen at 1366 px.
admin.site.enable_nav_sidebar = False
ACCEPT_OVERRIDE = "_accept_override"


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "question_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(ordering="question_count", description="Questions")
    def question_count(self, topic):
        return topic.question_count


def _live_forms(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)]


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        choices = [ChoiceSpec(f.cleaned_data["text"], f.cleaned_data["is_correct"]) for f in _live_forms(self)]
        if errors := choice_rule_errors(self.instance.kind, choices):
            raise ValidationError(errors)


class AcceptedAnswerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        accepted = [f.cleaned_data["text"] for f in _live_forms(self)]
        if errors := short_answer_rule_errors(self.instance.kind, accepted, self.instance.answer_regex):
            raise ValidationError(errors)


def _rows_for(text: str, *, width: int = 60, least: int = 2, most: int = 14) -> int:
    """Enough textarea rows to show `text` whole, for browsers that cannot size a box to its content."""
    lines = sum(max(1, -(-len(line) // width)) for line in (text or "").splitlines() or [""])
    return max(least, min(most, lines + 1))


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["order", "text", "is_correct", "explanation"]
        # A tabular inline shows column headings, not labels: name each box for screen readers.
        widgets = {
            "order": forms.NumberInput(attrs={"aria-label": "Order"}),
            "text": forms.TextInput(attrs={"size": 50, "aria-label": "Choice text"}),
            "is_correct": forms.CheckboxInput(attrs={"aria-label": "Is correct"}),
            "explanation": forms.Textarea(attrs={"rows": 2, "cols": 50, "aria-label": "Explanation"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["explanation"].widget.attrs["rows"] = _rows_for(self.initial.get("explanation", ""), width=50)


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    fields = ["order", "text", "is_correct", "explanation"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new question starts with four empty choices; an existing one shows only its own.
        return 4 if obj is None else 0


class AcceptedAnswerInline(admin.TabularInline):
    model = AcceptedAnswer
    formset = AcceptedAnswerFormSet
    extra = 0
    formfield_overrides = {
        AcceptedAnswer._meta.get_field("text").__class__: {
            "widget": forms.TextInput(attrs={"aria-label": "Accepted answer"})
        }
    }


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "prompt",
            "slug",
            "topic",
            "kind",
            "difficulty",
            "status",
            "seed_number",
            "body",
            "answer",
            "key_points",
            "answer_regex",
            "strict_names",
        ]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 3, "cols": 80, "maxlength": 300})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body", "answer", "key_points"):
            widget = self.fields[name].widget
            widget.attrs.update(cols=80, rows=_rows_for(self.initial.get(name, ""), width=80, least=4, most=30))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            key_points = [line for line in cleaned.get("key_points", "").splitlines() if line.strip()]
            errors = open_rule_errors(kind, cleaned.get("answer", ""), key_points)
            errors += output_rule_errors(kind, cleaned.get("body", ""))
            if errors:
                raise ValidationError(errors)
        return cleaned


class AnsweredFilter(admin.SimpleListFilter):
    title = "answers"
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("never", "Never answered"), ("yes", "Answered")]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(times_answered=0)
        if self.value() == "yes":
            return queryset.filter(times_answered__gt=0)
        return queryset


class OpenReportsFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", "Has open reports")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(reports__status=Report.Status.OPEN).distinct()
        return queryset


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    form = QuestionAdminForm
    inlines = [ChoiceInline, AcceptedAnswerInline]
    list_display = [
        "short_prompt",
        "topic",
        "kind",
        "difficulty",
        "status",
        "answered",
        "correct",
        "discrimination_index",
        "overrides",
        "reports",
    ]
    list_filter = ["status", "topic", "kind", "difficulty", AnsweredFilter, OpenReportsFilter]
    search_fields = ["prompt", "slug", "body", "answer"]
    list_select_related = ["topic"]
    prepopulated_fields = {"slug": ["prompt"]}
    readonly_fields = ["version", "updated_by", "updated_at", "statistics", "preview", "learner_overrides"]
    actions = ["publish", "unpublish", "archive", "duplicate", "export_yaml"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["prompt", "slug", "topic", "kind", "difficulty", "status", "seed_number"]}),
        ("Content", {"fields": ["body", "answer", "key_points", "answer_regex", "strict_names"]}),
        ("Preview", {"fields": ["preview"]}),
        ("How learners do", {"fields": ["statistics"]}),
        ("Answers learners claimed were right", {"fields": ["learner_overrides"]}),
        ("Record", {"fields": ["version", "updated_by", "updated_at"]}),
    ]
    change_list_template = "admin/interviews/question/change_list.html"

    class Media:
        # htmx for the live preview, and the field switcher: files, as the CSP allows no inline script.
        js = ["vendor/htmx-4.0.1.min.js", "js/admin-question.js"]
        css = {"all": ["css/pygments.css", "css/admin-question.css"]}

    def get_queryset(self, request):
        open_reports = (
            Report.objects.filter(question=OuterRef("pk"), status=Report.Status.OPEN)
            .values("question")
            .annotate(n=Count("id"))
            .values("n")
        )
        # A subquery, so the count is not multiplied by the answers joined for the statistics.
        questions = super().get_queryset(request).annotate(open_reports=Coalesce(Subquery(open_reports), 0))
        return with_answer_statistics(questions)

    @admin.display(description="Question", ordering="prompt")
    def short_prompt(self, question):
        return Truncator(question.prompt).chars(90)

    @admin.display(description="Reports", ordering="open_reports")
    def reports(self, question):
        return question.open_reports

    @admin.display(description="Statistics")
    def statistics(self, question):
        if not question.pk:
            return "Statistics appear once learners answer the question."
        reports_url = reverse("admin:interviews_report_changelist")
        return format_html(
            '<dl class="question-statistics">'
            "<dt>Answered</dt><dd>{}</dd><dt>Share correct</dt><dd>{}</dd>"
            '<dt>Discrimination <span class="help">(top quarter of exam scorers minus bottom quarter)</span></dt>'
            "<dd>{}</dd><dt>“I was right” overrides</dt><dd>{}</dd>"
            '<dt>Open reports</dt><dd><a href="{}?question__id__exact={}&amp;status__exact=open">{}</a></dd></dl>',
            question.times_answered,
            self.correct(question),
            self.discrimination_index(question),
            question.times_overridden,
            reports_url,
            question.pk,
            question.open_reports,
        )

    @admin.display(description="Answered", ordering="times_answered")
    def answered(self, question):
        return question.times_answered

    @admin.display(description="Correct", ordering="share_correct")
    def correct(self, question):
        return "—" if question.share_correct is None else f"{question.share_correct:.0%}"

    @admin.display(description="Discrim.", ordering="discrimination")
    def discrimination_index(self, question):
        # Top-quarter exam scorers' share correct minus the bottom quarter's; low or negative is suspect.
        return "—" if question.discrimination is None else f"{question.discrimination:+.2f}"

    @admin.display(description="Overrides", ordering="times_overridden")
    def overrides(self, question):
        # Learners who said "I was right": many suggest the accepted answers are too narrow.
        return question.times_overridden

    @admin.display(description="Typed answers")
    def learner_overrides(self, question):
        if not question.pk or question.kind not in TYPED_KINDS:
            return "Only short-answer and output questions can be overridden by learners."
        rows = overridden_texts(question)
        if not rows:
            return "No learner has claimed a typed answer was right."
        accepted = {a.text for a in question.accepted_answers.all()}
        items = format_html_join(
            "",
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row["text"],
                    row["times"],
                    "already accepted"
                    if row["text"] in accepted
                    else format_html(
                        '<button type="submit" name="{}" value="{}" class="button">Add to accepted answers</button>',
                        ACCEPT_OVERRIDE,
                        row["text"][:200],
                    ),
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>Typed</th><th>Times</th><th></th></tr></thead><tbody>{}</tbody></table>"
            '<p class="help">Adding saves the whole form, then adds the text as an accepted answer.</p>',
            items,
        )

    def response_change(self, request, obj):
        if ACCEPT_OVERRIDE in request.POST:
            return redirect(reverse("admin:interviews_question_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            # A revert from History brings back the old version number (and no content hash):
            # keep the stored ones, so the revert becomes the next version and versions only increase.
            obj.version, obj.content_hash = Question.objects.values_list("version", "content_hash").get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        question = form.instance
        text = request.POST.get(ACCEPT_OVERRIDE, "").strip()[:200]
        if text and question.kind in TYPED_KINDS:
            _, added = AcceptedAnswer.objects.get_or_create(question=question, text=text)
            if added:
                self.message_user(request, f"Added {text!r} to the accepted answers.", messages.SUCCESS)
        question.record_content_change(by=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            # A revert saves the question's own fields without save_related(): record its version here.
            Question.objects.get(pk=object_id).record_content_change(by=request.user)
        return response

    def render_history_view(self, request, template, context, **kwargs):
        # The revert form has no file input; posted multipart, the site would refuse it as an upload.
        context["has_file_field"] = False
        return super().render_history_view(request, template, context, **kwargs)

    @admin.display(description="Preview")
    def preview(self, question):
        saved = _preview_html(question, list(question.choices.all()) if question.pk else [], _accepted(question))
        return format_html(
            '<button type="button" class="button" hx-post="{}" hx-target="#question-preview" hx-swap="innerHTML">'
            "Preview unsaved changes</button>"
            '<p class="help">Shows the form as it is now, rendered as on the site. Nothing is saved.</p>'
            '<div id="question-preview" class="question-preview" aria-live="polite">{}</div>',
            reverse("admin:interviews_question_preview"),
            saved,
        )

    def preview_view(self, request):
        """The unsaved form rendered as the site renders it (htmx posts the whole change form here)."""
        if request.method != "POST":
            return HttpResponse("Post the question form.", status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return HttpResponse("You may not preview questions.", status=403)
        data = request.POST
        question = Question(
            prompt=data.get("prompt", ""),
            body=data.get("body", ""),
            answer=data.get("answer", ""),
            key_points=data.get("key_points", ""),
            kind=data.get("kind", ""),
            slug=data.get("slug", ""),
        )
        choices = []
        for row in _posted_rows(data, "choices", ["text", "is_correct", "explanation"]):
            choice = Choice(text=row["text"], is_correct=bool(row["is_correct"]), explanation=row["explanation"])
            choice.render()
            choices.append(choice)
        accepted = [row["text"] for row in _posted_rows(data, "accepted_answers", ["text"])]
        return HttpResponse(_preview_html(question, choices, accepted, unsaved=True))

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for question in queryset.prefetch_related("choices", "accepted_answers"):
            try:
                question.publish(by=request.user)
                published += 1
            except ValidationError as error:
                refused.append(f"{question.slug}: {'; '.join(error.messages)}")
        if published:
            self.message_user(request, f"Published {published} question(s).", messages.SUCCESS)
        for problem in refused:
            self.message_user(request, f"Not published, {problem}", messages.ERROR)

    @admin.action(description="Unpublish selected questions (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        for question in queryset:
            question.unpublish(by=request.user)
        self.message_user(request, f"Moved {queryset.count()} question(s) back to draft.", messages.SUCCESS)

    @admin.action(description="Archive selected questions", permissions=["change"])
    def archive(self, request, queryset):
        for question in queryset:
            question.archive(by=request.user)
        self.message_user(request, f"Archived {queryset.count()} question(s).", messages.SUCCESS)

    @admin.action(description="Duplicate selected questions as drafts", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [question.duplicate(by=request.user) for question in queryset]
        self.message_user(request, f"Created {len(copies)} draft cop{'y' if len(copies) == 1 else 'ies'}.")

    @admin.action(description="Export selected questions as YAML", permissions=["view"])
    def export_yaml(self, request, queryset):
        response = HttpResponse(export_questions(queryset), content_type="application/yaml; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="questions-{stamp}.yaml"'
        return response

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="interviews_question_import"),
            path("preview/", self.admin_site.admin_view(self.preview_view), name="interviews_question_preview"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse("You may not import questions.", status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            bank = Bank()
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                errors = ["The file is not UTF-8 text."]
            else:
                errors = parse_document(text, upload.name, bank)
                errors += validate_bank(bank, set(Topic.objects.values_list("slug", flat=True)))
            if not errors:
                result = load_bank(bank, by=request.user)
                self.message_user(
                    request,
                    f"Imported {upload.name}: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:interviews_question_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import questions",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/interviews/question/import.html", context, status=422 if errors else 200
        )


def _accepted(question) -> list[str]:
    return [a.text for a in question.accepted_answers.all()] if question.pk else []


def _posted_rows(data, prefix: str, names: list[str]) -> list[dict]:
    """The live rows of an inline formset as posted: neither deleted nor left empty."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 100)
    except ValueError:
        return []
    rows = []
    for i in range(total):
        row = {name: data.get(f"{prefix}-{i}-{name}", "") for name in names}
        if row.get("text", "").strip() and not data.get(f"{prefix}-{i}-DELETE"):
            rows.append(row)
    return rows


def _preview_html(question, choices, accepted, *, unsaved=False) -> str:
    """The question as a learner sees it on the site, answer revealed (the site's Markdown rendering)."""
    context = {
        "prompt_html": render_inline(question.prompt),
        "body_html": render_markdown(question.body),
        "answer_html": render_markdown(question.answer),
        "question": question,
        "choices": choices,
        "accepted": accepted,
        "unsaved": unsaved,
    }
    return render_to_string("admin/interviews/question/preview.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A .yaml file in the bundled bank's format (see content/README.md).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_IMPORT_BYTES:
            raise ValidationError(f"The file is larger than {settings.MAX_IMPORT_BYTES / 1_000_000:g} MB.")
        return upload


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["question", "reason", "status", "question_version", "reporter", "created_at"]
    list_filter = ["status", "reason", ("question", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["question__prompt", "question__slug", "text"]
    list_select_related = ["question", "user"]
    readonly_fields = ["question", "question_version", "reason", "text", "reporter", "created_at", "resolved_at"]
    fields = [*readonly_fields[:4], "reporter", "status", "created_at", "resolved_at"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Reported by")
    def reporter(self, report):
        return report.user.get_username()

    @admin.action(description="Mark selected reports resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        now = timezone.now()
        for report in queryset.filter(~Q(status=Report.Status.RESOLVED)):
            report.resolve(now=now)
        self.message_user(request, "Marked as resolved.", messages.SUCCESS)
