import pytest

from essaim.consultations.models import Kind, Phase, Proposal
from essaim.moderation.models import Status
from tests.consultations.factories import make_consultation

pytestmark = pytest.mark.django_db


def contribution_data():
    return {"title": "Notre contribution", "summary": "En bref.",
            "heading_1": "Constat", "section_1": "Ce que nous voyons.",
            "heading_2": "Propositions", "section_2": "Ce que nous proposons."}  # fmt: skip


def test_a_member_organisation_deposits_a_structured_contribution(client, member):
    consultation = make_consultation(Phase.PROPOSALS)
    client.force_login(member)
    response = client.post(f"/consultations/{consultation.slug}/contribuer/", contribution_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.kind == Kind.CONTRIBUTION and proposal.status == Status.PENDING
    assert [s.heading for s in proposal.sections.all()] == ["Constat", "Propositions"]
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'href="#section-2"' in html and 'id="section-2"' in html


def test_only_member_organisations_deposit_contributions(client, owner):
    consultation = make_consultation(Phase.PROPOSALS)
    client.force_login(owner)
    response = client.post(f"/consultations/{consultation.slug}/contribuer/", contribution_data())
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "organisations membres" in response.content.decode()


def test_a_section_needs_a_heading_and_a_text(client, member):
    consultation = make_consultation(Phase.PROPOSALS)
    client.force_login(member)
    data = {**contribution_data(), "heading_3": "Sans texte"}
    client.post(f"/consultations/{consultation.slug}/contribuer/", data)
    assert not Proposal.objects.exists()


def test_the_back_office_lists_and_creates_consultations(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    make_consultation(title="Dans le back-office")
    assert "Dans le back-office" in client.get("/admin/consultations_admin/").content.decode()
    assert client.get("/admin/consultations_admin/new/").status_code == 200


def test_a_public_contribution_downloads_as_a_pdf_with_its_sections(client):
    import io

    from pypdf import PdfReader

    from tests.consultations.factories import make_proposal

    proposal = make_proposal(
        make_consultation(Phase.SUPPORTS),
        title="Notre contribution",
        kind=Kind.CONTRIBUTION,
        summary="Une Région plus participative.",
    )
    proposal.sections.create(position=0, heading="Ce que nous observons", body="Un constat.")
    proposal.sections.create(position=1, heading="Documenter et évaluer", body="Une méthode.")
    response = client.get(f"{proposal.get_absolute_url()}contribution.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Notre contribution",
        "Une Région plus participative.",
        "Sommaire",
        "1. Ce que nous observons",
        "2. Documenter et évaluer",
        "Une méthode.",
    ):
        assert expected in text
    plain = make_proposal(proposal.consultation, title="Simple")
    assert client.get(f"{plain.get_absolute_url()}contribution.pdf").status_code == 404
