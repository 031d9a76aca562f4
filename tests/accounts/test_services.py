import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from essaim.accounts import services
from essaim.accounts.roles import Role, has_role

pytestmark = pytest.mark.django_db


def test_grant_role_gives_the_role_and_its_permissions_at_once(outsider):
    assert not has_role(outsider, Role.EDITOR)  # fills the per-instance caches
    assert not outsider.has_perm("wagtailadmin.access_admin")
    services.grant_role(user=outsider, role=Role.EDITOR)
    assert has_role(outsider, Role.EDITOR)
    assert outsider.has_perm("wagtailadmin.access_admin")


def test_revoke_role_takes_the_role_away_and_keeps_the_others(member):
    services.grant_role(user=member, role=Role.FACILITATOR)
    services.revoke_role(user=member, role=Role.MEMBER)
    assert not has_role(member, Role.MEMBER)
    assert has_role(member, Role.FACILITATOR)


def test_revoking_a_role_not_held_changes_nothing(outsider):
    services.revoke_role(user=outsider, role=Role.MODERATOR)
    assert list(outsider.groups.all()) == []


def test_sync_role_groups_is_idempotent_and_keeps_permissions_added_by_hand():
    extra = Permission.objects.get(codename="view_group")
    Group.objects.get(name=Role.MEMBER).permissions.add(extra)
    counts = Group.objects.count(), Permission.objects.filter(group__isnull=False).count()
    services.sync_role_groups()
    services.sync_role_groups()
    assert (Group.objects.count(), Permission.objects.filter(group__isnull=False).count()) == counts
    assert extra in Group.objects.get(name=Role.MEMBER).permissions.all()


def test_personal_data_holds_the_account_and_its_roles(member):
    data = services.personal_data(member)
    assert data["compte"]["email"] == "bob@example.org"
    assert data["compte"]["display_name"] == "Bob"
    assert data["compte"]["email_addresses"] == [
        {"email": "bob@example.org", "verified": True, "primary": True}
    ]
    assert data["roles"] == ["membre"]


@pytest.fixture
def registered_section():
    services.register_personal_data("essai", lambda user: {"owner": user.email})
    yield
    del services._personal_data_sections["essai"]


def test_registered_sections_join_the_personal_data(member, registered_section):
    assert services.personal_data(member)["essai"] == {"owner": "bob@example.org"}


def test_a_section_name_cannot_be_taken_twice(registered_section):
    with pytest.raises(ValueError):
        services.register_personal_data("essai", lambda user: None)
    with pytest.raises(ValueError):
        services.register_personal_data("compte", lambda user: None)


def test_delete_account_removes_the_user_and_its_addresses(member, outsider):
    services.delete_account(user=member)
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["charlie@example.org"]
    assert not type(member).objects.filter(email="bob@example.org").exists()
