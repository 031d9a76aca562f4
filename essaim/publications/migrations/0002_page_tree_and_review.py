"""/articles/ and /dossiers/ as pages under the default site's root; the "Relecture
éditoriale" workflow (one group approval task for the editors) on the articles; the
editors' permissions on both indexes, on images and documents, and on pushed picks.

Idempotent: nothing is created twice when run again on a database that has them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "editeur"  # essaim.accounts.roles.Role.EDITOR
WORKFLOW = "Relecture éditoriale"
INDEXES = [("articleindexpage", "articles", "Articles"), ("dossierindexpage", "dossiers", "Dossiers")]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
                          ("wagtailimages", "choose_image"), ("wagtaildocs", "add_document"),
                          ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document")]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def ensure_permissions(apps):
    # On a fresh database, permissions are only created after every migration has run.
    for label in ("wagtailcore", "wagtailimages", "wagtaildocs", "publications"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None


def next_child_path(Page, parent) -> str:
    last = (Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path").values_list("path", flat=True).first())
    number = int(last[-4:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(4, "0")


def create_index(apps, root, model_name, slug, title):
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model("publications", model_name)
    existing = Page.objects.filter(path__startswith=root.path, depth=root.depth + 1, slug=slug)
    if existing.exists():
        return existing.first()
    content_type, _ = ContentType.objects.get_or_create(app_label="publications", model=model_name)
    page = model.objects.create(
        title=title, draft_title=title, slug=slug, content_type=content_type,
        path=next_child_path(Page, root), depth=root.depth + 1, numchild=0,
        url_path=f"{root.url_path}{slug}/", live=True, has_unpublished_changes=False,
        locale_id=root.locale_id,
    )
    Page.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    root.numchild += 1
    return page


def create_workflow(apps, group, articles):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore",
                                                         model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name="Relecture par l'équipe éditoriale",
                                                content_type=task_type, active=True)
        task.groups.add(group)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page_id=articles.pk, defaults={"workflow": workflow})


def grant(apps, group, indexes):
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    for page in indexes:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                                codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=page,
                                                      permission=permission)
    root_collection = Collection.objects.filter(depth=1).first()
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        if root_collection:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission)
        group.permissions.add(permission)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="publications",
                                                     content_type__model="dossierpick"))


def forwards(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Group = apps.get_model("auth", "Group")
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return  # no site yet: nothing to attach the indexes to
    ensure_permissions(apps)
    root = site.root_page
    indexes = [create_index(apps, root, *spec) for spec in INDEXES]
    group, _ = Group.objects.get_or_create(name=EDITORS)
    create_workflow(apps, group, indexes[0])
    grant(apps, group, indexes)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("common", "0002_unpublish_wagtail_welcome_page"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
