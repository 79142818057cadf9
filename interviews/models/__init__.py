"""Models, one module per concern: the question bank, and quizzes with their answers."""

from interviews.models.bank import AcceptedAnswer, Bookmark, Choice, Note, Question, QuestionQuerySet, Report, Topic
from interviews.models.chains import FollowUp
from interviews.models.health import HealthProbe
from interviews.models.journal import JournalEntry
from interviews.models.learner import DueSummary, Profile, ReviewCard
from interviews.models.quiz import Answer, Quiz, QuizQuestion

__all__ = [
    "AcceptedAnswer",
    "Answer",
    "Bookmark",
    "Choice",
    "DueSummary",
    "FollowUp",
    "HealthProbe",
    "JournalEntry",
    "Note",
    "Profile",
    "Question",
    "QuestionQuerySet",
    "Quiz",
    "QuizQuestion",
    "Report",
    "ReviewCard",
    "Topic",
]
