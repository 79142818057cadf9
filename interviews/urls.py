from django.urls import path

from interviews.views import accounts, bank, builder, dashboard, pages, quiz, review

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
    path("review/", review.review, name="review"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.export, name="dashboard-export"),
    path("quiz/new/", builder.quiz_new, name="quiz-new"),
    path("quiz/<int:pk>/", quiz.quiz_detail, name="quiz-detail"),
    path("quiz/<int:pk>/results/", quiz.quiz_results, name="quiz-results"),
]
