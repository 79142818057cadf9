"""Signing in with Django's user model. The session's user is read together with the learner's
cached due summary, which the navigation shows on every page: one query, not two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

UserModel = get_user_model()


class LearnerBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("due_summary").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Stop here, so that the plain ModelBackend listed after this one (it serves sessions
            # signed in before this backend existed) does not hash a wrong password a second time.
            raise PermissionDenied
        return user
