"""The import's own column names (also the export's) and the header aliases recognised."""

import re

from essaim.territories.names import fold

# Canonical names, in export order. ``url`` and ``date_maj`` are written, never read back.
COLUMNS = [
    "id", "nom", "resume", "description", "themes", "adresse", "code_postal", "commune",
    "code_insee", "latitude", "longitude", "localisation", "site_web", "email", "email_public",
    "telephone", "reseaux_sociaux", "horaires", "forme_juridique", "siret", "rna", "structure",
    "licence", "url", "date_maj",
]  # fmt: skip

ALIASES = {
    "id": ["id", "source_key", "identifiant", "cle", "key", "uid", "id_source"],
    "nom": ["nom", "name", "titre", "title", "raison_sociale", "denomination"],
    "resume": ["resume", "summary", "presentation_resume", "description_courte"],
    "description": ["description", "presentation_detail", "presentation", "description_longue"],
    "themes": ["themes", "theme", "categories", "categorie", "thematiques", "thematique"],
    "adresse": ["adresse", "address", "rue", "street_address", "streetaddress", "voie"],
    "code_postal": ["code_postal", "postal_code", "cp", "postalcode", "codepostal"],
    "commune": ["commune", "ville", "city", "address_locality", "addresslocality", "localite"],
    "code_insee": ["code_insee", "insee", "code_commune", "citycode", "code_commune_insee"],
    "latitude": ["latitude", "lat", "y"],
    "longitude": ["longitude", "lon", "lng", "long", "x"],
    "localisation": ["localisation", "geocoding"],
    "site_web": ["site_web", "website", "site", "site_internet", "web"],
    "email": ["email", "courriel", "mail", "e_mail", "courriels", "adresse_mail"],
    "email_public": ["email_public", "courriel_public"],
    "telephone": ["telephone", "tel", "phone", "telephone_1"],
    "reseaux_sociaux": ["reseaux_sociaux", "social_links", "reseaux"],
    "horaires": ["horaires", "opening_hours", "horaires_d_ouverture"],
    "forme_juridique": ["forme_juridique", "legal_form", "statut_juridique", "typologie"],
    "siret": ["siret", "numero_siret"],
    "rna": ["rna", "numero_rna"],
    "structure": ["structure", "organisation", "structure_porteuse", "organisation_name"],
    "licence": ["licence", "license"],
}
READ_ONLY = {"url", "date_maj"}
_BY_ALIAS = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_NON_WORD = re.compile(r"[^a-z0-9]+")


def header_key(header: str) -> str:
    """ "Code Postal" -> "code_postal", "Thèmes" -> "themes", "\\ufeffnom" -> "nom"."""
    return _NON_WORD.sub("_", fold(header.lstrip("\ufeff"))).strip("_")


def canonical(header: str, mapping: dict[str, str] | None = None) -> str | None:
    """The canonical field a column feeds (an explicit ``mapping`` wins), or None."""
    if mapping and header in mapping:
        return mapping[header]
    if mapping and header_key(header) in mapping:
        return mapping[header_key(header)]
    return _BY_ALIAS.get(header_key(header))


def parse_mapping(text: str) -> dict[str, str]:
    """ "Raison sociale=nom,CP=code_postal" -> {"Raison sociale": "nom", "CP": "code_postal"}."""
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        column, sep, field = pair.partition("=")
        if not sep or field.strip() not in ALIASES:
            raise ValueError(f"--mapping : « {pair} » doit s'écrire colonne=champ (champs : "
                             f"{', '.join(ALIASES)}).")  # fmt: skip
        mapping[column.strip()] = field.strip()
    return mapping
