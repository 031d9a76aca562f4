"""No leak from the directory: only public organisations and offers/needs, listed people and
the fields they made public reach a public surface.

Same approach as test_no_leak.py: one organisation and one offer per non-public state with a
unique token, a public control of each, every public surface fetched anonymously; then a
listed person whose hidden and members-only fields carry their own tokens, and an unlisted
person, checked on pages, API, exports and search.
"""

import pytest
from django.utils import timezone

from essaim.directory.models import Membership, OfferNeed, Organisation, PersonProfile
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from tests.hardening.test_no_leak import HIDDEN_STATES, SECRET, TOURS, body

ORG_PUBLIC = "qpublicorgz"
OFFER_PUBLIC = "qpublicofferz"


def make_organisation(token: str, theme: Theme, **state) -> Organisation:
    commune = Commune.objects.get(pk=TOURS)
    organisation = Organisation.objects.create(
        name=f"Quetzal {token}",
        slug=f"quetzal-{token}",
        summary=f"Résumé {token}",
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        email=SECRET,
        phone="0600000001",
        published_at=timezone.now(),
        **state,
    )
    organisation.themes.set([theme])
    return organisation


def make_offer(token: str, theme: Theme, owner: Organisation, **state) -> OfferNeed:
    item = OfferNeed.objects.create(
        direction=OfferNeed.Direction.OFFER,
        kind="locaux",
        title=f"Quetzal {token}",
        description=f"Description {token}",
        organisation=owner,
        commune=owner.commune,
        published_at=timezone.now(),
        **state,
    )
    item.themes.set([theme])
    return item


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-theme")
    items = {}
    with django_capture_on_commit_callbacks(execute=True):
        public = make_organisation(ORG_PUBLIC, theme, status=Status.PUBLISHED)
        items[ORG_PUBLIC] = public
        items[OFFER_PUBLIC] = make_offer(OFFER_PUBLIC, theme, public, status=Status.PUBLISHED)
        for token, state in HIDDEN_STATES.items():
            items[f"{token}org"] = make_organisation(f"{token}org", theme, **state)
            items[f"{token}offer"] = make_offer(f"{token}offer", theme, public, **state)
        # A public offer of a refused organisation stays out of sight with its owner.
        refused = items[f"{'qrejectedz'}org"]
        items["qorphanofferz"] = make_offer(
            "qorphanofferz", theme, refused, status=Status.PUBLISHED
        )
    return theme, items


NEVER = [f"{token}{kind}" for token in HIDDEN_STATES for kind in ("org", "offer")]
NEVER += ["qorphanofferz", "0600000001"]
SURFACES = [
    ("/annuaire/", {ORG_PUBLIC}),
    ("/annuaire/?q=Quetzal", {ORG_PUBLIC}),
    ("/annuaire/?territoire=37", {ORG_PUBLIC}),
    ("/annuaire/?theme={theme}", {ORG_PUBLIC}),
    (f"/annuaire/quetzal-{ORG_PUBLIC}/", {ORG_PUBLIC, OFFER_PUBLIC}),
    ("/annuaire/offres-besoins/", {OFFER_PUBLIC}),
    ("/annuaire/offres-besoins/?q=Quetzal", {OFFER_PUBLIC}),
    ("/annuaire/offres-besoins/?territoire=37", {OFFER_PUBLIC}),
    ("/donnees/organisations.csv", {ORG_PUBLIC}),
    ("/donnees/organisations.json", {ORG_PUBLIC}),
    ("/donnees/organisations.jsonld", {ORG_PUBLIC}),
    ("/donnees/structures-data-inclusion.csv", {ORG_PUBLIC}),
    ("/donnees/structures-data-inclusion.json", {ORG_PUBLIC}),
    ("/api/v1/organisations", {ORG_PUBLIC}),
    ("/api/v1/organisations?q=Quetzal", {ORG_PUBLIC}),
    ("/api/v1/offers-needs", {OFFER_PUBLIC}),
    ("/recherche/?q=Quetzal", {ORG_PUBLIC, OFFER_PUBLIC}),
    ("/sitemap-annuaire.xml", {f"quetzal-{ORG_PUBLIC}"}),
    ("/territoires/37261/", {ORG_PUBLIC}),
    ("/territoires/37/", {ORG_PUBLIC}),
    ("/themes/{theme}/", {ORG_PUBLIC}),
]


