"""Take down Wagtail's placeholder "Welcome to your new Wagtail site!" page.

Essaim serves its own home page at "/"; the placeholder would otherwise show up as a live
page in search and sitemaps. Only the untouched placeholder is affected.
"""

from django.db import migrations

PLACEHOLDER_TITLE = "Welcome to your new Wagtail site!"


def unpublish_placeholder(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=2, title=PLACEHOLDER_TITLE, slug="home").update(live=False)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(unpublish_placeholder, migrations.RunPython.noop)]
