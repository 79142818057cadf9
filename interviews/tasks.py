"""Work done off the request path by the task worker (`manage.py db_worker`): account mail.

A mail sent inside the request costs the SMTP round trip, and its timing tells whether the
address has an account; a queued task costs the same whatever the answer.
"""

from django.tasks import task

from interviews import accounts


@task
def send_password_reset(*, email: str, domain: str, use_https: bool):
    accounts.mail_password_reset(email=email, domain=domain, use_https=use_https)


@task
def tell_owners_of_address(*, user_id: int, domain: str, use_https: bool):
    accounts.mail_owners_of_address(user_id=user_id, domain=domain, use_https=use_https)
