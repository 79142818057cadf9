"""SQLite only: an FTS5 index of the questions' prompt, body and answer, kept in step by triggers.

PostgreSQL searches with tsvector expressions and needs no table. Triggers (not save()) keep the
index right after bulk inserts, queryset updates and deletes too.
"""

from django.db import migrations

FTS = "interviews_question_fts"
CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(prompt, body, answer, tokenize = 'porter unicode61 remove_diacritics 2')",
    f"INSERT INTO {FTS}(rowid, prompt, body, answer) SELECT id, prompt, body, answer FROM interviews_question",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON interviews_question BEGIN
        INSERT INTO {FTS}(rowid, prompt, body, answer) VALUES (new.id, new.prompt, new.body, new.answer);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF id, prompt, body, answer ON interviews_question BEGIN
        DELETE FROM {FTS} WHERE rowid = old.id;
        INSERT INTO {FTS}(rowid, prompt, body, answer) VALUES (new.id, new.prompt, new.body, new.answer);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON interviews_question BEGIN
        DELETE FROM {FTS} WHERE rowid = old.id;
    END""",
]
DROP = [f"DROP TRIGGER IF EXISTS {FTS}_{event}" for event in ("insert", "update", "delete")] + [
    f"DROP TABLE IF EXISTS {FTS}"
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("interviews", "0010_question_loaded_hash")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
