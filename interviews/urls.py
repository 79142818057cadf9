from django.urls import path, register_converter

from interviews.views import accounts, bank, builder, dashboard, journal, leeches, notes, pages, quiz, review

MAX_ID = 2**63 - 1


class IdConverter:
    """A database id in a URL. A larger number than any column can hold is a 404, not an overflow."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "interviews"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("metrics", pages.metrics, name="metrics"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/delete/", accounts.delete_account, name="delete-account"),
    path("questions/", bank.question_list, name="question-list"),
    path("questions/<slug:slug>/", bank.question_detail, name="question-detail"),
    path("bookmarks/", bank.bookmark_list, name="bookmark-list"),
    path("notes/", notes.note_list, name="note-list"),
    path("review/", review.review, name="review"),
    path("review/leeches/", leeches.leech_list, name="leech-list"),
    path("journal/", journal.journal, name="journal"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.export, name="dashboard-export"),
    path("quiz/new/", builder.quiz_new, name="quiz-new"),
    path("quiz/<id:pk>/", quiz.quiz_detail, name="quiz-detail"),
    path("quiz/<id:pk>/results/", quiz.quiz_results, name="quiz-results"),
]
