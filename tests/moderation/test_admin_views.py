import pytest
from django.core import mail

from essaim.moderation import services
from essaim.moderation.models import ModerationEvent, PendingVersion, Report, Status
from tests.moderation.conftest import make_proposal
from tests.testapp.models import Proposal

QUEUE = "/admin/moderation/"


def item_url(item, action="") -> str:
    return f"/admin/moderation/testapp.proposal/{item.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def secret_pending(db):
    return make_proposal(Status.PENDING, title="Proposition secrète en attente",
                         submitter_email="secret@example.net")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "outsider", "member", "owner"])
def test_queue_and_item_are_refused_to_everyone_but_moderators(
    request, client, persona, secret_pending
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    for url in (QUEUE, item_url(secret_pending), item_url(secret_pending) + "historique.csv"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"secr" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_actions_are_refused_to_non_moderators(request, client, persona, secret_pending):
    client.force_login(request.getfixturevalue(persona))

    client.post(item_url(secret_pending, "publish"))
    client.post(QUEUE + "refuser/", {"items": [f"testapp.proposal:{secret_pending.pk}"],
                                     "reason": "x"})  # fmt: skip

    assert Proposal.objects.get().status == Status.PENDING
    assert ModerationEvent.objects.count() == 0


@pytest.mark.django_db
def test_menu_item_shows_for_moderators_only(client, moderator, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(email="ed@example.org", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    # Wagtail renders its sidebar from JSON props.
    menu_entry = '"name": "moderation", "label": "Mod\\u00e9ration"'
    client.force_login(moderator)
    assert menu_entry in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert menu_entry not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_queue_lists_pending_items_versions_and_hidden_items_with_counts(
    client, moderator, member, secret_pending, published
):
    hidden = make_proposal(title="Contenu signalé", is_hidden=True)
    make_proposal(title="Déjà publié, rien à faire")
    services.propose_edit(obj=published, changes={"body": "Nouveau texte"}, by=member)
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert '<strong data-count="pending">1</strong>' in html
    assert '<strong data-count="versions">1</strong>' in html
    assert '<strong data-count="hidden">1</strong>' in html
    assert "Proposition secrète en attente" in html and "secret@example.net" in html
    assert f'href="{item_url(hidden)}"' in html and f'href="{item_url(published)}"' in html
    assert "Déjà publié, rien à faire" not in html


def _fill_queue(count: int, member):
    for i in range(count):
        make_proposal(Status.PENDING, title=f"En attente {i}", submitted_by=member)
        make_proposal(title=f"Masqué {i}", is_hidden=True)
        item = make_proposal(title=f"Publié {i}")
        services.propose_edit(obj=item, changes={"title": f"Nouveau {i}"}, by=member)
        Report.objects.create(content_type_id=_ct(), object_id=str(item.pk), reason="spam",
                              reporter_key=f"addr:{i}")  # fmt: skip


def _ct():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Proposal).pk


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_does_not_grow_with_items(
    client, moderator, member, count, django_assert_num_queries
):
    _fill_queue(count, member)
    client.force_login(moderator)
    client.get(QUEUE)  # warm the content-type and Wagtail caches

    with django_assert_num_queries(queue_queries()):
        response = client.get(QUEUE)

    assert response.content.decode().count('name="items"') == 2 * count


def queue_queries() -> int:
    """Session, user, groups and Wagtail's chrome, then two queries per registered type,
    and one for the hashed addresses of the pending items.

    The count depends on how many types are moderated, never on how many items wait.
    """
    from django.conf import settings

    from essaim.moderation import registry

    # With Redis (cached_db sessions) the session comes from the cache, not a query.
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    return 12 + session + 2 * len(registry.types())


@pytest.mark.django_db
def test_item_page_shows_fields_diff_reports_history_and_actions(
    client, moderator, member, published
):
    services.propose_edit(obj=published, changes={"title": "Jardin des Prébendes (Tours)"},
                          by=member)  # fmt: skip
    services.report(obj=published, reason=Report.Reason.WRONG, comment="Horaires faux",
                    address_hash="a")  # fmt: skip
    client.force_login(moderator)

    html = client.get(item_url(published)).content.decode()

    assert "Un jardin ouvert à tous, le samedi matin." in html
    assert ("<th scope=\"row\">Titre</th><td><del>Jardin partagé des Prébendes</del></td>"
            "<td><ins>Jardin des Prébendes (Tours)</ins></td>") in html  # fmt: skip
    assert "Information erronée" in html and "Horaires faux" in html
    assert "Modification proposée" in html and "Signalé" in html
    assert f'action="{item_url(published, "archive")}"' in html
    assert f'action="{item_url(published, "publish")}"' not in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_moderator_publishes_from_the_item_page(
    django_capture_on_commit_callbacks, client, moderator, secret_pending
):
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item_url(secret_pending, "publish"), {"reason": ""})

    assert response.status_code == 302
    assert Proposal.objects.get().status == Status.PUBLISHED
    assert mail.outbox[-1].to == ["secret@example.net"]


@pytest.mark.django_db
def test_reject_without_reason_is_refused_with_a_message(client, moderator, secret_pending):
    client.force_login(moderator)

    response = client.post(item_url(secret_pending, "reject"), {"reason": " "}, follow=True)

    assert "Indiquez le motif du refus." in response.content.decode()
    assert Proposal.objects.get().status == Status.PENDING


@pytest.mark.django_db
def test_accepting_and_refusing_versions_from_the_back_office(client, moderator, published):
    first = services.propose_edit(obj=published, changes={"title": "Premier"})
    second = services.propose_edit(obj=published, changes={"body": "Second"})
    client.force_login(moderator)

    client.post(f"/admin/moderation/versions/{first.pk}/accept/", {"reason": ""})
    client.post(f"/admin/moderation/versions/{second.pk}/reject/", {"reason": "Moins précis"})

    item = Proposal.objects.get()
    assert (item.title, item.body) == ("Premier", "Un jardin ouvert à tous, le samedi matin.")
    assert list(PendingVersion.objects.order_by("pk").values_list("state", flat=True)) == [
        PendingVersion.State.ACCEPTED, PendingVersion.State.REJECTED,
    ]  # fmt: skip


@pytest.mark.django_db
def test_dismissing_reports_from_the_back_office_unhides(client, settings, moderator, published):
    settings.ESSAIM_REPORTS_BEFORE_HIDING = 1
    services.report(obj=published, reason=Report.Reason.SPAM, address_hash="a")
    client.force_login(moderator)

    client.post(item_url(published, "dismiss-reports"), {"reason": "Infondé"})

    assert list(Proposal.objects.public()) == [published]


@pytest.mark.django_db
def test_bulk_reject_refuses_the_selected_items_only(client, moderator):
    spam = [make_proposal(Status.PENDING, title=f"Spam {i}") for i in range(3)]
    client.force_login(moderator)

    client.post(QUEUE + "refuser/", {
        "items": [f"testapp.proposal:{spam[0].pk}", f"testapp.proposal:{spam[1].pk}",
                  "accounts.user:1"],
        "reason": "Publicité",
    })  # fmt: skip

    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {"Spam 0": Status.REJECTED, "Spam 1": Status.REJECTED,
                        "Spam 2": Status.PENDING}  # fmt: skip


@pytest.mark.django_db
def test_history_exports_as_csv(client, moderator, secret_pending):
    services.publish(obj=secret_pending, by=moderator, reason="OK")
    client.force_login(moderator)

    response = client.get(item_url(secret_pending) + "historique.csv")
    lines = response.content.decode().splitlines()

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == "type,object_id,date,action,actor,reason,data"
    assert lines[1].startswith(f"testapp.proposal,{secret_pending.pk},")
    assert lines[1].endswith(",published,Mona,OK,{}")