@pytest.mark.parametrize(("url", "shown"), SURFACES)
def test_directory_surfaces_show_only_public_items(client, world, url, shown):
    theme, _ = world
    response = client.get(url.format(theme=theme.slug))
    text = body(response).lower()
    assert response.status_code == 200, url
    leaked = [token for token in NEVER if token in text]
    assert leaked == [], f"{url} shows non-public items: {leaked}"
    assert SECRET not in text
    assert [token for token in shown if token not in text] == [], f"{url}: broken control"


def test_non_public_items_have_no_public_address(client, world):
    _, items = world
    for token in [*NEVER[:-1]]:
        item = items[token]
        urls = [item.get_absolute_url()]
        if isinstance(item, Organisation):
            urls.append(f"/api/v1/organisations/{item.pk}")
        for url in urls:
            assert client.get(url).status_code == 404, (token, url)
    assert client.get(items[ORG_PUBLIC].get_absolute_url()).status_code == 200


# --- people: consent and per-field visibility ------------------------------------------------

PERSON_SHOWN = {"qpersonnamez", "qpublicskillz"}
PERSON_NEVER = {
    "qhiddenbioz": "a hidden biography",
    "qmembersavailz": "a members-only availability",
    "qhiddenwebz": "a hidden website",
    "qunlistedz": "a person who did not opt in",
    "qprivatemailz": "a profile's e-mail (hidden by default)",
    "0611111111": "a profile's phone (hidden by default)",
    "alice@example.org": "the account's address",
}
PEOPLE_SURFACES = [
    "/annuaire/personnes/",
    "/annuaire/personnes/quetzal-qpersonnamez/",
    "/annuaire/quetzal-qpublicorgz/",
    "/api/v1/people",
    "/donnees/personnes.csv",
    "/donnees/personnes.json",
    "/recherche/?q=Quetzal",
    "/sitemap-annuaire.xml",
]


@pytest.fixture
def people(db, owner, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = make_organisation(
            ORG_PUBLIC, Theme.objects.create(name="T", slug="t"), status=Status.PUBLISHED
        )
        person = PersonProfile.objects.create(
            user=owner,
            slug="quetzal-qpersonnamez",
            name="Quetzal qpersonnamez",
            bio="Bio qhiddenbioz",
            skills="qpublicskillz",
            availability="Dispo qmembersavailz",
            website="https://qhiddenwebz.example.org",
            email="qprivatemailz@example.org",
            phone="0611111111",
            listed=True,
            visibility={"bio": "masque", "availability": "membres", "website": "masque"},
        )
        Membership.objects.create(organisation=organisation, user=owner)
        PersonProfile.objects.create(
            user=outsider, slug="quetzal-qunlistedz", name="Quetzal qunlistedz", listed=False
        )
    return person


@pytest.mark.parametrize("url", PEOPLE_SURFACES)
def test_people_surfaces_show_public_fields_of_listed_people_only(client, people, url):
    text = body(client.get(url)).lower()
    leaked = [token for token in PERSON_NEVER if token in text]
    assert leaked == [], f"{url} shows {[PERSON_NEVER[t] for t in leaked]}"
    if url != "/sitemap-annuaire.xml":
        assert "qpersonnamez" in text, f"{url}: broken control"


@pytest.mark.parametrize("token", ["qhiddenbioz", "qmembersavailz", "qhiddenwebz", "qunlistedz"])
def test_search_never_finds_a_person_by_a_non_public_field(client, people, token):
    text = body(client.get(f"/recherche/?q={token}")).lower()
    assert "qpersonnamez" not in text


def test_an_unlisted_person_has_no_page(client, people):
    assert client.get("/annuaire/personnes/quetzal-qunlistedz/").status_code == 404
