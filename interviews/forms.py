"""Forms: they parse and validate what people type."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone

from interviews.models import Note, Question, Report

User = get_user_model()


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="For password resets only. We never share it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Deleting your account removes your quizzes, answers, bookmarks and notes for good.",
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
