import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essaim.accounts.roles import Role
from essaim.directory.models import (
    Claim,
    FacilitatorArea,
    Membership,
    OfferNeed,
    Organisation,
    PersonProfile,
    Visibility,
)
from essaim.moderation.models import PendingVersion, Status
from tests.conftest import make_user
from tests.directory.conftest import (
    SECRET_EMAIL,
    form_data,
    make_item,
    make_organisation,
    make_profile,
)

OFFER, NEED = OfferNeed.Direction.OFFER, OfferNeed.Direction.NEED


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


# --- organisations -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_public_organisations_with_filters(client, themes):
    make_organisation("Ruche de Tours", themes=[themes["amap"]], legal_form="association")
    make_organisation("Coop d'Orléans", commune="45234", legal_form="scic", kind="entreprise")
    make_organisation("En attente", status=Status.PENDING)
    assert names(client.get("/annuaire/")) == ["Coop d&#x27;Orléans", "Ruche de Tours"]
    assert names(client.get("/annuaire/?theme=alimentation")) == ["Ruche de Tours"]
    assert names(client.get("/annuaire/?territoire=45")) == ["Coop d&#x27;Orléans"]
    assert names(client.get("/annuaire/?forme=association")) == ["Ruche de Tours"]
    assert names(client.get("/annuaire/?type=entreprise")) == ["Coop d&#x27;Orléans"]
    assert names(client.get("/annuaire/?q=ruche")) == ["Ruche de Tours"]


@pytest.mark.django_db
def test_the_list_links_the_next_page(client):
    for index in range(21):
        make_organisation(f"Orga {index:02}")
    page = client.get("/annuaire/?type=structure").content.decode()
    assert '<link rel="next" href="?type=structure&amp;page=2">' in page


