import csv
import io
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.consultations.models import Comment, Phase, Proposal, Support
from essaim.moderation.models import Status
from tests.consultations.factories import make_consultation, make_proposal

pytestmark = pytest.mark.django_db


def test_the_proposal_page_is_one_form_that_queues_the_proposal(client, owner, tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    consultation = make_consultation(Phase.PROPOSALS)
    client.force_login(owner)
    url = f"/consultations/{consultation.slug}/proposer/"
    assert b'name="title"' in client.get(url).content
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = client.post(url, {"title": "Un jardin partagé", "body": "Au centre-ville.",
                                 "commune": "Tours", "attachments": [pdf]})  # fmt: skip
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.status == Status.PENDING and proposal.commune_id == "37261"
    # The author sees it (pending); the public does not.
    assert "Un jardin partagé" in client.get(proposal.get_absolute_url()).content.decode()
    attachment = proposal.attachments.get()
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client):
    consultation = make_consultation(Phase.PROPOSALS)
    response = client.get(f"/consultations/{consultation.slug}/proposer/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_a_closed_phase_shows_why_no_form(client, owner):
    consultation = make_consultation(Phase.SUPPORTS)
    client.force_login(owner)
    html = client.get(f"/consultations/{consultation.slug}/proposer/").content.decode()
    assert "pas ouverte" in html and 'name="title"' not in html


def test_support_and_withdraw_over_http(client, owner):
    consultation = make_consultation(Phase.SUPPORTS, max_supports=3)
    proposal = make_proposal(consultation)
    client.force_login(owner)
    url = f"{proposal.get_absolute_url()}soutenir/"
    client.post(url)
    client.post(url)
    assert Support.objects.count() == 1
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Vous avez utilisé 1 soutien sur 3" in html and "Retirer mon soutien" in html
    client.post(url, {"action": "withdraw"})
    assert not Support.objects.exists()


def test_comment_and_reply_over_http(client, owner, member):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION))
    client.force_login(owner)
    client.post(f"{proposal.get_absolute_url()}commenter/", {"body": "Bonne idée"})
    first = Comment.objects.get()
    client.force_login(member)
    client.post(f"{proposal.get_absolute_url()}commenter/", {"body": "Oui", "parent": first.pk})
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Bonne idée" in html and "Oui" in html
    assert Comment.objects.get(body="Oui").parent == first


def test_only_organisers_answer(
    client, owner, django_user_model, django_capture_on_commit_callbacks
):
    from essaim.accounts.roles import Role
    from tests.conftest import make_user

    editor = make_user(django_user_model, "ed@example.org", Role.EDITOR)
    proposal = make_proposal(make_consultation(Phase.ANSWERS), owner)
    url = f"{proposal.get_absolute_url()}repondre/"
    client.force_login(owner)
    assert client.post(url, {"state": "accepted", "text": "Moi-même"}).status_code == 404
    client.force_login(editor)
    assert "Répondre au nom" in client.get(proposal.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"state": "accepted", "text": "Nous le ferons."})
    proposal.refresh_from_db()
    assert proposal.answer_state == "accepted"
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_exports_list_public_proposals_with_supports_and_answers(client, owner):
    consultation = make_consultation(Phase.ANSWERS)
    shown = make_proposal(consultation, title="Montrée", answer_state="partial",
                          answer_text="En partie")  # fmt: skip
    Support.objects.create(proposal=shown, user=owner)
    make_proposal(consultation, title="En attente", status=Status.PENDING)
    make_proposal(consultation, title="Masquée", is_hidden=True)
    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get(f"/consultations/{consultation.slug}/resultats.csv").streaming_content
    ).decode())))  # fmt: skip
    found = [(r["titre"], r["soutiens"], r["reponse"]) for r in rows]
    assert found == [("Montrée", "1", "partial")]
    data = json.loads(client.get(f"/consultations/{consultation.slug}/resultats.json").content)
    assert [p["titre"] for p in data["propositions"]] == ["Montrée"]
    assert data["propositions"][0]["reponse_texte"] == "En partie"
    html = client.get(f"/consultations/{consultation.slug}/resultats/").content.decode()
    assert "Montrée" in html and "En attente" not in html and "Masquée" not in html
    catalogue = b"".join(client.get("/donnees/consultations.csv").streaming_content).decode()
    assert "Montrée" in catalogue and "Masquée" not in catalogue


