"""The watch in a real browser: a facilitator picks an item on /veille/a-trier/, then
finds it on /veille/ and in /veille.rss; axe-core on every page of the module."""

import feedparser
from django.utils import timezone
from playwright.sync_api import expect

from essaim.accounts.roles import Role
from essaim.taxonomy.models import Theme
from essaim.veille import services
from essaim.veille.models import Item, Source
from tests.browser.helpers import assert_accessible, log_in
from tests.conftest import make_user


def test_facilitator_picks_an_item_found_on_the_page_and_in_rss(new_page, live_server,
                                                                django_user_model):  # fmt: skip
    facilitator = make_user(django_user_model, "fanny@example.org", Role.FACILITATOR,
                            display_name="Fanny")  # fmt: skip
    theme = Theme.objects.create(name="Monnaies locales", slug="monnaies-locales")
    source = Source.objects.create(url="https://fil.example.org/feed.xml", title="Le Fil")
    Item.objects.create(source=source, guid="1", title="La Gabare fête ses dix ans",
                        link="https://fil.example.org/gabare", published_at=timezone.now(),
                        summary_html="<p>300 commerçants.</p>", content_hash="h1")  # fmt: skip
    page = new_page()
    log_in(page, facilitator, live_server.url)
    page.goto("/veille/a-trier/")
    assert_accessible(page)
    page.get_by_label("Commentaire (public)").fill("Un modèle pour le Berry.")
    page.get_by_label("Thèmes").select_option(label="Monnaies locales")
    page.get_by_role("button", name="Retenir « La Gabare fête ses dix ans »").click()
    expect(page.get_by_text("« La Gabare fête ses dix ans » est retenu.")).to_be_visible()

    visitor = new_page()
    visitor.goto("/veille/")
    expect(visitor.get_by_role("link", name="La Gabare fête ses dix ans")).to_be_visible()
    expect(visitor.get_by_text("Un modèle pour le Berry.")).to_be_visible()
    assert_accessible(visitor)
    rss = feedparser.parse(visitor.request.get("/veille.rss").body())
    assert not rss.bozo
    assert [(e.title, e.link) for e in rss.entries] == [
        ("La Gabare fête ses dix ans", "https://fil.example.org/gabare")]  # fmt: skip
    assert rss.entries[0].tags[0].term == theme.name

    visitor.goto("/veille/flux/")
    expect(visitor.get_by_role("link", name="La Gabare fête ses dix ans")).to_be_visible()
    assert_accessible(visitor)
    services.send_digest(force=True)
    visitor.goto("/veille/lettres/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="la veille du").click()
    expect(visitor.get_by_text("Un modèle pour le Berry.")).to_be_visible()
    assert_accessible(visitor)
    visitor.goto("/veille/abonnement/")
    assert_accessible(visitor)
