from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from essaim.accounts.roles import Role
from essaim.directory import services
from essaim.directory.models import (
    Claim,
    ContactLog,
    FacilitatorArea,
    Match,
    Membership,
    OfferNeed,
    Organisation,
    OrganisationLink,
    PersonProfile,
)
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from tests.conftest import make_user
from tests.directory.conftest import (
    JOUE,
    ORLEANS,
    SECRET_EMAIL,
    make_item,
    make_organisation,
    make_profile,
)

OFFER, NEED = OfferNeed.Direction.OFFER, OfferNeed.Direction.NEED


# --- matching ------------------------------------------------------------------------------


def test_score_counts_themes_kind_territory_and_distance(themes):
    a, b = make_organisation("A"), make_organisation("B", commune=JOUE)
    need = make_item(NEED, "Salle", organisation=a, themes=[themes["food"]])
    near = make_item(OFFER, "Salle", organisation=b, commune=JOUE, themes=[themes["food"]])
    far = make_item(OFFER, "Salle", organisation=b, commune=ORLEANS, kind="materiel")
    # 2 (one theme) + 3 (kind) + 1 (same département) + 2 (under 15 km)
    assert services.score(need, near) == 8
    assert services.score(need, far) == 0  # other kind, no theme, ~110 km, other département


def test_candidates_are_public_current_offers_of_others_best_first(themes):
    a, b = make_organisation("A"), make_organisation("B")
    need = make_item(NEED, "Salle", organisation=a, themes=[themes["food"]])
    best = make_item(OFFER, "Salle", organisation=b, themes=[themes["food"]])
    good = make_item(OFFER, "Salle", organisation=b, commune=ORLEANS)
    make_item(OFFER, "Salle", organisation=b, status=Status.PENDING)
    make_item(OFFER, "Salle", organisation=b, until=timezone.localdate() - timedelta(days=1))
    make_item(OFFER, "La mienne", organisation=a)  # one's own offer is no match
    make_item(NEED, "Un autre besoin", organisation=b)
    assert [item for item, _score in services.candidates(need)] == [best, good]


def test_publishing_a_need_notifies_both_sides_after_commit(
    themes, owner, member, django_capture_on_commit_callbacks
):
    offerer = make_organisation("Offreur", email="offres@offreur.example.org")
    offer = make_item(OFFER, "Prêt de salle", organisation=offerer, themes=[themes["food"]])
    needer = make_organisation("Demandeur", admins=[member])
    need = OfferNeed(direction=NEED, kind="locaux", title="Cherche salle", organisation=needer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_offer_need(item=need, themes=[themes["food"]], by=member)

    assert need.status == Status.PUBLISHED
    match = Match.objects.get()
    assert (match.need, match.offer) == (need, offer) and match.notified_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "offres@offreur.example.org"]
    to_offerer = next(m for m in mail.outbox if m.to == ["offres@offreur.example.org"])
    assert "Cherche salle" in to_offerer.body and need.get_absolute_url() in to_offerer.body
    assert "bob@example.org" not in to_offerer.body  # no address crosses over
    event = ModerationEvent.for_object(need).get()
    assert event.action == ModerationEvent.Action.PUBLISHED


def test_a_match_is_notified_once(themes):
    a, b = make_organisation("A", email="a@example.org"), make_organisation("B", email="b@x.org")
    need, offer = (
        make_item(NEED, "Salle", organisation=a),
        make_item(OFFER, "Salle", organisation=b),
    )
    match = Match.objects.create(need=need, offer=offer, score=5)
    assert services.notify_match(match=match) == 2
    assert services.notify_match(match=match) == 0


# --- organisations -------------------------------------------------------------------------


def test_a_proposal_is_pending_and_its_proposer_its_admin(themes, owner):
    organisation = services.propose_organisation(
        organisation=Organisation(name="Nouvelle"), themes=[themes["food"]], by=owner
    )
    assert organisation.status == Status.PENDING and organisation.slug == "nouvelle"
    assert services.is_admin(owner, organisation)
    assert list(organisation.themes.all()) == [themes["food"]]


def test_reserved_paths_are_never_slugs(themes, owner):
    organisation = services.propose_organisation(
        organisation=Organisation(name="Personnes"), themes=[], by=owner
    )
    assert organisation.slug == "personnes-2"


def test_an_edit_of_a_published_organisation_waits_for_moderation(organisation, owner):
    outcome = services.edit_organisation(
        organisation=organisation, changes={"name": "Autre"}, by=owner
    )
    organisation.refresh_from_db()
    assert outcome == "pending" and organisation.name == "La Ruche Solidaire"
    assert PendingVersion.for_object(organisation).get().changes == {"name": "Autre"}


