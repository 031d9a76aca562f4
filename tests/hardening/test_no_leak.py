"""No leak: only public content reaches a public surface.

For each module, one item per non-public lifecycle state (draft, pending, rejected,
archived, hidden after reports) and one public item are created, each carrying a unique
token in its name and slug, and a private contact address. Every public surface is then
fetched anonymously: the public item must appear where the surface lists things (the
positive control that keeps this test honest) and no other token, nor the private
address, may appear anywhere. Detail URLs and API items of the non-public ones are 404.

Modules add themselves to ``MODULES`` as they land.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone

from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

SECRET = "never-shown@private.example.org"
TOURS = "37261"
# token -> the fields that put an item in that state.
HIDDEN_STATES = {
    "qdraftz": {"status": Status.DRAFT},
    "qpendingz": {"status": Status.PENDING},
    "qrejectedz": {"status": Status.REJECTED},
    "qarchivedz": {"status": Status.ARCHIVED},
    "qhiddenz": {"status": Status.PUBLISHED, "is_hidden": True},
}


def visible(module: str) -> str:
    """The public item's token, per module: each module's control must pass on its own."""
    return f"qpublic{module}z"


@dataclass
class Module:
    make: Callable[..., object]  # make(token, theme, **state_fields) -> item
    # (url, lists the public item?) — URLs may use {theme}.
    surfaces: list[tuple[str, bool]]
    detail_urls: Callable[[object], list[str]] = field(default=lambda item: [])


def make_initiative(token: str, theme: Theme, **state):
    from essaim.initiatives.models import Initiative

    commune = Commune.objects.get(pk=TOURS)
    initiative = Initiative.objects.create(
        name=f"Quetzal {token}", slug=f"quetzal-{token}", summary=f"Résumé {token}",
        commune=commune, latitude=commune.latitude, longitude=commune.longitude,
        email=SECRET, published_at=timezone.now(), **state,
    )  # fmt: skip
    initiative.themes.set([theme])
    return initiative


def initiative_urls(item) -> list[str]:
    return [item.get_absolute_url(), f"/api/v1/initiatives/{item.pk}"]


def make_event(token: str, theme: Theme, **state):
    from datetime import timedelta

    from essaim.agenda.models import Event

    commune = Commune.objects.get(pk=TOURS)
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    event = Event.objects.create(
        title=f"Quetzal {token}", slug=f"quetzal-{token}", summary=f"Résumé {token}",
        commune=commune, latitude=commune.latitude, longitude=commune.longitude,
        start=start, end=start + timedelta(hours=2), organiser_name=f"Orga {token}",
        submitter_email=SECRET, published_at=timezone.now(), **state,
    )  # fmt: skip
    event.themes.set([theme])
    return event


def event_urls(item) -> list[str]:
    return [item.get_absolute_url(), f"/agenda/{item.slug}.ics", f"/api/v1/events/{item.slug}"]


# --- Wagtail pages (publications, experiences) -------------------------------------------
# Pages have no moderation status: each lifecycle state maps to what keeps a page from the
# public — never published (draft, pending review, rejected), unpublished after having been
# live (archived), or live behind a login restriction (hidden).


def _hide_page(page, **state) -> None:
    from wagtail.models import PageViewRestriction

    if state.get("is_hidden"):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif state.get("status") == Status.ARCHIVED:
        page.unpublish()


def _page_is_live(**state) -> bool:
    return state.get("status") == Status.PUBLISHED or state.get("status") == Status.ARCHIVED


def make_article(token: str, theme: Theme, **state):
    from wagtail.rich_text import RichText

    from essaim.publications.models import ArticleIndexPage, ArticlePage

    article = ArticlePage(
        title=f"Quetzal {token}", slug=f"quetzal-{token}", lead=f"Chapô {token}",
        territory_key=TOURS, live=_page_is_live(**state),
        body=[("paragraph", RichText(f"<p>Texte {token}</p>"))],
    )  # fmt: skip
    article.themes.set([theme])
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision()
    _hide_page(article, **state)
    return article


def make_sheet(token: str, theme: Theme, **state):
    from essaim.experiences.models import ExperienceIndexPage, ExperiencePage

    sheet = ExperiencePage(
        title=f"Quetzal {token}", slug=f"quetzal-{token}", summary=f"Résumé {token}",
        outcome="reussite", context=f"<p>Contexte {token}</p>",
        commune=Commune.objects.get(pk=TOURS), live=_page_is_live(**state),
    )  # fmt: skip
    sheet.themes = [theme]
    ExperienceIndexPage.objects.get().add_child(instance=sheet)
    sheet.save_revision()
    _hide_page(sheet, **state)
    return sheet


def page_urls(item) -> list[str]:
    return [f"{item.get_parent().url}{item.slug}/"]


def sheet_urls(item) -> list[str]:
    return [*page_urls(item), f"{page_urls(item)[0]}historique/"]


MODULES = {
    "initiatives": Module(
        make=make_initiative,
        surfaces=[
            ("/", True),
            ("/initiatives/", True),
            ("/initiatives/?q=Quetzal", True),
            ("/initiatives/?territoire=37", True),
            ("/initiatives/?theme={theme}", True),
            ("/carte/", False),
            ("/carte/embed/", False),
            ("/api/v1/map/initiatives?bbox=0.5,47.2,0.9,47.6&zoom=18", True),
            ("/api/v1/map/initiatives/list?bbox=0.5,47.2,0.9,47.6&zoom=18", True),
            ("/api/v1/initiatives", True),
            ("/api/v1/initiatives?q=Quetzal", True),
            ("/donnees/initiatives.csv", True),
            ("/donnees/initiatives.geojson", True),
            ("/donnees/initiatives.jsonld", True),
            ("/recherche/?q=Quetzal", True),
            ("/sitemap-initiatives.xml", True),
            ("/territoires/37261/", True),
            ("/territoires/37/", True),
            ("/themes/{theme}/", True),
        ],
        detail_urls=initiative_urls,
    ),
    "agenda": Module(
        make=make_event,
        surfaces=[
            ("/", True),
            ("/agenda/", True),
            ("/agenda/?q=Quetzal", True),
            ("/agenda/?territoire=37", True),
            ("/agenda/?theme={theme}", True),
            ("/agenda/?pres=37261&rayon=10", True),
            ("/agenda/?vue=calendrier", False),
            ("/agenda/?vue=carte", False),
            ("/agenda/embed/", True),
            ("/agenda.ics", True),
            ("/agenda.rss", True),
            ("/agenda/theme/{theme}.ics", True),
            ("/agenda/theme/{theme}.rss", True),
            ("/agenda/organisateur/orga-qpublicagendaz.ics", True),
            ("/donnees/evenements.ics", True),
            ("/donnees/evenements.csv", True),
            ("/api/v1/events", True),
            ("/recherche/?q=Quetzal", True),
            ("/sitemap-evenements.xml", True),
            ("/territoires/37261/", True),
            ("/themes/{theme}/", True),
        ],
        detail_urls=event_urls,
    ),
    "publications": Module(
        make=make_article,
        surfaces=[
            ("/articles/", True),
            ("/articles/?theme={theme}", True),
            ("/articles/?territoire=37", True),
            ("/articles.rss", True),
            ("/articles.atom", True),
            ("/donnees/articles.csv", True),
            ("/api/v1/articles", True),
            ("/api/v1/articles?theme={theme}", True),
            ("/api/v1/articles?territoire=37", True),
            ("/api/v1/articles?q=Quetzal", True),
            ("/recherche/?q=Quetzal", True),
            ("/sitemap-publications.xml", True),
            ("/territoires/37261/", True),
            ("/themes/{theme}/", True),
            ("/observatoire/?territoire=37", False),
        ],
        detail_urls=page_urls,
    ),
    "experiences": Module(
        make=make_sheet,
        surfaces=[
            ("/experiences/", True),
            ("/experiences/?theme={theme}", True),
            ("/experiences/?territoire=37", True),
            ("/donnees/experiences.csv", True),
            ("/api/v1/experiences", True),
            ("/api/v1/experiences?theme={theme}", True),
            ("/api/v1/experiences?territoire=37261", True),
            ("/recherche/?q=Quetzal", True),
            ("/sitemap-experiences.xml", True),
            ("/territoires/37261/", True),
            ("/themes/{theme}/", True),
        ],
        detail_urls=sheet_urls,
    ),
}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    """Every module's items, indexed for search as the site indexes them (on commit)."""
    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-theme")
    items = {}
    with django_capture_on_commit_callbacks(execute=True):
        for name, module in MODULES.items():
            token = visible(name)
            items[name] = {token: module.make(token, theme, status=Status.PUBLISHED)}
            for token, state in HIDDEN_STATES.items():
                items[name][token] = module.make(token, theme, **state)
    return theme, items


