"""Wagtail's own migrations create "Moderators" and "Editors" groups with rights on the
whole page tree and every collection. Essaim's roles are its own groups (0002): an
administrator adding someone to Wagtail's look-alike groups would grant rights no role
describes. They are emptied of every permission (kept, so that Wagtail's later migrations
that look them up by name still find them)."""

from django.db import migrations

WAGTAIL_GROUPS = ["Moderators", "Editors"]


def empty_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = Group.objects.filter(name__in=WAGTAIL_GROUPS)
    GroupPagePermission.objects.filter(group__in=groups).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    for group in groups:
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(empty_groups, migrations.RunPython.noop)]
