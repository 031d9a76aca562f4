"""schema.org JSON-LD and Open Graph data of articles and dossiers."""

from django.conf import settings

from essaim.common import licences
from essaim.initiatives.structured_data import absolute_media, script_json

__all__ = ["article_document", "dossier_document", "script_json"]


def publisher(site_url: str) -> dict:
    return {"@type": "Organization", "name": settings.ESSAIM_SITE_NAME, "url": site_url}


def _common(page, url: str, image_url: str) -> dict:
    site_url = url.split("/", 3)[:3]
    data = {
        "@context": "https://schema.org",
        "@id": f"{url}#publication",
        "url": url,
        "headline": page.title,
        "name": page.title,
        "description": page.lead,
        "inLanguage": "fr",
        "license": licences.url(page.licence),
        "publisher": publisher("/".join(site_url) + "/"),
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if image_url:
        data["image"] = absolute_media(url, image_url)
    return data


def article_document(article, *, url: str, image_url: str = "") -> dict:
    data = {"@type": "Article", **_common(article, url, image_url)}
    data["datePublished"] = article.published_on.isoformat()
    data["dateModified"] = data.get("dateModified", data["datePublished"])
    data["wordCount"] = len(article.body_text().split())
    data["timeRequired"] = f"PT{article.reading_minutes}M"
    data["author"] = [{"@type": "Person", "name": name} for name in article.author_names]
    if article.organisation_name:
        data["author"].append({"@type": "Organization", "name": article.organisation_name})
    data["about"] = [{"@type": "Thing", "name": theme.name} for theme in article.themes.all()]
    if article.territory_label:
        data["spatialCoverage"] = {"@type": "Place", "name": article.territory_label}
    return data


def dossier_document(dossier, *, url: str, image_url: str = "", parts: list[str] = ()) -> dict:
    data = {"@type": ["CollectionPage", "CreativeWork"], **_common(dossier, url, image_url)}
    if dossier.first_published_at:
        data["datePublished"] = dossier.first_published_at.isoformat()
    if dossier.owner_id:
        data["author"] = [{"@type": "Person", "name": str(dossier.owner)}]
    data["about"] = [{"@type": "Thing", "name": t.name} for t in dossier.themes_list]
    if parts:
        data["hasPart"] = [{"@type": "CreativeWork", "url": part} for part in parts]
    return data
