"""Roles are Django groups with stable names; a person may hold several.

Visitors are anonymous and have no group. Every signed-in person is a contributor.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONTRIBUTOR = "contributeur", _("Contributeur·rice")
    MEMBER = "membre", _("Organisation membre")
    FACILITATOR = "animateur", _("Animateur·rice de coopération")
    MODERATOR = "moderateur", _("Modérateur·rice")
    EDITOR = "editeur", _("Éditeur·rice")
    ADMINISTRATOR = "administrateur", _("Administrateur·rice")


# Roles that work in the back office (Wagtail admin).
STAFF_ROLES = {Role.MODERATOR, Role.EDITOR, Role.ADMINISTRATOR}


def has_role(user, role: Role) -> bool:
    """True if ``user`` holds ``role``; administrators and superusers hold every role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or role == Role.CONTRIBUTOR:
        return True
    names = user_role_names(user)
    return role in names or Role.ADMINISTRATOR in names


def user_role_names(user) -> set[str]:
    # Cached on the instance: templates and permission checks ask many times per request.
    if not hasattr(user, "_essaim_roles"):
        user._essaim_roles = set(user.groups.values_list("name", flat=True))
    return user._essaim_roles


def users_with_role(role: Role):
    from essaim.accounts.models import User

    return User.objects.filter(is_active=True, groups__name=role).distinct()


def essaim_app_labels() -> list[str]:
    """Labels of Essaim's own apps: administrators get every permission on them."""
    from django.apps import apps

    return [c.label for c in apps.get_app_configs() if c.name.startswith("essaim.")]


def role_permission_filter(role: Role) -> models.Q | None:
    """The permissions a role's group carries, as a filter on ``auth.Permission``.

    Back-office access is a permission (``wagtailadmin.access_admin``), never ``is_staff``.
    Module apps add their own permissions to these groups in their data migrations.
    """
    if role not in STAFF_ROLES:
        return None
    access = models.Q(content_type__app_label="wagtailadmin", codename="access_admin")
    if role != Role.ADMINISTRATOR:
        return access
    return (
        access
        | models.Q(content_type__app_label__in=essaim_app_labels())
        | models.Q(content_type__app_label="auth", content_type__model="group")
    )


def held_roles(user) -> list[Role]:
    """The roles ``user`` holds explicitly, in Role order; every signed-in person contributes."""
    names = user_role_names(user)
    return [role for role in Role if role == Role.CONTRIBUTOR or role in names]