def test_an_edit_of_a_pending_organisation_applies_at_once(owner):
    organisation = make_organisation("Brouillon", status=Status.PENDING, admins=[owner])
    services.edit_organisation(organisation=organisation, changes={"name": "Nom"}, by=owner)
    organisation.refresh_from_db()
    assert organisation.name == "Nom"


def test_an_approved_claim_makes_the_claimant_admin(organisation, member, moderator):
    claim = services.claim_organisation(organisation=organisation, user=member, message="Trésorier")
    assert not services.is_admin(member, organisation)
    services.decide_claim(claim=claim, by=moderator, approve=True)
    assert services.is_admin(member, organisation)
    assert claim.state == Claim.State.APPROVED
    assert mail.outbox[-1].to == ["bob@example.org"] and "acceptée" in mail.outbox[-1].subject


def test_a_refused_claim_grants_nothing(organisation, member, moderator):
    claim = services.claim_organisation(organisation=organisation, user=member, message="Moi")
    services.decide_claim(claim=claim, by=moderator, approve=False)
    assert not Membership.objects.filter(user=member).exists()


def test_a_link_waits_for_the_other_side_admin(organisation, owner, member):
    other = make_organisation("Réseau", admins=[member])
    link = services.propose_link(source=organisation, target=other, kind="membre-de", by=owner)
    assert not link.is_confirmed and mail.outbox[-1].to == ["bob@example.org"]
    with pytest.raises(PermissionError):
        services.confirm_link(link=link, by=owner, accept=True)
    services.confirm_link(link=link, by=member, accept=True)
    assert list(OrganisationLink.objects.public()) == [link]


def test_initiatives_with_the_same_siret_are_suggested(organisation):
    from tests.initiatives.conftest import make_initiative

    same = make_initiative("Même SIRET", siret=organisation.siret)
    make_initiative("Autre", siret="")
    make_initiative("Cachée", siret=organisation.siret, status=Status.PENDING)
    assert list(services.suggested_initiatives(organisation)) == [same]
    organisation.initiatives.add(same)
    assert list(services.suggested_initiatives(organisation)) == []


# --- contact -------------------------------------------------------------------------------


def test_a_relayed_message_reaches_the_private_address_and_is_logged_without_text(
    organisation,
):
    sent = services.send_contact_message(
        target=organisation, name="Vera", email="vera@example.net", message="Bonjour la Ruche"
    )
    assert sent == 1
    message = mail.outbox[0]
    assert message.to == [SECRET_EMAIL] and message.reply_to == ["vera@example.net"]
    log = ContactLog.objects.get()
    assert (log.target_type, log.target_id, log.sender_email) == (
        "organisation",
        organisation.pk,
        "vera@example.net",
    )
    assert "Bonjour" not in str([getattr(log, f.attname) for f in ContactLog._meta.fields])


def test_without_an_address_the_admins_get_the_message(owner):
    organisation = make_organisation("Sans adresse", admins=[owner])
    services.send_contact_message(
        target=organisation, name="V", email="v@example.net", message="Salut"
    )
    assert mail.outbox[0].to == ["alice@example.org"]


def test_the_contact_log_is_purged_after_its_retention(organisation, settings):
    settings.ESSAIM_DIRECTORY_CONTACT_LOG_DAYS = 30
    services.send_contact_message(
        target=organisation, name="V", email="v@example.net", message="Salut"
    )
    ContactLog.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert services.purge_contact_log() == 1
    assert not ContactLog.objects.exists()


# --- people and facilitators ---------------------------------------------------------------


def test_consent_is_dated_and_withdrawn(owner, themes):
    profile = services.save_profile(
        profile=PersonProfile(name="Alice", listed=True), user=owner, themes=[themes["food"]]
    )
    assert profile.consented_at is not None
    profile.listed = False
    services.save_profile(profile=profile, user=owner)
    assert profile.consented_at is None and not PersonProfile.objects.public().exists()


def test_removing_a_profile_deletes_it_with_its_offers(owner):
    profile = make_profile(owner)
    make_item(OFFER, "Mes conseils", person=profile)
    assert services.delete_profile(user=owner)
    assert not PersonProfile.objects.exists() and not OfferNeed.objects.exists()


def test_facilitators_cover_the_communes_of_their_territories(django_user_model):
    from essaim.territories.territory import find_territory

    sacha = make_user(
        django_user_model, "sacha@example.org", Role.FACILITATOR, display_name="Sacha"
    )
    former = make_user(django_user_model, "old@example.org", display_name="Ancien")  # no role
    FacilitatorArea.objects.create(user=sacha, territory_key="37")
    FacilitatorArea.objects.create(user=former, territory_key="37")
    assert list(services.facilitators_of(find_territory("37261"))) == [sacha]
    assert list(services.facilitators_of(find_territory("45234"))) == []
