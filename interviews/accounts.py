"""Account workflows beyond Django's own: reset links for active accounts only, the account mails
(sent by the task worker), and deleting every trace of a person."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

User = get_user_model()


class ActiveAccountTokens(PasswordResetTokenGenerator):
    """Password-reset links that stop working when the account is deactivated."""

    def check_token(self, user, token):
        return user is not None and user.is_active and super().check_token(user, token)


reset_tokens = ActiveAccountTokens()


def mail_password_reset(*, email: str, domain: str, use_https: bool):
    """Mail a reset link to every active account with this address (none: nothing is sent)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https, token_generator=reset_tokens)


def mail_owners_of_address(*, user_id: int, domain: str, use_https: bool):
    """Tell the other accounts with a new account's address that it was used to sign up. Sign-up
    answers the same whether or not an address is taken; its owner learns of it this way."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    owners = User.objects.filter(email__iexact=user.email, is_active=True).exclude(pk=user.pk)
    for owner in owners:
        context = {
            "owner": owner,
            "new_username": user.get_username(),
            "reset_url": f"{'https' if use_https else 'http'}://{domain}{reverse('password_reset')}",
            "login_url": f"{'https' if use_https else 'http'}://{domain}{reverse('login')}",
        }
        send_mail(
            render_to_string("registration/address_in_use_subject.txt", context).strip(),
            render_to_string("registration/address_in_use_email.txt", context),
            None,
            [owner.email],
        )


def erase_account(user):
    """The account and everything kept about it, log-in records (username, IP, browser) included."""
    username = user.get_username()
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=username).delete()
        user.delete()