SURFACES = [(name, url, lists) for name, m in MODULES.items() for url, lists in m.surfaces]


@pytest.mark.parametrize(("module", "url", "lists"), SURFACES)
def test_public_surfaces_show_only_public_items(client, world, module, url, lists):
    theme, _ = world
    response = client.get(url.format(theme=theme.slug))
    text = body(response).lower()

    assert response.status_code == 200, url
    leaked = [token for token in HIDDEN_STATES if token in text]
    assert leaked == [], f"{url} shows non-public items: {leaked}"
    assert SECRET not in text
    if lists:
        assert visible(module) in text, f"{url} does not list the public item (broken control)"


@pytest.mark.parametrize("module", list(MODULES))
def test_non_public_items_have_no_public_address(client, world, module):
    _, items = world
    for token in HIDDEN_STATES:
        for url in MODULES[module].detail_urls(items[module][token]):
            response = client.get(url)
            # A login-restricted page sends visitors to sign in, showing nothing of itself.
            to_login = response.status_code == 302 and response["Location"].startswith(
                f"{resolve_url(settings.LOGIN_URL)}?next="
            )
            assert response.status_code == 404 or to_login, (token, url, response.status_code)
    for url in MODULES[module].detail_urls(items[module][visible(module)]):
        response = client.get(url)
        assert response.status_code == 200 and SECRET not in body(response)


