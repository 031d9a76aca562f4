"""Create /experiences/ (an ExperienceIndexPage under the default site's root page) and
give the editors' group page permissions on it.

Historical models have no treebeard methods: the page's materialised path is computed as
Wagtail's own initial-data migration does (steps of 4 base-36 characters). Idempotent:
nothing happens when the page exists or when there is no default site.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
EDITORS = "editeur"  # essaim.accounts.roles.Role.EDITOR
PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _next_child_path(parent, Page) -> str:
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = 1 if last is None else _decode(last[-STEP:]) + 1
    return parent.path + _encode(number)


def _decode(step: str) -> int:
    return int(step, 36)


def _encode(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEP, "0")


def create_index_page(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexPage = apps.get_model("experiences", "ExperienceIndexPage")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or IndexPage.objects.exists():
        return
    root = Page.objects.get(pk=site.root_page_id)
    if Page.objects.filter(path__startswith=root.path, depth=root.depth + 1,
                           slug="experiences").exists():  # fmt: skip
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="experiences", model="experienceindexpage"
    )
    index = IndexPage.objects.create(
        title="Expériences documentées", draft_title="Expériences documentées",
        slug="experiences", content_type=content_type, path=_next_child_path(root, Page),
        depth=root.depth + 1, numchild=0, url_path=f"{root.url_path}experiences/",
        live=True, has_unpublished_changes=False, locale_id=root.locale_id,
        introduction=("Des projets de l'économie sociale et solidaire racontent ce qu'ils ont "
                      "fait, ce qui a marché, ce qui n'a pas marché et pourquoi, pour que "
                      "d'autres puissent s'en inspirer."),
    )  # fmt: skip
    Page.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    _grant_editors(apps, index)


def _grant_editors(apps, index):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in PERMISSIONS:
        # Django creates add/change permissions after migrations: make them if missing.
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type, codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )  # fmt: skip
        GroupPagePermission.objects.get_or_create(group=editors, page_id=index.pk,
                                                  permission=permission)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("common", "0002_unpublish_wagtail_welcome_page"),
    ]

    operations = [migrations.RunPython(create_index_page, migrations.RunPython.noop)]
