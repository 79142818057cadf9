from django.db import migrations, models


def render_prompts(apps, schema_editor):
    from interviews.markdown import render_inline

    Question = apps.get_model("interviews", "Question")
    for question in Question.objects.only("id", "prompt").iterator():
        Question.objects.filter(pk=question.pk).update(prompt_html=render_inline(question.prompt))


class Migration(migrations.Migration):
    dependencies = [("interviews", "0005_answer_local_day")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="prompt_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_prompts, migrations.RunPython.noop),
    ]
