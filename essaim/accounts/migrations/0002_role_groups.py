"""One group per role, with back-office access for moderators, editors and administrators.

Idempotent (get_or_create, permissions only added). Permissions of apps migrated later
are added by the post_migrate handler in essaim.accounts.apps.
"""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from essaim.accounts.services import sync_role_groups

    sync_role_groups(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
