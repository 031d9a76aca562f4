import pytest

from essaim.initiatives.models import Initiative, Subscription, Vote
from essaim.moderation.models import Status


@pytest.fixture
def contributions(owner, member):
    mine = Initiative.objects.create(
        name="Repair café de Joué", slug="repair-joue", summary="…", submitted_by=owner,
        status=Status.PENDING,
    )  # fmt: skip
    theirs = Initiative.objects.create(
        name="AMAP des Deux-Lions", slug="amap", summary="…", submitted_by=member
    )
    Vote.objects.create(initiative=theirs, voter=owner, approve=True)
    Subscription.objects.create(kind=Subscription.Kind.NEARBY, email=owner.email, radius_km=15)
    return mine, theirs


@pytest.mark.django_db
def test_data_download_lists_my_initiatives_votes_and_alerts_only(client, owner, contributions):
    client.force_login(owner)
    data = client.get("/mon-compte/mes-donnees.json").json()["initiatives"]
    assert [item["nom"] for item in data["initiatives"]] == ["Repair café de Joué"]
    assert data["initiatives"][0]["statut"] == "pending"
    assert [(vote["initiative"], vote["valide"]) for vote in data["votes"]] == [
        ("AMAP des Deux-Lions", True)
    ]
    assert [(alert["e-mail"], alert["rayon_km"]) for alert in data["alertes"]] == [
        ("alice@example.org", 15)
    ]


@pytest.mark.django_db
def test_data_download_of_an_outsider_shows_nothing_of_others(client, outsider, contributions):
    client.force_login(outsider)
    data = client.get("/mon-compte/mes-donnees.json").json()["initiatives"]
    assert data == {"initiatives": [], "votes": [], "alertes": []}
