from bs4 import BeautifulSoup

from essaim.moderation.models import Status
from essaim.publications import services
from tests.publications.conftest import make_article, make_dossier


def selection(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.a.get_text(strip=True) for li in soup.select(".dossier-item")]


def test_a_dossier_shows_only_public_chosen_items(client, currencies):
    from tests.initiatives.conftest import make_initiative

    shown = make_initiative("Le Galais")
    hidden = make_initiative("Masquée")
    article = make_article("Article choisi")
    draft = make_article("Brouillon choisi", live=False)
    items = [("page", article), ("page", draft), ("initiative", shown), ("initiative", hidden)]
    dossier = make_dossier("Monnaies", theme=currencies, items=items)
    assert selection(client.get(dossier.url)) == ["Article choisi", "Le Galais", "Masquée"]
    hidden.status = Status.ARCHIVED
    hidden.save()
    assert selection(client.get(dossier.url)) == ["Article choisi", "Le Galais"]


def test_a_dossier_keeps_the_newest_articles_of_its_theme(client, currencies, third_places):
    make_article("Du thème", themes=[currencies])
    make_article("Hors thème", themes=[third_places])
    dossier = make_dossier("Monnaies", theme=currencies)
    soup = BeautifulSoup(client.get(dossier.url).content, "html.parser")
    section = soup.select_one("#dossier-articles").parent
    assert [a.get_text() for a in section.select("li a")] == ["Du thème"]


def test_a_pick_pushed_from_the_veille_appears_in_the_dossier(client, editor, currencies):
    from tests.veille import factories

    pick = factories.pick(factories.item(title="Le Galais dans la presse"))
    dossier = make_dossier("Monnaies", theme=currencies)
    services.push_pick(pick=pick, dossier=dossier, user=editor)
    services.push_pick(pick=pick, dossier=dossier, user=editor)  # idempotent
    assert dossier.pushed_picks.count() == 1
    assert "Le Galais dans la presse" in client.get(dossier.url).content.decode()


def test_the_push_action_is_refused_to_non_editors(client, member, editor, currencies):
    from tests.veille import factories

    pick = factories.pick()
    dossier = make_dossier("Monnaies", theme=currencies)
    client.force_login(member)
    url = f"/admin/publications/pousser/{pick.pk}/"
    assert client.post(url, {"dossier": dossier.pk}).status_code in (302, 403)
    assert not dossier.pushed_picks.exists()
    client.force_login(editor)
    assert client.post(url, {"dossier": dossier.pk}).status_code == 302
    assert dossier.pushed_picks.get().pick == pick
