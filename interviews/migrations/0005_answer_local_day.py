import datetime

from django.db import migrations, models


def fill_local_day(apps, schema_editor):
    Answer = apps.get_model("interviews", "Answer")
    for answer in Answer.objects.only("id", "answered_at").iterator():
        Answer.objects.filter(pk=answer.pk).update(local_day=answer.answered_at.date())


class Migration(migrations.Migration):
    dependencies = [("interviews", "0004_spaced_review")]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="local_day",
            field=models.DateField(default=datetime.date(2026, 1, 1)),
            preserve_default=False,
        ),
        migrations.RunPython(fill_local_day, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["user", "local_day", "is_correct", "time_taken_ms"], name="answer_user_day"),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["user", "question", "is_correct"], name="answer_user_question"),
        ),
    ]
