from essaim.accounts.services import personal_data
from tests.directory.conftest import make_organisation, make_profile


def test_the_personal_data_download_holds_the_profile_and_memberships(owner):
    make_profile(owner, "Alice", phone="0611223344")
    make_organisation("Ruche", admins=[owner])
    data = personal_data(owner)["annuaire"]
    assert data["profil"]["nom"] == "Alice" and data["profil"]["phone"] == "0611223344"
    assert data["organisations"] == [{"organisation": "Ruche", "rôle": "admin"}]


def test_deleting_the_account_deletes_the_profile(owner):
    from essaim.directory.models import PersonProfile

    make_profile(owner)
    owner.delete()
    assert not PersonProfile.objects.exists()
