"""Deleting an account, with its contributions kept anonymous (the default) or removed:
each module removes what the person contributed alone and leaves everyone else's."""

import pytest
from django.contrib.contenttypes.models import ContentType

from essaim.accounts import services
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
KEEP, REMOVE = False, True


def delete(user, remove: bool) -> dict:
    return services.delete_account(user=user, remove_contributions=remove)


# --- the form -----------------------------------------------------------------------------


def test_the_form_offers_both_choices_keeping_by_default(client, owner):
    client.force_login(owner)

    html = client.get("/mon-compte/supprimer/").content.decode()

    assert "<legend>Vos contributions" in html
    assert 'value="garder" id="id_contributions_0" checked' in html
    assert "Garder mes contributions publiées, sans mon nom" in html
    assert "Supprimer aussi mes contributions" in html


@pytest.mark.parametrize(("choice", "left"), [("garder", 1), ("supprimer", 0), ("", 1)])
def test_the_choice_on_the_form_decides(client, owner, member, choice, left):
    from tests.initiatives.conftest import make_initiative

    make_initiative("Jardin d'Alice", owner=owner)
    make_initiative("Jardin de Bob", owner=member)
    client.force_login(owner)

    client.post("/mon-compte/supprimer/", {"password": PASSWORD, "contributions": choice})

    from essaim.initiatives.models import Initiative

    assert Initiative.objects.filter(name="Jardin d'Alice").count() == left
    assert Initiative.objects.filter(name="Jardin de Bob", owner=member).exists()


def test_a_failing_module_leaves_everything_in_place(owner, monkeypatch):
    from essaim.initiatives.models import Initiative
    from tests.initiatives.conftest import make_initiative

    make_initiative("Jardin d'Alice", owner=owner)

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(services._contribution_removers, "zzz", broken)
    with pytest.raises(RuntimeError):
        delete(owner, REMOVE)

    assert Initiative.objects.filter(owner=owner).exists()
    assert type(owner).objects.filter(pk=owner.pk).exists()


def test_every_module_registers_its_remover():
    assert services.contribution_sections() == [
        "agenda", "annuaire", "consultations", "evaluation", "experiences", "initiatives",
        "moderation", "publications",
    ]  # fmt: skip


# --- initiatives --------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_initiatives_proposed_or_owned_are_removed_or_kept_anonymous(owner, member, remove):
    from essaim.initiatives.models import Initiative
    from tests.initiatives.conftest import make_initiative

    owned = make_initiative("Jardin d'Alice", owner=owner)
    proposed = make_initiative("Proposée par Alice", Status.DRAFT, slug="proposee")
    moderation.submit(obj=proposed, by=owner, address_hash="f" * 32)
    taken_over = make_initiative("Reprise par Bob", submitted_by=owner, owner=member)

    delete(owner, remove)

    names = set(Initiative.objects.values_list("name", flat=True))
    if remove:
        assert names == {"Reprise par Bob"}
        ct = ContentType.objects.get_for_model(Initiative)
        assert not ModerationEvent.objects.filter(
            content_type=ct, object_id__in=[str(owned.pk), str(proposed.pk)]
        ).exists()  # no orphan history (nor its hashed address)
    else:
        assert names == {"Jardin d'Alice", "Proposée par Alice", "Reprise par Bob"}
        owned.refresh_from_db()
        assert owned.owner is None
    taken_over.refresh_from_db()
    assert taken_over.owner == member and taken_over.submitted_by is None


# --- agenda -------------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_events_proposed_are_removed_or_kept_anonymous(owner, member, remove):
    from essaim.agenda.models import Event
    from tests.agenda.conftest import make_event

    make_event("Atelier d'Alice", owner=owner)
    make_event("Proposé par Alice", slug="propose", submitted_by=owner, status=Status.PENDING)
    make_event("Atelier de Bob", slug="bob", owner=member)

    delete(owner, remove)

    titles = set(Event.objects.values_list("title", flat=True))
    if remove:
        assert titles == {"Atelier de Bob"}
    else:
        assert titles == {"Atelier d'Alice", "Proposé par Alice", "Atelier de Bob"}
        assert not Event.objects.filter(owner__isnull=False).exclude(owner=member).exists()


# --- consultations ------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_consultation_proposals_and_comments_are_removed_or_kept(owner, member, remove):
    from essaim.consultations.models import CoAuthor, Comment, Proposal, Support
    from essaim.consultations.personal_data import WITHDRAWN
    from tests.consultations.factories import make_consultation, make_proposal

    consultation = make_consultation()
    alone = make_proposal(consultation, owner, title="Cantines bio")
    signed = make_proposal(consultation, owner, title="Cosignée")
    CoAuthor.objects.create(proposal=signed, email="co@example.org")
    bobs = make_proposal(consultation, member, title="Vélos")
    Comment.objects.create(proposal=alone, body="Sous ma proposition, de Bob", submitted_by=member)
    lone = Comment.objects.create(proposal=bobs, body="Bonne idée", submitted_by=owner)
    answered = Comment.objects.create(proposal=bobs, body="Et les écoles ?", submitted_by=owner)
    Comment.objects.create(proposal=bobs, parent=answered, depth=2, body="Oui !",
                           submitted_by=member)  # fmt: skip
    Support.objects.create(proposal=bobs, user=owner)

    delete(owner, remove)

    titles = set(Proposal.objects.values_list("title", flat=True))
    bodies = set(Comment.objects.values_list("body", flat=True))
    assert not Support.objects.exists()  # supports go with the account in any case
    if remove:
        assert titles == {"Cosignée", "Vélos"}
        assert bodies == {WITHDRAWN, "Oui !"}
        assert not Comment.objects.filter(pk=lone.pk).exists()
    else:
        assert titles == {"Cantines bio", "Cosignée", "Vélos"}
        assert bodies == {"Sous ma proposition, de Bob", "Bonne idée", "Et les écoles ?", "Oui !"}
    assert Proposal.objects.get(title="Cosignée").submitted_by is None


