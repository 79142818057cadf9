"""Forms: they parse and validate what people type."""

from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.utils import timezone
from django.utils.safestring import mark_safe

from interviews.learner_state import STATES
from interviews.models import Answer, JournalEntry, Note, Profile, Question, Quiz, Report
from interviews.shuffle import choice_order
from interviews.tasks import send_password_reset

User = get_user_model()


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


class SignupForm(UserCreationForm):
    # Filled in by the browser (Intl API); UTC when JavaScript is off.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}))
    email = forms.EmailField(
        help_text="For password resets only. We never share it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ASCII only, so nobody can sign up as a look-alike of `admin` spelt with a Cyrillic letter.
        self.fields["username"].validators.append(ASCIIUsernameValidator())
        self.fields["username"].help_text = "Letters a–z, digits and @ . + - _ only; 150 characters or fewer."

    def clean_username(self):
        username = super().clean_username()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with that username already exists.")
        return username

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"]
        return zone if zone in available_timezones() else "UTC"

    def clean_email(self):
        # Not checked against other accounts: saying "taken" would tell anyone who has an account.
        # The address's owner is told by email instead (see interviews.accounts).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """The task worker looks the address up and sends the link, so this answers in the same time
    whether or not an account uses the address."""

    def save(self, *, request, use_https=False, **kwargs):
        send_password_reset.enqueue(email=self.cleaned_data["email"], domain=request.get_host(), use_https=use_https)


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label="Time zone", help_text="Days, streaks and due reviews follow this time zone.")
    desired_retention = forms.FloatField(
        label="Desired retention",
        min_value=0.7,
        max_value=0.97,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text="0.70 to 0.97. Higher means you remember more, with more reviews a day. 0.90 suits most people.",
    )

    class Meta:
        model = Profile
        fields = list(Profile.SETTINGS)
        widgets = {"interview_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    # Settings added later keep their stored value when a form (or an older client) leaves them out.
    KEEP_WHEN_MISSING = ["new_per_day_cap", "leech_lapses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        for name in self.KEEP_WHEN_MISSING:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_WHEN_MISSING:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        zone = cleaned.get("time_zone") or self.instance.time_zone
        day = cleaned.get("interview_date")
        if day and day < timezone.now().astimezone(ZoneInfo(zone)).date():
            self.add_error("interview_date", "That day has passed. Pick today or a later day, or leave it empty.")
        cap, usual = cleaned.get("new_per_day_cap"), cleaned.get("new_per_day")
        if cap is not None and usual is not None and cap < usual:
            self.add_error(
                "new_per_day_cap", f"Allow at least your usual {usual} new questions a day, or lower that first."
            )
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Deleting your account removes your quizzes, answers, bookmarks, notes, mistake journal and "
        "review schedule for good.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.")
        return password


class QuestionFilterForm(forms.Form):
    """The bank's filters; the query string is the state, so every field is optional."""

    q = forms.CharField(
        label="Search", required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    topic = forms.ChoiceField(label="Topic", required=False)
    difficulty = forms.ChoiceField(label="Difficulty", required=False)
    kind = forms.ChoiceField(label="Kind", required=False)

    def __init__(self, data, *, topics):
        super().__init__(data)
        self.fields["topic"].choices = [("", "All topics"), *((t.slug, t.name) for t in topics)]
        self.fields["difficulty"].choices = [("", "Any difficulty"), *Question.Difficulty.choices]
        self.fields["kind"].choices = [("", "Any kind"), *Question.Kind.choices]

    def filter(self, questions):
        """Apply the valid filters; an invalid one is reported by the form and ignored here."""
        data = getattr(self, "cleaned_data", {})
        if topic := data.get("topic"):
            questions = questions.filter(topic__slug=topic)
        if difficulty := data.get("difficulty"):
            questions = questions.filter(difficulty=difficulty)
        if kind := data.get("kind"):
            questions = questions.filter(kind=kind)
        if text := data.get("q"):
            questions = questions.search(text)
        return questions


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        labels = {"body": "Your private note"}
        help_texts = {"body": "Markdown works. Only you can see this note. Save it empty to delete it."}
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "text"]
        labels = {"reason": "What is wrong?", "text": "Details (optional)"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        since = timezone.now() - timedelta(days=1)
        if self.user.reports.filter(created_at__gte=since).count() >= Report.DAILY_LIMIT:
            raise forms.ValidationError(
                f"You have sent {Report.DAILY_LIMIT} reports in the last 24 hours, the most we take in a day. "
                "Thank you! Please try again tomorrow."
            )
        return cleaned


class QuizBuilderForm(forms.Form):
    PRESETS = {
        "quick10": "Quick 10",
        "pytorch-core": "All of PyTorch core",
        "bookmarks": "My bookmarks",
        "missed": "Questions I missed",
        "mistakes": "Drill my open mistakes",
    }

    topics = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked means every topic."
    )
    difficulties = forms.MultipleChoiceField(
        label="Difficulty", required=False, choices=Question.Difficulty.choices, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label="Question kinds",
        required=False,
        choices=[c for c in Question.Kind.choices if c[0] != "open"],
        widget=forms.CheckboxSelectMultiple,
        help_text="Practice and exam. Interview mode always asks open questions.",
    )
    size = forms.IntegerField(
        label="Number of questions",
        min_value=Quiz.MIN_SIZE,
        max_value=Quiz.MAX_SIZE,
        initial=10,
        help_text=f"From {Quiz.MIN_SIZE} to {Quiz.MAX_SIZE}. If fewer questions match, the quiz has fewer.",
    )
    mode = forms.ChoiceField(
        choices=[
            ("practice", "Practice: feedback after every answer"),
            ("exam", "Exam: no feedback until you submit, optional time limit"),
            ("interview", "Interview: open questions, reveal the model answer and rate yourself"),
        ],
        initial="practice",
        widget=forms.RadioSelect,
    )
    time_limit_minutes = forms.IntegerField(
        label="Exam time limit (minutes)",
        required=False,
        min_value=1,
        max_value=180,
        help_text="Exam mode only. Leave empty for no limit.",
    )
    per_question_minutes = forms.TypedChoiceField(
        label="Interview clock per question",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "No clock"), (1, "1 minute"), (2, "2 minutes"), (3, "3 minutes"), (5, "5 minutes")],
    )
    follow_ups = forms.BooleanField(
        label="Ask follow-up questions as drill-downs",
        required=False,
        initial=True,
        help_text="Interview mode only: a question with follow-ups is followed by them, as an interviewer digs "
        "deeper, until your first shaky answer (Again or Hard).",
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.slug, t.name) for t in topics]


