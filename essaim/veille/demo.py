"""Demo: five sources loaded from files shipped in demo_feeds/ (no network), some picks.

Formats: RSS 2.0, Atom, JSON Feed, a Latin-1 RSS and a hostile one (a private source, to
show sanitising and what stays internal). Demo sources are not polled (their addresses
do not exist): their next poll is set a year ahead. Idempotent: sources are keyed by URL,
items by GUID, picks by item.
"""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from essaim.taxonomy.models import Theme
from essaim.veille import services
from essaim.veille.models import Item, KeywordRule, Source
from essaim.veille.parsing import parse
from essaim.veille.storing import store_entries

FEEDS = Path(__file__).parent / "demo_feeds"
BASE = "https://demo.essaim.invalid/veille/"
# file, public, theme slugs of the source
SOURCES = [
    ("fil-ess.xml", True, []),
    ("ressourceries.atom", True, ["reemploi-dechets"]),
    ("tiers-lieux.json", True, ["tiers-lieux"]),
    ("epicerie-latin1.xml", True, ["epiceries-solidaires"]),
    ("hostile.xml", False, []),
]
RULES = {"monnaies-locales": "monnaie locale\nmonnaies locales",
         "insertion-activite-economique": "chantiers d'insertion\ninsertion",
         "energies-renouvelables-citoyennes": "solaire\nphotovoltaïque"}  # fmt: skip
PICKS = [
    ("fil-ess-1042", "Dix ans de monnaie locale : un modèle pour le Berry ?"),
    ("fil-ess-1041", "À relayer auprès des communes rurales avant le 15 décembre."),
    ("tag:ressourceries.example.org,2024:record", "Des chiffres utiles pour nos dossiers."),
    ("https://tiers-lieux.example.org/p/fablab-vendome", "Un nouveau lieu à visiter."),
]


def load_demo(out) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    for slug, keywords in RULES.items():
        if slug in themes:
            KeywordRule.objects.get_or_create(theme=themes[slug], keywords=keywords)
    now = timezone.now()
    for name, is_public, theme_slugs in SOURCES:
        body = (FEEDS / name).read_bytes()
        feed = parse(body, url=BASE + name)
        source, created = Source.objects.get_or_create(url=BASE + name, defaults={
            "title": feed.title, "site_url": feed.site_url, "is_public": is_public,
            "last_success_at": now, "next_poll_at": now + timedelta(days=365)})  # fmt: skip
        if created:
            source.themes.set([themes[s] for s in theme_slugs if s in themes])
        store_entries(source=source, entries=feed.entries, now=now)
    _picks(themes)
    out.write(f"  {Source.objects.count()} sources, {Item.objects.count()} articles de veille")


def _picks(themes) -> None:
    for guid, comment in PICKS:
        item = Item.objects.filter(guid=guid).prefetch_related("themes").first()
        if item is None or hasattr(item, "pick"):
            continue
        services.pick_item(item=item, by=None, comment=comment, themes=list(item.themes.all()))
