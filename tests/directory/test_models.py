import pytest
from django.core.exceptions import ValidationError

from essaim.directory.models import (
    Organisation,
    OrganisationLink,
    PersonProfile,
    Visibility,
    validate_rna,
    validate_siret,
)
from essaim.moderation.models import Status
from tests.directory.conftest import VALID_SIRET, make_organisation, make_profile


@pytest.mark.parametrize("value", [VALID_SIRET, "35600000000048"])  # La Poste's exception
def test_valid_sirets_pass(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["73282932000075", "7328293200007", "7328293200007A", ""])
def test_a_siret_needs_14_digits_and_a_luhn_key(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


@pytest.mark.parametrize("value", ["W37200123", "372001234", "W3720012345", "w372001234"])
def test_an_rna_is_w_and_nine_digits(value):
    with pytest.raises(ValidationError):
        validate_rna(value)
    validate_rna("W372001234")


def test_a_logo_needs_its_alternative_text(db):
    organisation = Organisation(name="Logo", slug="logo", logo="directory/x.png")
    with pytest.raises(ValidationError) as error:
        organisation.clean()
    assert "logo_alt" in error.value.message_dict


def test_public_organisations_are_published_and_not_hidden(db):
    shown = make_organisation("Publiée")
    make_organisation("En attente", status=Status.PENDING)
    make_organisation("Masquée", is_hidden=True)
    assert list(Organisation.objects.public()) == [shown]


def test_links_are_public_once_confirmed_between_public_organisations(db):
    from django.utils import timezone

    a, b = make_organisation("A"), make_organisation("B")
    pending = make_organisation("C", status=Status.PENDING)
    confirmed = OrganisationLink.objects.create(
        source=a, target=b, kind="soutient", confirmed_at=timezone.now()
    )
    OrganisationLink.objects.create(source=b, target=a, kind="soutient")  # to be confirmed
    OrganisationLink.objects.create(
        source=a, target=pending, kind="soutient", confirmed_at=timezone.now()
    )
    assert list(OrganisationLink.objects.public()) == [confirmed]


def test_only_listed_profiles_are_public(owner, outsider):
    listed = make_profile(owner, "Listée")
    make_profile(outsider, "Pas d'accord", listed=False)
    assert list(PersonProfile.objects.public()) == [listed]


def test_each_field_shows_according_to_its_visibility(owner):
    profile = make_profile(
        owner,
        email="dom@example.org",
        phone="0102030405",
        availability="Le mardi",
        visibility={
            "bio": Visibility.HIDDEN,
            "email": Visibility.PUBLIC,
            "availability": Visibility.MEMBERS,
        },
    )
    anonymous = profile.visible_values(signed_in=False)
    signed_in = profile.visible_values(signed_in=True)
    assert "bio" not in anonymous and "bio" not in signed_in
    assert anonymous["email"] == "dom@example.org"
    assert "phone" not in signed_in  # hidden by default
    assert "availability" not in anonymous and signed_in["availability"] == "Le mardi"
    assert anonymous["skills"] == ["comptabilité", "gestion"]


def test_the_indexed_text_holds_public_fields_only(owner):
    profile = make_profile(
        owner,
        bio="Secret biographique",
        skills="menuiserie",
        email="dom@example.org",
        visibility={"bio": Visibility.MEMBERS},
    )
    assert "menuiserie" in profile.public_text
    assert "Secret" not in profile.public_text
    assert "dom@example.org" not in profile.public_text
    assert profile.search_summary() == ""


def test_an_unknown_visibility_value_counts_as_hidden(owner):
    profile = make_profile(owner, visibility={"bio": "everyone"})
    assert profile.visibility_of("bio") == Visibility.HIDDEN


def test_a_facilitator_area_resolves_its_territory_and_point(owner):
    from essaim.directory.models import FacilitatorArea

    area = FacilitatorArea(user=owner, territory_key=" 37 ")
    area.clean()
    assert (area.territory_key, area.label) == ("37", "Département d'Indre-et-Loire (37)")
    assert 46.7 < area.latitude < 47.8 and 0.0 < area.longitude < 1.4
    with pytest.raises(ValidationError):
        FacilitatorArea(user=owner, territory_key="99999").clean()


def test_an_evaluation_project_may_be_an_organisations(db):
    from django.contrib.contenttypes.models import ContentType

    from essaim.directory.models import Organisation
    from essaim.evaluation import subjects

    assert subjects.is_allowed(ContentType.objects.get_for_model(Organisation))
