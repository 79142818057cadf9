"""Give an existing user curator rights: staff access to admin and the Curators group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from interviews.curators import sync_curators_group


class Command(BaseCommand):
    help = "Make USERNAME a curator (staff, in the Curators group)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}. Sign up first, then run this again.") from None
        group = sync_curators_group(Group, Permission)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"{username} is now a curator and can log in at /admin/."))