def test_the_api_lists_consultations_and_public_proposals(client):
    consultation = make_consultation(Phase.SUPPORTS)
    make_consultation(slug="cachee", published=False)
    make_proposal(consultation, title="Publique")
    make_proposal(consultation, title="Refusée", status=Status.REJECTED)
    data = client.get("/api/v1/consultations").json()
    assert [c["slug"] for c in data["results"]] == ["budget"]
    assert data["results"][0]["phase"] == "supports"
    proposals = client.get("/api/v1/consultations/budget/proposals").json()
    assert [p["title"] for p in proposals["results"]] == ["Publique"]
    assert client.get("/api/v1/consultations/cachee").status_code == 404


def test_the_dataset_is_in_the_catalogue(client):
    assert "/donnees/consultations.csv" in client.get("/donnees/").content.decode()


def test_follow_and_unfollow(client, owner):
    consultation = make_consultation()
    client.force_login(owner)
    client.post(f"/consultations/{consultation.slug}/suivre/")
    assert consultation.follows.filter(user=owner).exists()
    assert "Ne plus suivre" in client.get(consultation.get_absolute_url()).content.decode()
    client.post(f"/consultations/{consultation.slug}/suivre/", {"action": "unfollow"})
    assert not consultation.follows.exists()


def test_the_author_edits_from_the_same_one_page_form(client, owner, outsider):
    proposal = make_proposal(make_consultation(Phase.PROPOSALS), owner, status=Status.PENDING)
    url = f"{proposal.get_absolute_url()}modifier/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # not public, not theirs
    client.force_login(owner)
    assert 'value="Des cantines bio"' in client.get(url).content.decode()
    client.post(url, {"title": "Des cantines bio et locales", "body": "Plus de local."})
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Des cantines bio et locales", "Plus de local.")


def test_the_edit_page_says_why_a_supported_proposal_is_locked(client, owner, member):
    proposal = make_proposal(make_consultation(Phase.SUPPORTS), owner)
    Support.objects.create(proposal=proposal, user=member)
    client.force_login(owner)
    url = f"{proposal.get_absolute_url()}modifier/"
    assert "ne changent plus" in client.get(url).content.decode()
    client.post(url, {"title": "Changé", "body": "Changé"})
    proposal.refresh_from_db()
    assert proposal.title == "Des cantines bio"


def test_the_author_invites_a_coauthor_by_email(
    client, owner, outsider, django_capture_on_commit_callbacks
):
    proposal = make_proposal(make_consultation(Phase.PROPOSALS), owner, status=Status.PENDING)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{proposal.get_absolute_url()}coauteurs/", {"email": "charlie@example.org"})
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    client.force_login(outsider)
    assert client.get(f"{proposal.get_absolute_url()}modifier/").status_code == 200


def test_a_point_placed_on_the_map_is_kept_and_exported(client, owner):
    consultation = make_consultation(Phase.PROPOSALS)
    client.force_login(owner)
    url = f"/consultations/{consultation.slug}/proposer/"
    client.post(url, {"title": "Ici", "body": "Là.", "latitude": "47.39", "longitude": "0.69"})
    client.post(url, {"title": "Moitié", "body": "Là.", "latitude": "47.39"})
    here, half = Proposal.objects.get(title="Ici"), Proposal.objects.get(title="Moitié")
    assert (here.latitude, here.longitude) == (47.39, 0.69)
    assert (half.latitude, half.longitude) == (None, None)
