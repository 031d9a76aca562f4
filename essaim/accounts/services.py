"""Account writes and personal data: roles, export, deletion.

Personal data: each module registers what it holds about a person, in its
``AppConfig.ready()``::

    from essaim.accounts.services import register_personal_data
    register_personal_data("initiatives", lambda user: [...])

Account deletion removes the user row. By default contributions survive, anonymised,
because every module's foreign key to the user is ``on_delete=models.SET_NULL`` (a module
that must scrub more, e.g. a signature in free text, listens to ``pre_delete`` on the
user). When the person chooses to remove them too, each module's registered remover runs
first, in the same transaction::

    from essaim.accounts.services import register_contribution_remover
    register_contribution_remover("initiatives", remove_contributions)

where ``remove_contributions(user)`` deletes (or, where others share the work,
anonymises) what the person contributed and returns how many items it deleted.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.db import transaction

from essaim.accounts.roles import Role, role_permission_filter

PersonalDataCollector = Callable[[Any], Any]
_personal_data_sections: dict[str, PersonalDataCollector] = {}
ContributionRemover = Callable[[Any], int]
_contribution_removers: dict[str, ContributionRemover] = {}

# Caches that Django and has_role() keep on a user instance.
_USER_CACHES = ("_essaim_roles", "_perm_cache", "_group_perm_cache", "_user_perm_cache")


def sync_role_groups(*, apps=global_apps) -> None:
    """Creates one group per role and adds its permissions (never removes any)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        permission_filter = role_permission_filter(role)
        if permission_filter is not None:
            group.permissions.add(*permission_model.objects.filter(permission_filter))


def _forget_cached_roles(user) -> None:
    for name in _USER_CACHES:
        user.__dict__.pop(name, None)


def grant_role(*, user, role: Role) -> None:
    """Adds ``user`` to the group of ``role``."""
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    _forget_cached_roles(user)


def revoke_role(*, user, role: Role) -> None:
    """Removes ``user`` from the group of ``role`` (no-op if not held)."""
    user.groups.remove(*Group.objects.filter(name=role.value))
    _forget_cached_roles(user)


def register_personal_data(section: str, collect: PersonalDataCollector) -> None:
    """Adds a section to every personal-data download: ``collect(user)`` returns JSON-able data."""
    if section in {"compte", "roles"} or _personal_data_sections.get(section, collect) != collect:
        raise ValueError(f"Personal-data section {section!r} is already registered.")
    _personal_data_sections[section] = collect


def account_data(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.order_by("email")
        ],
    }


def personal_data(user) -> dict:
    """Everything Essaim holds about ``user``: the account, its roles, each module's section."""
    data = {
        "compte": account_data(user),
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }
    for section, collect in _personal_data_sections.items():
        data[section] = collect(user)
    return data


def register_contribution_remover(section: str, remove: ContributionRemover) -> None:
    """Adds a module to "delete my contributions too": ``remove(user)`` returns a count."""
    if _contribution_removers.get(section, remove) != remove:
        raise ValueError(f"Contribution remover {section!r} is already registered.")
    _contribution_removers[section] = remove


def contribution_sections() -> list[str]:
    return sorted(_contribution_removers)


@transaction.atomic
def delete_account(*, user, remove_contributions: bool = False) -> dict[str, int]:
    """Deletes ``user`` and its e-mail addresses. Contributions lose their author, or, with
    ``remove_contributions``, are first removed by each module. Returns what each module
    removed. All or nothing."""
    removed = {}
    if remove_contributions:
        for section in contribution_sections():
            removed[section] = _contribution_removers[section](user)
    user.delete()
    return removed
