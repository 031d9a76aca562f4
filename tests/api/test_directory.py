import pytest

from essaim.directory.models import OfferNeed, Visibility
from essaim.moderation.models import Status
from tests.directory.conftest import SECRET_EMAIL, make_item, make_organisation, make_profile


@pytest.mark.django_db
def test_organisations_are_public_paginated_and_without_private_addresses(client):
    for index in range(3):
        make_organisation(f"Orga {index}", email=SECRET_EMAIL)
    make_organisation("Cachée", status=Status.PENDING)
    response = client.get("/api/v1/organisations?page_size=2")
    data = response.json()
    assert data["count"] == 3 and [o["name"] for o in data["results"]] == ["Orga 0", "Orga 1"]
    assert response["Link"].endswith('page=2>; rel="next"')
    assert data["results"][0]["email"] is None and SECRET_EMAIL not in response.content.decode()


@pytest.mark.django_db
def test_one_organisation_or_404(client):
    shown, hidden = make_organisation("Vue"), make_organisation("Non", is_hidden=True)
    assert client.get(f"/api/v1/organisations/{shown.pk}").json()["name"] == "Vue"
    assert client.get(f"/api/v1/organisations/{hidden.pk}").status_code == 404


def test_people_carry_only_their_public_fields(client, owner, outsider):
    make_profile(
        owner,
        "Alice",
        phone="0611223344",
        bio="Bio masquée",
        visibility={"bio": Visibility.HIDDEN, "phone": Visibility.MEMBERS},
    )
    make_profile(outsider, "Absent", listed=False)
    data = client.get("/api/v1/people").json()
    assert [p["name"] for p in data["results"]] == ["Alice"]
    person = data["results"][0]
    assert "bio" not in person and "phone" not in person and "email" not in person
    assert person["skills"] == ["comptabilité", "gestion"]


@pytest.mark.django_db
def test_offers_and_needs_are_current_and_public(client):
    organisation = make_organisation("Orga")
    make_item(OfferNeed.Direction.OFFER, "Camion", organisation=organisation)
    make_item(OfferNeed.Direction.NEED, "Caché", organisation=organisation, is_hidden=True)
    hidden_owner = make_organisation("Orga cachée", status=Status.REJECTED)
    make_item(OfferNeed.Direction.NEED, "D'une orga refusée", organisation=hidden_owner)
    data = client.get("/api/v1/offers-needs").json()
    assert [i["title"] for i in data["results"]] == ["Camion"]
    assert data["results"][0]["organisation"] == "Orga"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/organisations", "/api/v1/people", "/api/v1/offers-needs"])
def test_api_list_query_counts_do_not_grow(client, django_user_model, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_user

    def count_for(number: int) -> int:
        for index in range(number):
            organisation = make_organisation(f"Orga {number}-{index}")
            make_item(OfferNeed.Direction.NEED, f"Besoin {index}", organisation=organisation)
            make_profile(
                make_user(django_user_model, f"p{number}-{index}@example.org"),
                f"Personne {number}-{index}",
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).json()["count"] == number
        from essaim.directory.models import Organisation

        Organisation.objects.all().delete()
        django_user_model.objects.all().delete()
        return len(queries)

    assert count_for(5) == count_for(30)


@pytest.mark.django_db
def test_organisations_filter_by_a_theme_with_its_sub_themes_and_by_any_territory(client):
    from essaim.taxonomy.models import Theme

    food = Theme.objects.create(name="Alimentation q", slug="alimentation-q")
    amap = Theme.objects.create(name="AMAP q", slug="amap-q", parent=food)
    make_organisation("AMAP de Tours", themes=[amap])
    make_organisation("Épicerie d'Orléans", commune="45234", themes=[food])
    make_organisation("Garage solidaire")

    def names(query):
        return sorted(o["name"] for o in client.get(f"/api/v1/organisations?{query}").json()[
            "results"])  # fmt: skip

    assert names("theme=alimentation-q") == ["AMAP de Tours", "Épicerie d'Orléans"]
    assert names("theme=amap-q") == ["AMAP de Tours"]
    assert names("territoire=37") == ["AMAP de Tours", "Garage solidaire"]
    assert names("territoire=region-24&theme=alimentation-q") == [
        "AMAP de Tours", "Épicerie d'Orléans"]  # fmt: skip
