"""Signing in with Django's user model. The session's user is read together with the learner's
kept due counts, which the navigation shows on every page: one written-out query, not two built
by the ORM."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from interviews.models import DueSummary
from interviews.rows import Columns, fetch_one

UserModel = get_user_model()


class LearnerBackend(ModelBackend):
    def get_user(self, user_id):
        user_columns, due_columns, sql = _user_query()
        row = fetch_one(sql, [user_id])
        if row is None:
            return None
        user = user_columns.build(row, 0)
        UserModel.due_summary.related.set_cached_value(user, due_columns.build(row, len(user_columns)))
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Stop here, so that the plain ModelBackend listed after this one (it serves sessions
            # signed in before this backend existed) does not hash a wrong password a second time.
            raise PermissionDenied
        return user


@cache
def _user_query():
    user, due = Columns(UserModel, "u"), Columns(DueSummary, "d")
    sql = (
        f"SELECT {user.sql}, {due.sql} FROM {UserModel._meta.db_table} u "
        f"LEFT JOIN {DueSummary._meta.db_table} d ON d.user_id = u.id WHERE u.id = %s"
    )
    return user, due, sql
