"""Small builders for items and picks without HTTP."""

from itertools import count

from django.utils import timezone

from essaim.veille.models import Item, Pick, Source

_n = count(1)


def source(*, is_public=True, **fields) -> Source:
    n = next(_n)
    fields.setdefault("title", f"Source {n}")
    return Source.objects.create(url=f"https://source{n}.example.org/feed.xml",
                                 is_public=is_public, **fields)  # fmt: skip


def item(src: Source | None = None, **fields) -> Item:
    n = next(_n)
    src = src or source()
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("link", f"https://news.example.org/{n}")
    fields.setdefault("published_at", timezone.now())
    return Item.objects.create(source=src, guid=f"g{n}", content_hash=f"h{n}", **fields)


def pick(it: Item | None = None, *, themes=(), comment="À lire.", **fields) -> Pick:
    it = it or item()
    fields.setdefault("picked_at", timezone.now())
    chosen = Pick.objects.create(item=it, comment=comment, **fields)
    chosen.themes.set(themes)
    return chosen
