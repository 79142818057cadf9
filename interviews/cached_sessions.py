"""Sessions kept in the cache (Redis) and the database, read from the database as interviews.sessions does."""

from django.contrib.sessions.backends import cached_db

from interviews.sessions import read_session


class SessionStore(cached_db.SessionStore):
    def _get_session_from_db(self):
        return read_session(self)
