"""Front-end contribution: who may propose, the workflow round trip, "Mes propositions"."""

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from essaim.publications.models import ArticlePage
from tests.publications.conftest import make_article

PROPOSAL = {
    "title": "Le Galais, un an après",
    "lead": "La monnaie locale du Loir-et-Cher fête son premier anniversaire.",
    "body": "Premier paragraphe.\n\nDeuxième <script>alert(1)</script> paragraphe.",
    "territory": "41018",
    "organisation_name": "La Ruche",
    "licence": "CC-BY-SA-4.0",
}


@pytest.fixture
def proposal_data(currencies):
    return {**PROPOSAL, "themes": [currencies.pk]}


def propose(client, user, data):
    client.force_login(user)
    return client.post("/articles/proposer/", data)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/articles/proposer/")
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_an_outsider_cannot_propose(client, outsider, proposal_data):
    response = propose(client, outsider, proposal_data)
    assert response.status_code == 403
    assert not ArticlePage.objects.exists()


def test_a_member_proposal_is_a_sanitised_draft_in_review(client, member, proposal_data):
    response = propose(client, member, proposal_data)
    assert response.status_code == 302
    article = ArticlePage.objects.get()
    assert (article.live, article.owner, article.slug) == (False, member, "le-galais-un-an-apres")
    draft = article.get_latest_revision_as_object()
    body = draft.body[0].value.source
    assert "<p>Premier paragraphe.</p>" in body and "<script" not in body
    assert [t.slug for t in draft.themes.all()] == ["monnaies-locales-test"]
    state = article.current_workflow_state
    assert (state.workflow.name, state.status) == ("Relecture éditoriale", "in_progress")


def test_a_facilitator_may_propose(client, facilitator, proposal_data):
    assert propose(client, facilitator, proposal_data).status_code == 302


def test_a_missing_field_is_named_with_a_400(client, member, proposal_data):
    response = propose(client, member, {**proposal_data, "title": ""})
    assert response.status_code == 400
    assert "Champ requis." in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_an_image_needs_its_alt_text(client, member, proposal_data):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    image = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    response = propose(client, member, {**proposal_data, "image": image})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Décrivez l&#x27;image" in html or "Décrivez l'image" in html, html[
        html.find("errorlist") :
    ][:300]


def reject(article, editor, comment="Ajoutez des chiffres."):
    state = article.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, editor, "reject", comment=comment
    )


def test_requested_changes_mail_the_author_who_edits_and_resubmits(
    client, member, editor, proposal_data
):
    propose(client, member, proposal_data)
    article = ArticlePage.objects.get()
    mail.outbox.clear()
    reject(article, editor)
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert "Ajoutez des chiffres." in mail.outbox[0].body
    assert f"/articles/mes-propositions/{article.pk}/modifier/" in mail.outbox[0].body

    mine = client.get("/articles/mes-propositions/").content.decode()
    assert "Modifications demandées" in mine and "Ajoutez des chiffres." in mine

    edited = {**proposal_data, "lead": "Avec les chiffres : 40 000 galais en circulation."}
    response = client.post(f"/articles/mes-propositions/{article.pk}/modifier/", edited)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().lead.startswith("Avec les chiffres")
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_an_author_only_sees_their_own_proposals(client, member, facilitator, proposal_data):
    propose(client, member, proposal_data)
    client.force_login(facilitator)
    mine = client.get("/articles/mes-propositions/").content.decode()
    assert "Le Galais, un an après" not in mine
    article = ArticlePage.objects.get()
    assert client.get(f"/articles/mes-propositions/{article.pk}/modifier/").status_code == 404


def test_a_proposal_in_review_cannot_be_edited_from_the_front(client, member, proposal_data):
    propose(client, member, proposal_data)
    article = ArticlePage.objects.get()
    response = client.post(f"/articles/mes-propositions/{article.pk}/modifier/", proposal_data)
    assert response.status_code == 302
    assert article.get_latest_revision().pk == ArticlePage.objects.get().get_latest_revision().pk


def test_pages_in_review_are_absent_from_every_public_surface(client, member, proposal_data,
                                                               currencies):  # fmt: skip
    import feedparser

    propose(client, member, proposal_data)
    make_article("Publié", themes=[currencies])
    client.logout()
    assert "Le Galais" not in client.get("/articles/").content.decode()
    assert [e.title for e in feedparser.parse(client.get("/articles.rss").content).entries] \
        == ["Publié"]  # fmt: skip
    assert "Le Galais" not in client.get("/recherche/?q=galais").content.decode()
    assert "le-galais" not in client.get("/sitemap-publications.xml").content.decode()
    theme_page = client.get(f"/themes/{currencies.slug}/").content.decode()
    assert "Publié" in theme_page and "Le Galais" not in theme_page
    territory_page = client.get("/territoires/41/").content.decode()
    assert "Le Galais" not in territory_page


def test_published_articles_reach_search_sitemap_and_theme_page(client, currencies):
    make_article("Coopérative de monnaie", themes=[currencies], territory="41018")
    assert "Coopérative de monnaie" in client.get("/recherche/?q=monnaie").content.decode()
    assert "/articles/cooperative-de-monnaie/" in client.get(
        "/sitemap-publications.xml").content.decode()  # fmt: skip
    assert "Coopérative de monnaie" in client.get(f"/themes/{currencies.slug}/").content.decode()
    assert "Coopérative de monnaie" in client.get("/territoires/41/").content.decode()


def test_a_proposal_titled_like_a_route_gets_a_slug_that_stays_reachable(
    client, member, proposal_data
):
    propose(client, member, {**proposal_data, "title": "Proposer"})
    assert ArticlePage.objects.get().slug == "proposer-1"


def test_editors_cannot_give_an_article_a_reserved_slug(db):
    from django.core.exceptions import ValidationError

    from tests.publications.conftest import make_article

    article = make_article("Bilan")
    article.slug = "mes-propositions"
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "adresse réservée" in str(refused.value.message_dict["slug"])
