"""The public sources as OPML 2.0, for other readers to subscribe to the same watch."""

import xml.etree.ElementTree as ET  # noqa: N817 (the usual name)

from django.utils import timezone
from django.utils.http import http_date

from essaim.veille.models import Source


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
