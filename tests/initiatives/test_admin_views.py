import pytest

from essaim.moderation.models import Status
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def pair(db):
    kept = make_initiative("Repair café de Tours", slug="kept", website="https://r.example.org/")
    new = make_initiative("Repair Café Tours", Status.PENDING, slug="new", phone="02 47 00 00 00")
    return kept, new


@pytest.mark.django_db
def test_moderators_see_possible_duplicates_and_merge(client, moderator, pair):
    kept, new = pair
    client.force_login(moderator)

    html = client.get("/admin/initiatives/doublons/").content.decode()
    assert "Repair Café Tours" in html and "nom proche, à 0 m" in html
    assert "<title>Doublons possibles - Wagtail</title>" in html

    client.post("/admin/initiatives/doublons/fusionner/", {"keep": kept.pk, "duplicate": new.pk})
    kept.refresh_from_db()
    new.refresh_from_db()
    assert (kept.phone, new.status) == ("02 47 00 00 00", Status.REJECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "outsider"])
def test_others_cannot_see_or_merge(client, request, who, pair):
    kept, new = pair
    client.force_login(request.getfixturevalue(who))

    page = client.get("/admin/initiatives/doublons/")
    merge = client.post("/admin/initiatives/doublons/fusionner/",
                        {"keep": kept.pk, "duplicate": new.pk})  # fmt: skip

    new.refresh_from_db()
    assert page.status_code in (302, 403) and "Repair Café Tours" not in page.content.decode()
    assert merge.status_code in (302, 403) and new.status == Status.PENDING
