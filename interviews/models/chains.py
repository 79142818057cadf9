"""Follow-up chains: a curator links a question to the one an interviewer would ask next."""

from django.db import models
from django.db.models import F, Q

from interviews.models.bank import Question


class FollowUp(models.Model):
    """One link of a drill-down chain. Each question has at most one follow-up and follows at most one
    question, so links make straight chains; a chain holds 2 to MAX_CHAIN open questions."""

    MAX_CHAIN = 4

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="follow_up_link")
    follow_up = models.OneToOneField(
        Question,
        on_delete=models.CASCADE,
        related_name="asked_after",
        limit_choices_to={"kind": Question.Kind.OPEN},
        help_text="The open question an interviewer would ask next, digging deeper into the answer.",
    )

    class Meta:
        verbose_name = "follow-up link"  # not "question": admin lists it beside Questions
        constraints = [models.CheckConstraint(condition=~Q(question=F("follow_up")), name="follow_up_not_itself")]

    def __str__(self):
        return f"{self.question_id} → {self.follow_up_id}"
