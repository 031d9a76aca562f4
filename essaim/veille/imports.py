"""OPML: reading subscription lists (import) and writing the public one (export).

Import is all or nothing: every outline is checked before anything is written, and the
first bad one is named in the error ("outline n° 4 « Titre »").
"""

import xml.etree.ElementTree as ET  # noqa: N817 (the usual name)
from dataclasses import dataclass, field

from essaim.taxonomy.models import Theme


class OPMLError(Exception):
    """The OPML cannot be imported; the message names the outline."""


@dataclass
class Outline:
    url: str
    title: str = ""
    site_url: str = ""
    theme_hints: list[str] = field(default_factory=list)  # category, parent outline texts


def read_opml(data: bytes) -> list[Outline]:
    try:
        root = ET.fromstring(data.replace(b"\x00", b""))  # noqa: S314 (expat fetches no external entity; staff's own files)
    except ET.ParseError as exc:
        line, _col = exc.position
        raise OPMLError(f"OPML illisible (ligne {line}) : XML mal formé.") from None
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise OPMLError("Ce fichier n'est pas un OPML : il faut <opml> et <body>.")
    outlines: list[Outline] = []
    try:
        _walk(root.find("body"), [], outlines, counter=[0])
    except RecursionError:
        raise OPMLError("OPML illisible : outlines imbriqués trop profondément.") from None
    if not outlines:
        raise OPMLError("Aucun flux dans ce fichier OPML (aucun outline avec xmlUrl).")
    return outlines


def _walk(node, parents: list[str], found: list[Outline], *, counter: list[int]) -> None:
    for outline in node.findall("outline"):
        counter[0] += 1
        text = (outline.get("title") or outline.get("text") or "").strip()
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
                raise OPMLError(
                    f"Outline n° {counter[0]} « {text or url} » : adresse de flux "
                    f"invalide « {url[:200]} » (http:// ou https:// attendu)."
                )
            categories = [c.strip().strip("/") for c in (outline.get("category") or "").split(",")]
            found.append(Outline(url=url, title=text[:300],
                                 site_url=_http(outline.get("htmlUrl", "")),
                                 theme_hints=[*parents, *filter(None, categories)]))  # fmt: skip
        _walk(outline, [*parents, text] if text and not url else parents, found, counter=counter)


def _http(url: str) -> str:
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) and len(url) <= 1000 else ""


def themes_for(hints: list[str], themes: list[Theme]) -> list[Theme]:
    """Themes whose slug or name is one of the hints (case-insensitive)."""
    wanted = {h.lower() for h in hints}
    return [t for t in themes if t.slug.lower() in wanted or t.name.lower() in wanted]
