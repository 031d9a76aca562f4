import pytest
from django.contrib.auth.models import Group, Permission

from essaim.accounts.roles import Role, has_role, held_roles, users_with_role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_hold_no_role(client):
    user = client.get("/").wsgi_request.user
    assert [role for role in Role if has_role(user, role)] == []


def test_each_persona_holds_exactly_its_roles(owner, member, moderator, outsider):
    def roles(user):
        return [role for role in Role if has_role(user, role)]

    assert roles(owner) == [Role.CONTRIBUTOR]
    assert roles(outsider) == [Role.CONTRIBUTOR]
    assert roles(member) == [Role.CONTRIBUTOR, Role.MEMBER]
    assert roles(moderator) == [Role.CONTRIBUTOR, Role.MODERATOR]


def test_administrators_hold_every_role(django_user_model):
    from tests.conftest import make_user

    admin = make_user(django_user_model, "ada@example.org", Role.ADMINISTRATOR)
    assert all(has_role(admin, role) for role in Role)
    assert held_roles(admin) == [Role.CONTRIBUTOR, Role.ADMINISTRATOR]


def test_users_with_role_lists_active_holders_only(member, moderator, django_user_model):
    from tests.conftest import make_user

    make_user(django_user_model, "gone@example.org", Role.MEMBER, is_active=False)
    assert list(users_with_role(Role.MEMBER)) == [member]


def test_migration_creates_one_group_per_role():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


def group_permissions(role: Role) -> set[str]:
    permissions = Permission.objects.filter(group__name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_back_office_roles_get_admin_access_and_the_others_do_not():
    staff = {Role.MODERATOR, Role.EDITOR, Role.ADMINISTRATOR}
    for role in Role:
        assert ("wagtailadmin.access_admin" in group_permissions(role)) == (role in staff), role


def test_administrators_get_every_permission_on_essaim_apps():
    permissions = group_permissions(Role.ADMINISTRATOR)
    assert {"accounts.add_user", "accounts.change_user", "accounts.delete_user"} <= permissions
    assert "accounts.change_user" not in group_permissions(Role.MODERATOR)


def test_moderators_reach_the_back_office_by_permission_not_staff_flag(django_user_model):
    from tests.conftest import make_user

    mona = make_user(django_user_model, "m@example.org", Role.MODERATOR)
    bob = make_user(django_user_model, "b@example.org", Role.MEMBER)
    assert not mona.is_staff
    assert mona.has_perm("wagtailadmin.access_admin")
    assert not bob.has_perm("wagtailadmin.access_admin")


def test_the_back_office_link_follows_the_permission(client, django_user_model, member):
    from tests.conftest import make_user

    editor = make_user(django_user_model, "e@example.org", Role.EDITOR)
    client.force_login(editor)
    assert 'href="/admin/">Administration</a>' in client.get("/").content.decode()
    client.force_login(member)
    assert 'href="/admin/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_wagtails_default_groups_grant_nothing():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    groups = Group.objects.filter(name__in=["Moderators", "Editors"])
    assert groups.count() == 2  # kept for Wagtail's own migrations, but empty
    assert not GroupPagePermission.objects.filter(group__in=groups).exists()
    assert not GroupCollectionPermission.objects.filter(group__in=groups).exists()
    assert not any(group.permissions.exists() for group in groups)