# --- veille ---------------------------------------------------------------------------
# The veille has no moderation lifecycle: what is public is decided by the source
# (``Source.is_public``) and, for the curated selection, by the pick. Picks have no
# publication state of their own (no draft or hidden pick exists in the model): a pick
# of a private source's item is the one "unpublished" pick. By design (docs/veille.md),
# /veille/flux/ is the stream of *every* item of public sources, picked or not.

VEILLE_NEVER = {
    "qprivatesourcez": "a private source's title",
    "qprivatepickz": "a picked item of a private source",
    "qprivateitemz": "an unpicked item of a private source",
    "qprivatecommentz": "the curator's comment on a private source's item",
    "qmentionpendingz": "an accepted mention of an initiative that is not public",
}
PICKED = "qpublicpickz"  # a picked item of a public source (title and comment)
UNPICKED = "qpublicitemz"  # an unpicked item of a public source
# (url, tokens that must appear, tokens that must not appear besides VEILLE_NEVER)
VEILLE_SURFACES = [
    ("/veille/", {PICKED}, {UNPICKED}),
    ("/veille/?theme={theme}", {PICKED}, {UNPICKED}),
    ("/veille/theme/{theme}/", {PICKED}, {UNPICKED}),
    ("/veille.rss", {PICKED}, {UNPICKED}),
    ("/api/v1/veille", {PICKED}, {UNPICKED}),
    ("/api/v1/veille?theme={theme}", {PICKED}, {UNPICKED}),
    ("/veille/flux/", {PICKED, UNPICKED}, set()),
    ("/veille/flux/?theme={theme}", {PICKED, UNPICKED}, set()),
    ("/veille/flux/?q=Quetzal", {PICKED, UNPICKED}, set()),
    ("/veille/sources.opml", {"qpublicsourcez"}, set()),
    ("/recherche/?q=Quetzal", {PICKED, UNPICKED}, set()),
    ("/themes/{theme}/", {PICKED}, {UNPICKED}),
    ("/territoires/37261/", set(), set()),
    ("/", set(), set()),
    ("/sitemap.xml", set(), set()),
    ("/sitemap-veille.xml", set(), set()),
    ("/veille/lettres/", set(), set()),
    ("/api/v1/initiatives?q=Quetzal", set(), set()),
    ("/donnees/initiatives.csv", set(), set()),
]


@pytest.fixture
def veille_world(db, django_capture_on_commit_callbacks):
    from essaim.veille.models import Item, ItemMention, Pick, Source

    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-theme")
    now = timezone.now()

    def item(source, token, *, comment=""):
        made = Item.objects.create(
            source=source, guid=token, link=f"https://news.example.org/{token}",
            title=f"Quetzal {token}", summary_html=f"<p>Résumé {token}</p>",
            published_at=now, content_hash=token,
        )  # fmt: skip
        made.themes.set([theme])
        if comment:
            pick = Pick.objects.create(item=made, comment=comment, picked_at=now)
            pick.themes.set([theme])
        return made

    with django_capture_on_commit_callbacks(execute=True):
        public = Source.objects.create(url="https://public.example.org/feed",
                                       title="Fil qpublicsourcez")  # fmt: skip
        private = Source.objects.create(url="https://private.example.org/feed",
                                        title="Fil qprivatesourcez", is_public=False)  # fmt: skip
        item(public, PICKED, comment=f"Commentaire {PICKED}")
        unpicked = item(public, UNPICKED)
        item(private, "qprivatepickz", comment="Commentaire qprivatecommentz")
        item(private, "qprivateitemz")
        pending = make_initiative("qmentionpendingz", theme, status=Status.PENDING)
        ItemMention.objects.create(item=unpicked, initiative=pending,
                                   state=ItemMention.State.ACCEPTED)  # fmt: skip
    return theme


@pytest.mark.parametrize(("url", "shown", "absent"), VEILLE_SURFACES)
def test_veille_surfaces_show_only_public_sources_and_picks(client, veille_world, url, shown,
                                                            absent):  # fmt: skip
    response = client.get(url.format(theme=veille_world.slug))
    text = body(response).lower()

    assert response.status_code == 200, url
    leaked = [token for token in [*VEILLE_NEVER, *absent] if token in text]
    assert leaked == [], f"{url} shows what it must not: {leaked}"
    assert [token for token in shown if token not in text] == [], f"{url}: broken control"