@pytest.mark.django_db
def test_list_query_counts_do_not_grow_with_items(client, themes, owner):
    def count_for(number: int, url: str) -> int:
        for index in range(number):
            organisation = make_organisation(f"Orga {number}-{index}", themes=[themes["amap"]])
            make_item(NEED, f"Besoin {index}", organisation=organisation, themes=[themes["amap"]])
            user = make_user(type(owner), f"p{number}-{index}@example.org")
            make_profile(user, f"Personne {number}-{index}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        Organisation.objects.all().delete()
        PersonProfile.objects.all().delete()
        type(owner).objects.exclude(pk=owner.pk).delete()
        return len(queries)

    for url in [
        "/annuaire/?theme=alimentation",
        "/annuaire/personnes/",
        "/annuaire/offres-besoins/",
        "/annuaire/animateurs/",
    ]:
        assert count_for(5, url) == count_for(30, url), url


@pytest.mark.django_db
def test_the_detail_page_has_json_ld_and_never_the_private_address(client, organisation):
    page = client.get(organisation.get_absolute_url()).content.decode()
    document = json.loads(re.search(r'ld\+json">(.+?)</script>', page, re.S)[1])
    assert document["@type"] == "Organization" and document["name"] == "La Ruche Solidaire"
    assert document["identifier"][0] == {
        "@type": "PropertyValue",
        "propertyID": "SIRET",
        "value": organisation.siret,
    }
    assert SECRET_EMAIL not in page
    assert "Écrire à l'organisation" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [{"status": Status.PENDING}, {"status": Status.REJECTED}, {"is_hidden": True}]
)
def test_a_non_public_organisation_has_no_page(client, state):
    organisation = make_organisation("Cachée", **state)
    assert client.get(organisation.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_page_shows_what_the_platform_knows(client, organisation):
    from tests.initiatives.conftest import make_initiative

    organisation.initiatives.add(
        make_initiative("Jardin public"), make_initiative("Jardin caché", status=Status.PENDING)
    )
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Jardin public" in page and "Jardin caché" not in page


@pytest.mark.django_db
def test_a_visitor_writes_to_an_organisation_without_seeing_its_address(client, organisation):
    response = client.post(
        f"{organisation.get_absolute_url()}contact/",
        form_data(name="Vera", email="vera@example.net", message="Pouvons-nous venir samedi ?"),
    )
    assert response.status_code == 200 and SECRET_EMAIL not in response.content.decode()
    assert mail.outbox[0].to == [SECRET_EMAIL]
    assert "Pouvons-nous venir samedi ?" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_contact_form_is_rate_limited(client, organisation, settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 1
    url = f"{organisation.get_absolute_url()}contact/"
    data = form_data(name="V", email="v@example.net", message="Bonjour")
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code == 400
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_proposing_needs_an_account_and_leaves_the_organisation_pending(client, owner, themes):
    assert client.get("/annuaire/proposer/").status_code == 302
    client.force_login(owner)
    response = client.post(
        "/annuaire/proposer/",
        {
            "name": "Atelier vélo",
            "kind": "structure",
            "commune_label": "Tours",
            "postal_code": "37000",
            "themes": [themes["food"].pk],
            "siret": "123",
        },
    )
    assert "14 chiffres" in response.content.decode()
    client.post(
        "/annuaire/proposer/",
        {
            "name": "Atelier vélo",
            "kind": "structure",
            "commune_label": "Tours",
            "postal_code": "37000",
        },
    )
    organisation = Organisation.objects.get()
    assert organisation.status == Status.PENDING and organisation.commune_id == "37261"
    assert Membership.objects.get().user == owner


@pytest.mark.django_db
def test_an_outsider_cannot_edit_and_an_admin_edit_waits(client, organisation, outsider, owner):
    url = f"{organisation.get_absolute_url()}modifier/"
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.get(f"{organisation.get_absolute_url()}liens/").status_code == 403
    client.force_login(owner)
    response = client.post(
        url,
        {
            "name": "La Ruche",
            "kind": "structure",
            "commune_label": "Tours",
            "postal_code": "37000",
            "siret": organisation.siret,
            "email": SECRET_EMAIL,
        },
    )
    assert response.status_code == 302
    assert PendingVersion.for_object(organisation).get().changes["name"] == "La Ruche"


@pytest.mark.django_db
def test_a_pending_organisation_is_nobody_elses_business(client, outsider):
    pending = make_organisation("Secrète", status=Status.PENDING)
    client.force_login(outsider)
    assert client.get(f"{pending.get_absolute_url()}modifier/").status_code == 404


@pytest.mark.django_db
def test_a_claim_goes_to_the_moderators_queue(client, organisation, member, moderator, outsider):
    client.force_login(member)
    client.post(
        f"{organisation.get_absolute_url()}revendiquer/", {"message": "Je suis la trésorière"}
    )
    claim = Claim.objects.get()
    client.force_login(outsider)
    assert client.get("/annuaire/revendications/").status_code == 403
    client.force_login(moderator)
    assert "Je suis la trésorière" in client.get("/annuaire/revendications/").content.decode()
    client.post("/annuaire/revendications/", {"claim": claim.pk, "approve": "1"})
    assert Membership.objects.get(user=member).role == Membership.Role.ADMIN


# --- people --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hidden_field_is_absent_and_a_members_field_shown_to_signed_in_people(
    client, owner, outsider
):
    profile = make_profile(
        owner,
        bio="Bio publique",
        availability="Les jeudis",
        phone="0611223344",
        email="perso@example.org",
        visibility={"availability": Visibility.MEMBERS, "phone": Visibility.HIDDEN},
    )
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "Bio publique" in page
    assert "Les jeudis" not in page and "0611223344" not in page
    assert "perso@example.org" not in page and "alice@example.org" not in page
    client.force_login(outsider)
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "Les jeudis" in page and "0611223344" not in page


@pytest.mark.django_db
def test_an_unlisted_profile_is_nowhere(client, owner):
    profile = make_profile(owner, "Sans accord", listed=False)
    assert client.get(profile.get_absolute_url()).status_code == 404
    assert "Sans accord" not in client.get("/annuaire/personnes/").content.decode()


@pytest.mark.django_db
def test_the_opt_in_box_is_unchecked_and_without_it_nobody_is_listed(client, owner, themes):
    client.force_login(owner)
    page = client.get("/mon-compte/profil-annuaire/").content.decode()
    assert re.search(r'<input type="checkbox" name="listed"[^>]*>', page)[0].count("checked") == 0
    data = {
        "name": "Alice",
        "bio": "Hello",
        "territory_codes": "37, 41018",
        **{f"vis_{f}": "public" for f in PersonProfile.VISIBLE_FIELDS},
    }
    client.post("/mon-compte/profil-annuaire/", data)
    profile = PersonProfile.objects.get()
    assert not profile.listed and not PersonProfile.objects.public().exists()
    assert [d.code for d in profile.departements.all()] == ["37"]
    client.post("/mon-compte/profil-annuaire/", data | {"listed": "on", "vis_bio": "masque"})
    profile.refresh_from_db()
    assert profile.listed and profile.visibility_of("bio") == Visibility.HIDDEN


@pytest.mark.django_db
def test_removing_the_profile_is_immediate(client, owner):
    make_profile(owner)
    client.force_login(owner)
    client.post("/mon-compte/profil-annuaire/", {"delete": "1"})
    assert not PersonProfile.objects.exists()


@pytest.mark.django_db
def test_a_person_is_contacted_through_the_relay(client, owner):
    profile = make_profile(owner)
    response = client.post(
        f"{profile.get_absolute_url()}contact/",
        form_data(name="Vera", email="vera@example.net", message="Une question"),
    )
    assert response.status_code == 200 and "alice@example.org" not in response.content.decode()
    assert mail.outbox[0].to == ["alice@example.org"]


# --- offers and needs ----------------------------------------------------------------------


@pytest.mark.django_db
def test_only_admins_and_listed_people_publish_offers_and_needs(client, outsider, owner):
    client.force_login(outsider)
    assert client.get("/annuaire/offres-besoins/publier/").status_code == 403


@pytest.mark.django_db
def test_a_published_need_shows_its_matching_offers(
    client, organisation, owner, themes, django_capture_on_commit_callbacks
):
    other = make_organisation("Voisins", email="voisins@example.org")
    offer = make_item(OFFER, "Salle prêtée", organisation=other, themes=[themes["food"]])
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/annuaire/offres-besoins/publier/",
            {
                "direction": NEED,
                "kind": "locaux",
                "title": "Cherche une salle",
                "themes": [themes["food"].pk],
                "on_behalf": f"org-{organisation.pk}",
            },
        )
    need = OfferNeed.objects.get(direction=NEED)
    assert response["Location"] == need.get_absolute_url()
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Salle prêtée" in page and offer.get_absolute_url() in page
    assert sorted(m.to[0] for m in mail.outbox) == [SECRET_EMAIL, "voisins@example.org"]