# --- directory ----------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_directory_profile_and_its_offers_go_organisations_offers_stay(owner, member, remove):
    from essaim.directory.models import OfferNeed, Organisation, PersonProfile
    from tests.directory.conftest import make_item, make_organisation, make_profile

    profile = make_profile(owner)
    make_item("offre", "Conseils comptables", person=profile, author=owner)
    organisation = make_organisation(submitted_by=owner)
    make_item("offre", "Salle de la Ruche", organisation=organisation, author=owner)
    make_item("offre", "Vélos de Bob", person=make_profile(member, "Bob"), author=member)

    delete(owner, remove)

    # The profile is the person: gone either way.
    assert list(PersonProfile.objects.values_list("name", flat=True)) == ["Bob"]
    # The profile's offers go with it; what was posted for an organisation stays.
    titles = set(OfferNeed.objects.values_list("title", flat=True))
    assert titles == {"Salle de la Ruche", "Vélos de Bob"}
    assert OfferNeed.objects.get(title="Salle de la Ruche").author is None
    assert Organisation.objects.get().submitted_by is None  # the organisation's own


# --- evaluation ---------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_evaluation_answers_are_private_and_go_with_the_account(owner, member, remove):
    from essaim.evaluation import services as evaluation
    from essaim.evaluation.models import Answer
    from tests.evaluation.conftest import make_project, make_version

    version = make_version()
    project = make_project("Projet Quetzal", owner, member)
    assessment = evaluation.start_assessment(project=project, version=version, title="Éval",
                                             by=owner)  # fmt: skip
    criterion = version.criteria().first()
    for person in (owner, member):
        evaluation.save_answer(assessment=assessment, respondent=person, criterion=criterion,
                               level=2)  # fmt: skip

    delete(owner, remove)

    assert list(Answer.objects.values_list("respondent", flat=True)) == [member.pk]
    assert project.assessments.get() == assessment  # the team's assessment stays


# --- publications (Wagtail pages) ----------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_articles_written_alone_are_removed_shared_ones_lose_the_name(owner, member, remove):
    from essaim.publications.models import ArticleAuthor, ArticlePage
    from tests.publications.conftest import make_article

    alone = make_article("Écrit seule", owner=owner)
    ArticleAuthor.objects.create(page=alone, user=owner)
    shared = make_article("Écrit à deux", owner=owner)
    ArticleAuthor.objects.create(page=shared, user=owner)
    ArticleAuthor.objects.create(page=shared, user=member)
    edited = make_article("Relu par Bob", owner=owner)
    edited.save_revision(user=member)
    guest = make_article("Tribune de Bob", owner=member)
    ArticleAuthor.objects.create(page=guest, user=owner)

    delete(owner, remove)

    titles = set(ArticlePage.objects.values_list("title", flat=True))
    if remove:
        assert titles == {"Écrit à deux", "Relu par Bob", "Tribune de Bob"}
        assert list(ArticleAuthor.objects.values_list("user", flat=True)) == [member.pk]
    else:
        assert titles == {"Écrit seule", "Écrit à deux", "Relu par Bob", "Tribune de Bob"}
        assert ArticleAuthor.objects.filter(user__isnull=True).count() == 3
        assert ArticlePage.objects.get(title="Écrit à deux").author_names == ["Bob"]


# --- experiences (Wagtail pages) ------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_experience_sheets_written_alone_are_removed(owner, member, remove):
    from essaim.experiences.models import ExperienceIndexPage, ExperiencePage
    from tests.experiences.conftest import make_sheet

    index = ExperienceIndexPage.objects.get()
    make_sheet(index, "Fiche d'Alice", owner=owner, co_editors=[owner])
    make_sheet(index, "Fiche partagée", owner=owner, co_editors=[owner, member])
    make_sheet(index, "Fiche de Bob", owner=member, co_editors=[member, owner])

    delete(owner, remove)

    titles = set(ExperiencePage.objects.values_list("title", flat=True))
    if remove:
        assert titles == {"Fiche partagée", "Fiche de Bob"}
    else:
        assert titles == {"Fiche d'Alice", "Fiche partagée", "Fiche de Bob"}
    assert not ExperiencePage.objects.filter(co_editors__user__email=owner.email).exists()


# --- moderation ---------------------------------------------------------------------------


@pytest.mark.parametrize("remove", [KEEP, REMOVE])
def test_pending_edits_they_proposed_are_removed_or_kept(owner, member, remove):
    from tests.initiatives.conftest import make_initiative

    target = make_initiative("Jardin de Bob", owner=member)
    moderation.propose_edit(obj=target, changes={"name": "Jardin d'Alice"}, by=owner)
    moderation.propose_edit(obj=target, changes={"name": "Jardin de Bob et Co"}, by=member)

    delete(owner, remove)

    authors = list(PendingVersion.objects.order_by("pk").values_list("author", flat=True))
    assert authors == ([member.pk] if remove else [None, member.pk])
