"""Public pages, feeds and exports show public sources only; curators pick items."""

from html.parser import HTMLParser

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essaim.veille.models import Pick
from tests.veille import factories

pytestmark = pytest.mark.django_db


class Markup(HTMLParser):
    """Real tags and attributes of a page (escaped text is not markup)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "object", "embed", "style", "base"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}>")
            if name in {"href", "src", "action"} and value.startswith(("javascript:", "data:")):
                self.problems.append(f"<{tag} {name}={value[:20]}>")


def dangerous_markup(html: str) -> list[str]:
    parser = Markup()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def private_pick(db):
    secret = factories.source(is_public=False, title="Lettre confidentielle")
    return factories.pick(factories.item(secret, title="Note interne confidentielle",
                                         link="https://intranet.example.org/note"))  # fmt: skip


@pytest.fixture
def public_pick(themes):
    return factories.pick(
        factories.item(title="Monnaies locales en fête"),
        themes=[themes["monnaies-locales"]],
        comment="Un bel exemple.",
    )


PUBLIC_URLS = ["/veille/", "/veille/flux/", "/veille.rss", "/veille/sources.opml",
               "/veille/theme/monnaies-locales/", "/veille.rss?theme=monnaies-locales",
               "/recherche/?q=note+interne", "/sitemap.xml"]  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_private_sources_never_appear_on_public_surfaces(client, private_pick, public_pick, url):
    private_pick.themes.set(public_pick.themes.all())
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Note interne confidentielle" not in body and "intranet.example.org" not in body
    assert "Lettre confidentielle" not in body and private_pick.item.source.url not in body


def test_search_finds_public_picks_and_items(client, public_pick, private_pick):
    body = client.get("/recherche/?q=monnaies+locales").content.decode()
    assert "Monnaies locales en fête" in body
    assert "Veille : sélection" in body and "Veille : articles" in body


def test_picks_page_lists_public_picks_with_comment_and_outbound_link(client, public_pick):
    body = client.get("/veille/").content.decode()
    assert "Monnaies locales en fête" in body and "Un bel exemple." in body
    assert f'href="{public_pick.item.link}" rel="noopener"' in body


def test_theme_page_shows_only_that_theme(client, themes, public_pick):
    other = factories.pick(factories.item(title="Tiers-lieu rural"), themes=[themes["tiers-lieux"]])
    body = client.get("/veille/theme/tiers-lieux/").content.decode()
    assert other.item.title in body and public_pick.item.title not in body
    assert client.get("/veille/theme/inconnu/").status_code == 404


def test_picks_are_paginated_with_rel_next(client):
    for _ in range(21):
        factories.pick()
    body = client.get("/veille/").content.decode()
    assert '<link rel="next" href="?page=2">' in body and 'rel="next"' in body
    assert client.get("/veille/?page=2").context["page"].object_list[0].pk == \
        Pick.objects.order_by("picked_at", "pk").first().pk  # fmt: skip


def test_rss_is_valid_rss2_for_feedparser(client, public_pick):
    parsed = feedparser.parse(client.get("/veille.rss").content)
    assert not parsed.bozo and parsed.version == "rss20"
    entry = parsed.entries[0]
    assert (entry.title, entry.link) == ("Monnaies locales en fête", public_pick.item.link)
    assert "Un bel exemple." in entry.summary
    assert [t.term for t in entry.tags] == ["Monnaies locales"]


def test_items_page_shows_accepted_mentions_only(client):
    from essaim.initiatives.models import Initiative
    from essaim.moderation.models import Status
    from essaim.veille.models import ItemMention

    it = factories.item(title="La Gabare")
    for name, state in [("Ressourcerie du Véron", "accepted"), ("Épicerie de Tours", "suggested")]:
        initiative = Initiative.objects.create(name=name, slug=name[:12].lower().replace(" ", "-"),
                                               summary="…", status=Status.PUBLISHED)  # fmt: skip
        ItemMention.objects.create(item=it, initiative=initiative, state=state)
    body = client.get("/veille/flux/").content.decode()
    assert "Ressourcerie du Véron" in body and "Épicerie de Tours" not in body


def test_hostile_feed_renders_no_script_anywhere(client, curator, feed_server):
    from essaim.veille.models import Item, Source
    from essaim.veille.polling import poll_due

    Source.objects.create(url=feed_server.url("/files/hostile.xml"))
    poll_due(everything=True)
    for it in Item.objects.all():
        factories.pick(it, comment='<script>alert("c")</script><b onclick="x()">avis</b>')
    client.force_login(curator)
    for url in ["/veille/", "/veille/flux/", "/veille/a-trier/"]:
        body = client.get(url).content.decode()
        assert "Titre piégé" in body or url == "/veille/a-trier/"
        assert dangerous_markup(body) == [], url
    rss = feedparser.parse(client.get("/veille.rss").content, sanitize_html=False)
    assert len(rss.entries) == 2
    assert all(dangerous_markup(entry.summary) == [] for entry in rss.entries)


# --- curation -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/veille/a-trier/")
    assert response.status_code == 302 and "/comptes/" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_people_who_do_not_curate_are_refused(client, request, persona):
    it = factories.item(title="Article à ne pas voir")
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/veille/a-trier/")
    assert response.status_code == 403 and b"Article \xc3\xa0 ne pas voir" not in response.content
    response = client.post(reverse("veille:pick", args=[it.pk]),
                           {f"item-{it.pk}-comment": "pirate"})  # fmt: skip
    assert response.status_code == 403 and not Pick.objects.exists()


@pytest.mark.parametrize("persona", ["curator", "moderator"])
def test_facilitators_and_staff_pick_an_item(client, request, persona, themes):
    user = request.getfixturevalue(persona)
    private = factories.item(factories.source(is_public=False), title="Interne")
    it = factories.item(title="Le Mois de l'ESS")
    client.force_login(user)
    listing = client.get("/veille/a-trier/?q=ESS").content.decode()
    assert "Le Mois de l&#x27;ESS" in listing and "Interne" not in listing
    prefix = f"item-{it.pk}"
    response = client.post(
        reverse("veille:pick", args=[it.pk]),
        {f"{prefix}-comment": "À partager.", f"{prefix}-themes": [themes["insertion"].pk]},
    )
    assert response.status_code == 302
    pick = Pick.objects.get()
    assert (pick.item, pick.comment, pick.picked_by) == (it, "À partager.", user)
    assert [t.slug for t in pick.themes.all()] == ["insertion"]
    assert private.pk  # listed for curators without ?q
    assert "Interne" in client.get("/veille/a-trier/").content.decode()


def test_picking_with_an_unknown_theme_is_refused_with_400(client, curator):
    it = factories.item()
    client.force_login(curator)
    response = client.post(reverse("veille:pick", args=[it.pk]), {f"item-{it.pk}-themes": [9999]})
    assert response.status_code == 400 and not Pick.objects.exists()


# --- query counts ---------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/veille/", "/veille/flux/", "/veille.rss",
                                 "/veille/sources.opml", "/veille/theme/insertion/",
                                 "/veille/lettres/"])  # fmt: skip
def test_lists_and_feeds_do_not_grow_queries_with_items(client, themes, url):
    def add():
        p = factories.pick(themes=[themes["insertion"], themes["tiers-lieux"]])
        p.item.themes.set([themes["insertion"]])
        p.item.source.themes.set([themes["insertion"]])
        from django.utils import timezone

        from essaim.veille.models import Digest

        Digest.objects.create(period_start=timezone.now(), period_end=timezone.now(),
                              subject="Lettre", html="<p>x</p>", text="x")  # fmt: skip

    add()
    one = count_queries(client, url)
    add(), add()
    assert count_queries(client, url) == one


def test_sorting_page_does_not_grow_queries_with_items(client, curator, themes):
    client.force_login(curator)
    factories.item().themes.set([themes["insertion"]])
    one = count_queries(client, "/veille/a-trier/")
    factories.pick().item.themes.set([themes["insertion"]])
    factories.item()
    assert count_queries(client, "/veille/a-trier/") == one
