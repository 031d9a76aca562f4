import pytest

from essaim.directory.models import Visibility
from tests.directory.conftest import make_organisation, make_profile


@pytest.mark.django_db
def test_search_finds_organisations_and_public_fields_of_people_only(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_organisation("Zorglub Coopérative")
        make_profile(
            owner,
            "Alice Zorglub",
            skills="xylophonie",
            bio="Quokkadelphe secret",
            visibility={"bio": Visibility.HIDDEN},
        )
    page = client.get("/recherche/?q=Zorglub").content.decode()
    assert "Zorglub Coopérative" in page and "Alice Zorglub" in page
    assert "Alice Zorglub" in client.get("/recherche/?q=xylophonie").content.decode()
    hidden = client.get("/recherche/?q=Quokkadelphe").content.decode()
    assert "Alice Zorglub" not in hidden and "Quokkadelphe secret" not in hidden
