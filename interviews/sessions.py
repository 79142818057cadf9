"""Django's database sessions (and cached ones with Redis), read with one written-out query: the
session is read on every request, and building its query with the ORM cost more than running it."""

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from interviews.rows import fetch_one

READ = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"  # Session._meta.db_table


class StoredSession:
    def __init__(self, session_data: str):
        self.session_data = session_data


def read_session(store) -> StoredSession | None:
    """What db.SessionStore._get_session_from_db() returns: the unexpired row, or None (and no key)."""
    key = store.session_key
    row = fetch_one(READ, [key, connection.ops.adapt_datetimefield_value(timezone.now())]) if key else None
    if row is None:
        store._session_key = None
        return None
    return StoredSession(row[0])


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        return read_session(self)
