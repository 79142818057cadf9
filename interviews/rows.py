"""Model instances from one written-out query, for the reads every request makes.

On the hot paths (the session's user, the quiz card's question, the answer's question) building
the query with the ORM cost about ten times running it. Here the SQL is written once per query,
its rows turned into model instances with the same converters the ORM applies (SQLite returns
dates as text, for one), so the code and the templates that use them do not change.
"""

from django.db import connection


class Columns:
    """The concrete columns of one model under a table alias, and instances built from them."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self._converters = None

    def __len__(self):
        return len(self.fields)

    @property
    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def build(self, row, start: int):
        """The instance in row[start:start + len(self)], or None when its key is NULL (an outer join)."""
        values = list(row[start : start + len(self.fields)])
        if values[0] is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, convert(values, self.converters()))

    def converters(self):
        if self._converters is None:
            self._converters = column_converters([field.get_col(self.alias) for field in self.fields])
        return self._converters


def column_converters(expressions) -> list:
    """As the ORM's compiler does: the backend's converters, then the field's, for each column."""
    found = []
    for index, expression in enumerate(expressions):
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if converters:
            found.append((index, [(converter, expression) for converter in converters]))
    return found


def convert(values: list, converters) -> list:
    for index, column in converters:
        value = values[index]
        for converter, expression in column:
            value = converter(value, expression, connection)
        values[index] = value
    return values


def fetch_one(sql: str, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def insert(obj, *, conflict_fields=()) -> bool:
    """INSERT one new model instance, written out, and set its primary key. With conflict_fields,
    a row already there with the same values is left alone and False returned."""
    meta = obj._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
    conflict = ""
    if conflict_fields:
        conflict = f" ON CONFLICT ({', '.join(quote(name) for name in conflict_fields)}) DO NOTHING"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}){conflict} "
        f"RETURNING {quote(meta.pk.column)}"
    )
    row = fetch_one(sql, values)
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return True
