import pytest
from django.urls import reverse

from essaim.consultations.models import Participation, Phase
from essaim.moderation.models import Status
from tests.consultations.factories import make_consultation, make_proposal

pytestmark = pytest.mark.django_db


def test_the_list_groups_open_coming_and_closed_consultations(client):
    make_consultation(Phase.SUPPORTS, slug="ouverte", title="Ouverte quinoa")
    make_consultation(Phase.COMING, slug="bientot", title="Bientôt sarrasin")
    make_consultation(Phase.CLOSED, slug="finie", title="Finie épeautre")
    make_consultation(Phase.SUPPORTS, slug="brouillon", title="Brouillon seigle", published=False)
    html = client.get("/consultations/").content.decode()
    assert (
        html.index("Ouverte quinoa") < html.index("Bientôt sarrasin") < html.index("Finie épeautre")
    )
    assert "Brouillon seigle" not in html


def test_an_unpublished_consultation_is_not_found(client):
    make_consultation(slug="cachee", published=False)
    assert client.get("/consultations/cachee/").status_code == 404


def test_the_page_shows_the_timeline_the_rules_and_public_proposals(client):
    consultation = make_consultation(Phase.SUPPORTS, max_supports=3)
    make_proposal(consultation, title="Publique moutarde")
    make_proposal(consultation, title="Attente radis", status=Status.PENDING)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Publique moutarde" in html and "Attente radis" not in html
    assert 'aria-current="step"' in html
    assert "Vous pouvez soutenir 3 propositions au plus" in html
    assert "adresse e-mail vérifiée" in html


def test_the_rules_say_who_may_take_part(client):
    consultation = make_consultation(participation=Participation.MEMBERS)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "organisations membres" in html


def test_proposals_filter_by_answer_and_sort_by_supports(client, owner, member):
    from essaim.consultations.models import Support

    consultation = make_consultation(Phase.ANSWERS)
    a = make_proposal(consultation, title="Alpha panais", answer_state="accepted")
    b = make_proposal(consultation, title="Beta rutabaga")
    Support.objects.create(proposal=b, user=owner)
    Support.objects.create(proposal=b, user=member)
    url = consultation.get_absolute_url()
    html = client.get(url, {"tri": "soutiens"}).content.decode()
    assert html.index("Beta rutabaga") < html.index("Alpha panais")
    html = client.get(url, {"reponse": "accepted"}).content.decode()
    assert "Alpha panais" in html and "Beta rutabaga" not in html
    assert a.pk


@pytest.mark.parametrize("count", [5, 30])
def test_the_consultation_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, count, owner
):
    from essaim.consultations.models import Support
    from essaim.taxonomy.models import Theme

    theme = Theme.objects.create(name="Thème test", slug="theme-test")
    consultation = make_consultation(Phase.SUPPORTS)
    for i in range(count):
        proposal = make_proposal(consultation, title=f"P{i}", commune_id="37261")
        proposal.themes.set([theme])
        Support.objects.create(proposal=proposal, user=owner)
    client.force_login(owner)
    with django_assert_max_num_queries(22):
        assert client.get(consultation.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        results = reverse("consultations:results", args=[consultation.slug])
        assert client.get(results).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/consultations/").status_code == 200


@pytest.mark.parametrize("count", [5, 30])
def test_the_proposal_page_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, count, owner, member
):
    from essaim.consultations import services

    proposal = make_proposal(make_consultation(Phase.DISCUSSION), owner)
    parent = None
    for i in range(count):
        author = owner if i % 2 else member
        parent = services.add_comment(proposal=proposal, author=author, body=f"Avis {i}",
                                      parent=parent if i % 3 else None)  # fmt: skip
    client.force_login(member)
    with django_assert_max_num_queries(30):
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert f"Avis {count - 1}" in html


def test_personal_data_lists_proposals_comments_supports_and_follows(owner):
    from essaim.consultations import personal_data, services
    from essaim.consultations.models import Support

    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation, owner, title="Mienne")
    services.add_comment(proposal=proposal, author=owner, body="Mon avis")
    Support.objects.create(proposal=proposal, user=owner)
    services.follow(consultation=consultation, user=owner)
    data = personal_data.collect(owner)
    assert data["propositions"][0]["titre"] == "Mienne"
    assert data["commentaires"][0]["texte"] == "Mon avis"
    assert data["soutiens"][0]["proposition"] == "Mienne"
    assert data["consultations_suivies"] == [consultation.title]


def test_the_theme_filter_includes_sub_themes(client):
    from essaim.taxonomy.models import Theme

    parent = Theme.objects.create(name="Alimentation", slug="alimentation-test")
    child = Theme.objects.create(name="Cantines", slug="cantines-test", parent=parent)
    consultation = make_consultation()
    make_proposal(consultation, title="Sous-thème carvi").themes.set([child])
    make_proposal(consultation, title="Sans thème cumin")
    html = client.get(consultation.get_absolute_url(), {"theme": parent.slug}).content.decode()
    assert "Sous-thème carvi" in html and "Sans thème cumin" not in html


def test_the_personal_data_page_shows_the_consultations_section(client, owner):
    from essaim.consultations import services

    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation, owner, title="Ma proposition safran")
    services.add_comment(proposal=proposal, author=owner, body="Mon avis cerfeuil")
    client.force_login(owner)
    html = client.get("/mon-compte/mes-donnees/").content.decode()
    assert "Ma proposition safran" in html and "Mon avis cerfeuil" in html
