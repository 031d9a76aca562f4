"""No leak, consultations: only public proposals and comments reach a public surface.

One proposal per non-public lifecycle state (draft, pending, rejected, archived, hidden
after reports), a published proposal in an unpublished consultation, one comment per
non-public state (and a published comment on a hidden proposal), each with a unique token;
every public surface is fetched anonymously. The public proposal and comment must appear
where the surface lists them (the control); no other token, nor the private address.
"""

import pytest
from django.utils import timezone

from essaim.consultations.models import Comment, Phase
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from tests.consultations.factories import make_consultation, make_proposal
from tests.hardening.test_no_leak import HIDDEN_STATES, SECRET, body

PUBLIC = "qpublicconsultationz"
PUBLIC_COMMENT = "qpubliccommentz"
# Comment tokens: one per hidden state, and a public comment on a hidden proposal.
COMMENT_STATES = {f"qc{token[1:]}": state for token, state in HIDDEN_STATES.items()}
NEVER = [*HIDDEN_STATES, *COMMENT_STATES, "qunpublishedconsultz", "qinunpublishedz",
         "qcommentonhiddenz"]  # fmt: skip


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-theme")
    now = timezone.now()
    items = {}
    with django_capture_on_commit_callbacks(execute=True):
        consultation = make_consultation(Phase.SUPPORTS, slug="quetzal", territory_key="37",
                                         title="Quetzal qconsultcontrolz")  # fmt: skip
        consultation.themes.set([theme])
        hidden_one = make_consultation(
            Phase.SUPPORTS, slug="quetzal-qunpublishedconsultz",
            title="Quetzal qunpublishedconsultz", published=False,
        )  # fmt: skip
        hidden_one.themes.set([theme])

        def proposal(where, token, **state):
            made = make_proposal(where, title=f"Quetzal {token}", body=f"Texte {token}",
                                 submitter_email=SECRET, published_at=now, **state)  # fmt: skip
            made.themes.set([theme])
            made.attachments.create(file="consultations/x.pdf", title=f"Pièce {token}",
                                    content_type="application/pdf", size=1)  # fmt: skip
            return made

        items[PUBLIC] = public = proposal(consultation, PUBLIC, status=Status.PUBLISHED)
        for token, state in HIDDEN_STATES.items():
            items[token] = proposal(consultation, token, **state)
        items["qinunpublishedz"] = proposal(hidden_one, "qinunpublishedz", status=Status.PUBLISHED)

        def comment(on, token, **state):
            return Comment.objects.create(proposal=on, body=f"Avis {token}",
                                          submitter_email=SECRET, **state)  # fmt: skip

        comment(public, PUBLIC_COMMENT, status=Status.PUBLISHED)
        for token, state in COMMENT_STATES.items():
            comment(public, token, **state)
        comment(items["qhiddenz"], "qcommentonhiddenz", status=Status.PUBLISHED)
    return theme, items


SURFACES = [
    ("/consultations/", False),
    ("/consultations/quetzal/", True),
    ("/consultations/quetzal/?tri=soutiens", True),
    ("/consultations/quetzal/?theme={theme}", True),
    ("/consultations/quetzal/?q=Quetzal", True),
    ("/consultations/quetzal/resultats/", True),
    ("/consultations/quetzal/resultats.csv", True),
    ("/consultations/quetzal/resultats.json", True),
    ("/donnees/consultations.csv", True),
    ("/donnees/consultations-commentaires.csv", False),
    ("/donnees/", False),
    ("/api/v1/consultations", False),
    ("/api/v1/consultations/quetzal/proposals", True),
    ("/recherche/?q=Quetzal", True),
    ("/sitemap.xml", False),
    ("/sitemap-consultations.xml", False),
    ("/", False),
    ("/themes/{theme}/", False),
    ("/territoires/37/", False),
]


@pytest.mark.parametrize("url", ["/themes/{theme}/", "/consultations/"])
def test_theme_pages_list_only_published_consultations(client, world, url):
    theme, _ = world
    text = body(client.get(url.format(theme=theme.slug))).lower()
    assert "qconsultcontrolz" in text and "qunpublishedconsultz" not in text


@pytest.mark.parametrize(("url", "lists"), SURFACES)
def test_public_surfaces_show_only_public_proposals(client, world, url, lists):
    theme, items = world
    response = client.get(url.format(theme=theme.slug))
    text = body(response).lower()
    assert response.status_code == 200, url
    leaked = [token for token in NEVER if token in text]
    assert leaked == [], f"{url} shows non-public items: {leaked}"
    assert SECRET not in text
    if lists:
        assert PUBLIC in text, f"{url} does not list the public proposal (broken control)"


def test_the_comments_dataset_holds_only_public_comments(client, world):
    text = body(client.get("/donnees/consultations-commentaires.csv")).lower()
    assert PUBLIC_COMMENT in text
    assert [token for token in NEVER if token in text] == []


def test_the_sitemap_lists_only_public_proposals(client, world):
    _, items = world
    text = body(client.get("/sitemap-consultations.xml"))
    assert items[PUBLIC].get_absolute_url() in text
    for token in [*HIDDEN_STATES, "qinunpublishedz"]:
        assert items[token].get_absolute_url() not in text
    assert "qunpublishedconsultz" not in text


def test_the_public_proposal_page_shows_only_public_comments(client, world):
    _, items = world
    text = body(client.get(items[PUBLIC].get_absolute_url())).lower()
    assert PUBLIC_COMMENT in text
    assert [token for token in NEVER if token in text] == []
    assert SECRET not in text


def test_non_public_proposals_have_no_public_address(client, world):
    _, items = world
    for token in [*HIDDEN_STATES, "qinunpublishedz"]:
        proposal = items[token]
        urls = [proposal.get_absolute_url(), proposal.attachments.get().get_absolute_url(),
                f"{proposal.get_absolute_url()}contribution.pdf",
                f"/api/v1/consultations/{proposal.consultation.slug}"]  # fmt: skip
        for url in urls[:3] if token != "qinunpublishedz" else urls:
            assert client.get(url).status_code == 404, (token, url)
    assert client.get("/consultations/quetzal-qunpublishedconsultz/").status_code == 404
