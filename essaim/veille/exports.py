"""Open data of the watch: the public sources as OPML 2.0 (for other readers to subscribe
to the same watch) and the curated selection as CSV."""

import xml.etree.ElementTree as ET  # noqa: N817 (the usual name)
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.http import http_date

from essaim.common import exports as common_exports
from essaim.taxonomy.models import Theme
from essaim.veille.models import Pick, Source


def opml(*, title: str) -> bytes:
    """Public sources only (private ones never leave the back office), themes as categories."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = http_date(timezone.now().timestamp())
    body = ET.SubElement(root, "body")
    sources = Source.objects.public().prefetch_related("themes").order_by("title", "url")
    for source in sources:
        attrs = {"type": "rss", "text": source.title or source.url,
                 "title": source.title or source.url, "xmlUrl": source.url}  # fmt: skip
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        if themes := [t.slug for t in source.themes.all()]:
            attrs["category"] = ",".join(themes)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


PICK_COLUMNS = ("titre", "lien", "source", "auteur", "publie_le", "commentaire", "themes",
                "retenu_le")  # fmt: skip


def public_picks() -> Iterator[Pick]:
    queryset = (
        Pick.objects.public()
        .select_related("item__source")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    )
    return common_exports.by_chunks(queryset)


def pick_row(pick: Pick) -> dict:
    item = pick.item
    return {
        "titre": item.title, "lien": item.link, "source": str(item.source),
        "auteur": item.author, "publie_le": item.published_at.isoformat(),
        "commentaire": pick.comment, "themes": sorted(t.slug for t in pick.themes.all()),
        "retenu_le": pick.picked_at.isoformat(),
    }  # fmt: skip


def picks_csv_lines() -> Iterator[str]:
    """The curated selection (public sources only); who picked stays internal."""
    return common_exports.csv_lines(PICK_COLUMNS, (pick_row(p) for p in public_picks()))