@pytest.mark.django_db
def test_the_offers_and_needs_list_filters(client, organisation):
    make_item(OFFER, "Camion", organisation=organisation, kind="materiel")
    make_item(NEED, "Salle", organisation=organisation)
    make_item(NEED, "Caché", organisation=organisation, is_hidden=True)
    assert names(client.get("/annuaire/offres-besoins/?sens=besoin")) == ["Besoin : Salle"]
    assert names(client.get("/annuaire/offres-besoins/?nature=materiel")) == ["Offre : Camion"]


# --- facilitators --------------------------------------------------------------------------


@pytest.mark.django_db
def test_facilitators_are_listed_and_contacted_without_address(client, django_user_model):
    sacha = make_user(
        django_user_model, "sacha@example.org", Role.FACILITATOR, display_name="Sacha"
    )
    FacilitatorArea.objects.create(user=sacha, territory_key="37", label="Indre-et-Loire")
    page = client.get("/annuaire/animateurs/").content.decode()
    assert "Sacha" in page and "Indre-et-Loire" in page and "sacha@example.org" not in page
    territory = client.get("/territoires/37261/").content.decode()
    assert f"/annuaire/animateurs/{sacha.pk}/contact/" in territory
    client.post(
        f"/annuaire/animateurs/{sacha.pk}/contact/",
        form_data(name="V", email="v@example.net", message="Mise en relation ?"),
    )
    assert mail.outbox[0].to == ["sacha@example.org"]