class AnswerForm(forms.Form):
    """One answer to one question; the fields depend on the question's kind."""

    MAX_TEXT = 5000

    def __init__(self, *args, question, seed: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.kind in {"single", "true_false", "multiple"}:
            multiple = question.kind == "multiple"
            field_class = forms.TypedMultipleChoiceField if multiple else forms.TypedChoiceField
            ordered = choice_order(question.choices.all(), kind=question.kind, seed=seed)
            self.fields["choice"] = field_class(
                coerce=int,
                choices=[(c.pk, mark_safe(c.text_html)) for c in ordered],  # sanitised when saved
                error_messages={
                    "required": "Choose at least one answer." if multiple else "Choose an answer.",
                    "invalid_choice": "That choice is not one of this question's.",
                },
            )
        elif question.kind == "short":
            self.fields["text"] = forms.CharField(
                label="Your answer",
                max_length=200,
                error_messages={"required": "Type an answer."},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
            )
        elif question.kind == "output":
            self.fields["text"] = forms.CharField(
                label="What it prints (or the error it raises)",
                max_length=1000,
                strip=True,
                help_text="Enter checks it; Shift+Enter starts a new line.",
                widget=forms.Textarea(
                    attrs={"rows": 2, "spellcheck": "false", "autocapitalize": "off", "data-enter-submits": ""},
                ),
                error_messages={"required": "Type what the code prints, or the name of the error it raises."},
            )
        else:
            self.fields["text"] = forms.CharField(
                label="Your answer (optional)", required=False, max_length=self.MAX_TEXT, widget=forms.Textarea
            )
        if "text" in self.fields:
            # Typing goes straight into the answer box when the question appears.
            self.fields["text"].widget.attrs["data-autofocus"] = ""
        # Optional: a learner may turn the question off, or skip it; it then counts nowhere.
        self.fields["confidence"] = forms.TypedChoiceField(
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "Not said"), *Answer.Confidence.choices],
            error_messages={"invalid_choice": "Say Sure, Think so or Guessing."},
        )

    def clean_choice(self):
        # The widget reads one value of many, and a list field keeps repeats: check what was sent.
        sent = self.data.getlist(self.add_prefix("choice"))
        if self.question.kind != "multiple" and len(sent) != 1:
            raise forms.ValidationError("Choose exactly one answer.")
        if len(set(sent)) != len(sent):
            raise forms.ValidationError("Choose each answer at most once.")
        return self.cleaned_data["choice"]

    def choice_ids(self) -> list[int]:
        value = self.cleaned_data.get("choice")
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        choices=[("again", "Again"), ("hard", "Hard"), ("good", "Good"), ("easy", "Easy")],
        error_messages={
            "required": "Choose how well you answered.",
            "invalid_choice": "Choose Again, Hard, Good or Easy.",
        },
    )
    points = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, key_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [(i, point) for i, point in enumerate(key_points)]


class JournalEntryForm(forms.ModelForm):
    """The learner's reason for one miss: one of four, and a line in their own words."""

    class Meta:
        model = JournalEntry
        fields = ["reason", "note"]
        labels = {"reason": "Why did you miss it?", "note": "In your own words (optional)"}
        widgets = {"note": forms.TextInput(attrs={"autocomplete": "off"})}
        error_messages = {"note": {"max_length": "Keep it to one line of at most 200 characters."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Not said yet"), *JournalEntry.Reason.choices]


class JournalFilterForm(forms.Form):
    """The journal's filters; the query string is the state, so every field is optional."""

    STATUSES = [("open", "Open"), ("resolved", "Resolved"), ("all", "All")]
    NO_REASON = "none"

    status = forms.ChoiceField(label="Status", required=False, choices=STATUSES)
    reason = forms.ChoiceField(label="Reason", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)

    def __init__(self, data, *, topics):
        super().__init__(data)
        self.fields["reason"].choices = [
            ("", "Any reason"),
            (self.NO_REASON, "No reason given yet"),
            *JournalEntry.Reason.choices,
        ]
        self.fields["topic"].choices = [("", "All topics"), *((t.slug, t.name) for t in topics)]

    def filter(self, entries):
        """Apply the valid filters (open entries unless asked otherwise); invalid ones are reported by the form."""
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or "open"
        if status == "open":
            entries = entries.open()
        elif status == "resolved":
            entries = entries.resolved()
        if reason := data.get("reason"):
            entries = entries.filter(reason="" if reason == self.NO_REASON else reason)
        if topic := data.get("topic"):
            entries = entries.filter(question__topic__slug=topic)
        return entries


class LearnerStateForm(forms.Form):
    """The bank filtered by the learner's own state of each question; part of the bank's query string."""

    state = forms.ChoiceField(label="My progress", required=False, choices=[("", "Any"), *STATES.items()])
