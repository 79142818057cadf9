"""Curators may add, change and remove follow-up links."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from interviews.curators import sync_curators_group


def sync_curators(apps, schema_editor):
    # Permissions are normally created after migrations; make sure the new model's exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_curators_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0013_follow_up_chains_and_quiz_drill_downs"),
    ]

    operations = [migrations.RunPython(sync_curators, migrations.RunPython.noop)]