@pytest.mark.django_db
def test_the_dashboard_shows_open_needs_of_the_facilitators_territory(
    client, django_user_model, organisation, outsider
):
    sacha = make_user(django_user_model, "sacha@example.org", Role.FACILITATOR)
    FacilitatorArea.objects.create(user=sacha, territory_key="37")
    make_item(NEED, "Besoin tourangeau", organisation=organisation)
    make_item(NEED, "Besoin orléanais", organisation=organisation, commune="45234")
    client.force_login(outsider)
    assert client.get("/annuaire/mon-territoire/").status_code == 403
    client.force_login(sacha)
    page = client.get("/annuaire/mon-territoire/").content.decode()
    assert "Besoin tourangeau" in page and "Besoin orléanais" not in page


@pytest.mark.django_db
def test_an_admin_links_an_initiative_with_the_same_siret(client, organisation, owner, outsider):
    from tests.initiatives.conftest import make_initiative

    same = make_initiative("Jardin au même SIRET", siret=organisation.siret)
    client.force_login(outsider)
    client.post(f"{organisation.get_absolute_url()}liens/", {"initiative": same.pk})
    assert not organisation.initiatives.exists()
    client.force_login(owner)
    assert "Jardin au même SIRET" in client.get(organisation.get_absolute_url()).content.decode()
    client.post(f"{organisation.get_absolute_url()}liens/", {"initiative": same.pk})
    assert list(organisation.initiatives.all()) == [same]


@pytest.mark.django_db
def test_the_detail_query_count_is_bounded(
    client, organisation, themes, django_assert_max_num_queries
):
    organisation.themes.set([themes["amap"], themes["energy"]])
    with django_assert_max_num_queries(14):
        client.get(organisation.get_absolute_url())


@pytest.mark.django_db
def test_a_pending_organisation_reaches_the_moderators_queue(client, moderator, owner):
    make_organisation("Coopérative à relire", status=Status.PENDING, admins=[owner])
    client.force_login(moderator)
    assert "Coopérative à relire" in client.get("/admin/moderation/").content.decode()


@pytest.mark.django_db
def test_the_back_office_lists_organisations_and_facilitator_areas(client, django_user_model):
    admin = make_user(django_user_model, "ada@example.org", Role.ADMINISTRATOR, is_staff=True)
    make_organisation("Coopérative du back-office")
    client.force_login(admin)
    page = client.get("/admin/directory_organisations/").content.decode()
    assert "Coopérative du back-office" in page
    assert client.get("/admin/facilitator_areas/new/").status_code == 200
    assert client.get("/admin/directory_contact_log/").status_code == 200


@pytest.mark.django_db
def test_a_second_organisation_with_the_same_siret_is_refused(client, organisation, outsider):
    client.force_login(outsider)
    response = client.post(
        "/annuaire/proposer/",
        {
            "name": "Doublon",
            "kind": "structure",
            "commune_label": "Tours",
            "postal_code": "37000",
            "siret": organisation.siret,
        },
    )
    assert "demandez plutôt à gérer sa fiche" in response.content.decode()
    assert organisation.get_absolute_url() in response.content.decode()
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_the_moderators_see_a_pending_organisation_in_detail(client, moderator, owner):
    pending = make_organisation(
        "Coopérative à relire",
        status=Status.PENDING,
        admins=[owner],
        siret="73282932000074",
        description="<p>Notre projet</p>",
    )
    client.force_login(moderator)
    page = client.get("/admin/moderation/").content.decode()
    detail = re.search(r'href="(/admin/moderation/[^"]*directory[^"]*)"', page)
    assert detail, "no link to the organisation's review page"
    text = client.get(detail[1]).content.decode()
    assert "73282932000074" in text and pending.name in text


@pytest.mark.django_db
def test_a_logo_is_normalised_and_needs_its_text_alternative(client, owner, tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, "PNG")
    data = {"name": "Logo", "kind": "structure", "commune_label": "Tours", "postal_code": "37000"}
    client.force_login(owner)
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    response = client.post("/annuaire/proposer/", data | {"logo": upload})
    assert "Décrivez le logo" in response.content.decode()
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    client.post("/annuaire/proposer/", data | {"logo": upload, "logo_alt": "Logo de Logo"})
    organisation = Organisation.objects.get()
    assert organisation.logo and organisation.logo_alt == "Logo de Logo"


@pytest.mark.django_db
def test_people_are_filtered_by_a_theme_only_where_it_is_public(client, owner, outsider, themes):
    shown = make_profile(owner, "Thème public")
    hidden = make_profile(outsider, "Thème masqué", visibility={"themes": Visibility.HIDDEN})
    shown.themes.set([themes["food"]])
    hidden.themes.set([themes["food"]])
    assert names(client.get("/annuaire/personnes/?theme=alimentation")) == ["Thème public"]


@pytest.mark.django_db
def test_an_organisation_nobody_can_read_offers_no_contact_form(client):
    orphan = make_organisation("Sans contact")
    assert "Envoyer le message" not in client.get(orphan.get_absolute_url()).content.decode()
    url = f"{orphan.get_absolute_url()}contact/"
    assert (
        client.post(url, form_data(name="V", email="v@example.net", message="?")).status_code == 404
    )


@pytest.mark.django_db
def test_an_answer_to_an_offer_reaches_its_owner_without_address(client, organisation):
    offer = make_item(OFFER, "Camion prêté", organisation=organisation, kind="materiel")
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Répondre à cette annonce" in page and SECRET_EMAIL not in page
    response = client.post(
        f"{offer.get_absolute_url()}contact/",
        form_data(name="Vera", email="vera@example.net", message="Le camion est-il libre samedi ?"),
    )
    assert response.status_code == 200 and SECRET_EMAIL not in response.content.decode()
    assert mail.outbox[0].to == [SECRET_EMAIL] and "Camion prêté" in mail.outbox[0].body


@pytest.mark.django_db
def test_admins_add_and_remove_members_and_outsiders_cannot(
    client, organisation, owner, member, outsider
):
    url = f"{organisation.get_absolute_url()}membres/"
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(owner)
    client.post(url, {"email": "nobody@example.org", "role": "membre"})
    client.post(url, {"email": "BOB@example.org", "role": "membre"})
    membership = Membership.objects.get(user=member)
    assert membership.role == Membership.Role.MEMBER
    client.post(url, {"remove": membership.pk})
    assert list(Membership.objects.values_list("user__email", flat=True)) == ["alice@example.org"]


@pytest.mark.django_db
def test_people_are_found_by_public_skill_and_territory_only(client, owner, outsider, member):
    from essaim.territories.models import Commune, Departement

    tours = make_profile(owner, "Agit à Tours", skills="menuiserie")
    tours.communes.set([Commune.objects.get(pk="37261")])
    loiret = make_profile(
        outsider,
        "Agit dans le Loiret",
        skills="menuiserie",
        visibility={"skills": Visibility.HIDDEN},
    )
    loiret.departements.set([Departement.objects.get(pk="45")])
    secret = make_profile(member, "Territoire masqué", visibility={"territories": "masque"})
    secret.communes.set([Commune.objects.get(pk="37261")])
    assert names(client.get("/annuaire/personnes/?competence=menuis")) == ["Agit à Tours"]
    assert names(client.get("/annuaire/personnes/?territoire=37")) == ["Agit à Tours"]
    assert names(client.get("/annuaire/personnes/?territoire=45234")) == ["Agit dans le Loiret"]
    in_region = names(client.get("/annuaire/personnes/?territoire=region-24"))
    assert sorted(in_region) == sorted(["Agit dans le Loiret", "Agit à Tours"])
