"""From a reader's raw fields to the values of an Initiative, or the errors that forbid it.

``Resolver`` holds the look-up tables (themes, communes, postal codes, a grid of commune
points), loaded once per import so that a row costs no query.
"""

import math
import re
from collections import defaultdict

from django.utils.text import slugify

from essaim.common.html import strip_html
from essaim.common.licences import Licence
from essaim.initiatives.models import GeocodingState, LegalForm
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune, PostalCode
from essaim.territories.names import fold

TRUE = {"1", "true", "vrai", "oui", "yes", "x"}
LEGAL_FORM_WORDS = {"asso": "association", "association loi 1901": "association",
                    "cooperative": "cooperative", "scop": "scop", "scic": "scic",
                    "ess": "entreprise-ess", "esus": "entreprise-ess"}  # fmt: skip
MAX_LENGTHS = {"nom": 200, "adresse": 255, "telephone": 30, "horaires": 255, "structure": 200,
               "site_web": 500, "id": 200}  # fmt: skip
MAX_TEXT = 100_000  # any other field (description…)
GRID = 0.2  # degrees: cell size of the commune-point grid for "nearest commune"
# Deliberately simple checks (Django's validators cost ~30 µs a row, most of a 15 s budget).
URL = re.compile(r"https?://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")
SCHEME = re.compile(r"https?://", re.IGNORECASE)
LICENCES = frozenset(Licence.values)
LEGAL_FORMS = frozenset(LegalForm.values)
GEOCODING_STATES = frozenset(GeocodingState.values)


class Resolver:
    """Look-up tables of one import: themes, communes by code, postal code + name, points."""

    def __init__(self):
        self.themes = {}
        for theme in Theme.objects.only("pk", "slug", "name"):
            self.themes[theme.slug] = self.themes[fold(theme.name)] = theme.pk
        self._communes = None

    def load(self) -> "Resolver":
        """Read every look-up table now (before the import freezes what it loaded out of the
        garbage collector's sight)."""
        if self._communes is None:
            self._load_communes()
        return self

    def _load_communes(self):
        rows = Commune.objects.values_list("code", "name_folded", "latitude", "longitude")
        self.points, self.by_name, self.grid = {}, defaultdict(list), defaultdict(list)
        for code, name, lat, lon in rows.iterator(chunk_size=5000):
            self.points[code] = (lat, lon)
            self.by_name[name].append(code)
            if lat is not None:
                self.grid[_cell(lat, lon)].append((lat, lon, code))
        self.postal = defaultdict(list)
        for code, commune, name in PostalCode.objects.values_list(
            "code", "commune_id", "commune__name_folded"
        ).iterator(chunk_size=5000):
            self.postal[code].append((commune, name))
        self._communes = True

    def commune(self, *, insee: str, postal_code: str, name: str) -> str | None:
        if self._communes is None:
            self._load_communes()
        if insee:
            return insee if insee in self.points else None
        candidates = self.postal.get(postal_code, [])
        folded = fold(name)
        for code, commune_name in candidates:
            if commune_name == folded:
                return code
        if len(candidates) == 1 and not folded:
            return candidates[0][0]
        named = self.by_name.get(folded, [])
        return named[0] if len(named) == 1 else None

    def nearest_commune(self, lat: float, lon: float) -> str | None:
        if self._communes is None:
            self._load_communes()
        row, col = _cell(lat, lon)
        near = [
            p for dr in (-1, 0, 1) for dc in (-1, 0, 1) for p in self.grid[(row + dr, col + dc)]
        ]
        if not near:
            return None
        return min(near, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * _cos(lat)) ** 2)[2]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / GRID)), int(math.floor(lon / GRID))


def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))


class Row:
    """One record being normalised: collects values, errors and warnings for ``where``."""

    __slots__ = ("where", "raw", "resolver", "values", "themes", "errors", "warnings")

    def __init__(self, where: str, raw: dict, resolver: Resolver):
        self.where, self.raw, self.resolver = where, raw, resolver
        self.values: dict = {}
        self.themes: list[int] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def text(self, field: str) -> str:
        value = self.raw.get(field)
        if value.__class__ is str:
            text = value.strip()
        elif value is None:
            return ""
        elif isinstance(value, list):  # GeoJSON arrays (themes, links) read like ";" lists
            text = ";".join(str(v) for v in value).strip()
        else:
            text = str(value).strip()
        if "\x00" in text:  # PostgreSQL refuses NUL in text; it is never meant
            text = text.replace("\x00", "").strip()
        limit = MAX_LENGTHS.get(field, MAX_TEXT)
        if len(text) > 30 and len(text) > limit:
            self.error(field, f"{len(text)} caractères, {limit} au plus")
        return text

    def error(self, field: str, message: str) -> None:
        self.errors.append(f"{self.where}, champ « {field} » : {message}.")

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(f"{self.where}, champ « {field} » : {message}.")


def normalise(where: str, raw: dict, resolver: Resolver) -> Row:
    """Validate and convert one raw record; read ``row.errors`` before using ``row.values``."""
    row = Row(where, raw, resolver)
    if "_error" in raw:
        row.errors.append(f"{where} : {raw['_error']}.")
        return row
    for step in (_identity, _texts, _contacts, _codes, _place, _themes):
        step(row)
    return row


def _identity(row: Row) -> None:
    name = row.text("nom")
    if not name:
        row.error("nom", "obligatoire")
    description = row.text("description")
    if "<" in description:
        description = strip_html(description)
    summary = row.text("resume") or description
    if len(summary) > 280:
        summary = summary[:279].rsplit(" ", 1)[0] + "…"
    key = row.text("id") or slugify(f"{name} {row.text('code_postal') or row.text('code_insee')}")
    row.values.update(name=name, description=description, summary=summary, source_key=key[:200])


def _texts(row: Row) -> None:
    row.values.update(
        address=row.text("adresse"), phone=row.text("telephone"),
        opening_hours=row.text("horaires"), organisation_name=row.text("structure"),
    )  # fmt: skip
    links = [link.strip() for link in row.text("reseaux_sociaux").split(";") if link.strip()]
    row.values["social_links"] = links
    licence = row.text("licence")
    if licence:
        if licence in LICENCES:
            row.values["licence"] = licence
        else:
            row.warn("licence", f"« {licence} » inconnue, licence de la source gardée")
    row.values["legal_form"] = _legal_form(row)


def _legal_form(row: Row) -> str:
    value = row.text("forme_juridique")
    if not value or value in LEGAL_FORMS:
        return value
    folded = fold(value)
    for choice, label in LegalForm.choices:
        if fold(str(label)) == folded:
            return choice
    for word, choice in LEGAL_FORM_WORDS.items():
        if folded.startswith(word):
            return choice
    row.warn("forme_juridique", f"« {value} » non reconnue, laissée vide")
    return ""


def _contacts(row: Row) -> None:
    email = row.text("email").split(";")[0].strip()
    if email and not EMAIL.fullmatch(email):
        row.error("email", f"« {email} » n'est pas une adresse e-mail")
    website = row.text("site_web").split(";")[0].strip()
    if website and not SCHEME.match(website):
        website = f"https://{website}"
    if website and not URL.fullmatch(website):
        row.error("site_web", f"« {website} » n'est pas une adresse web")
    public = row.text("email_public").lower() in TRUE
    row.values.update(email=email, email_public=public and bool(email), website=website)


def _codes(row: Row) -> None:
    siret = re.sub(r"\s", "", row.text("siret"))
    if siret and not re.fullmatch(r"\d{14}", siret):
        row.error("siret", f"« {siret} » : un SIRET a 14 chiffres")
    rna = row.text("rna").upper()
    if rna and not re.fullmatch(r"W\d{9}", rna):
        row.error("rna", f"« {rna} » : un numéro RNA s'écrit W suivi de 9 chiffres")
    postal = row.text("code_postal").replace(" ", "")
    if re.fullmatch(r"\d{4}", postal):
        postal = f"0{postal}"  # spreadsheets drop the leading zero of 01000…09999
    if postal and not re.fullmatch(r"\d{5}", postal):
        row.error("code_postal", f"« {postal} » : un code postal a 5 chiffres")
    row.values.update(siret=siret, rna=rna, postal_code=postal)


def _place(row: Row) -> None:
    lat, lon = _coordinate(row, "latitude", 90), _coordinate(row, "longitude", 180)
    if (lat is None) != (lon is None):
        if not (row.text("latitude") and row.text("longitude")):  # else reported as invalid
            missing = "latitude" if lat is None else "longitude"
            row.error(missing, "il faut la latitude et la longitude")
        return
    insee = row.text("code_insee").upper()
    commune = row.resolver.commune(
        insee=insee, postal_code=row.values["postal_code"], name=row.text("commune")
    )
    if insee and commune is None:
        row.error("code_insee", f"« {insee} » : aucune commune n'a ce code")
    if commune is None and lat is not None:
        commune = row.resolver.nearest_commune(lat, lon)
    state = GeocodingState.EXACT
    if lat is None and commune:
        (lat, lon), state = row.resolver.points[commune], GeocodingState.COMMUNE
    if lat is None:
        state = GeocodingState.FAILED
    given = row.text("localisation")
    if given in GEOCODING_STATES and lat is not None:
        state = given
    row.values.update(commune_id=commune, latitude=lat, longitude=lon, geocoding=state)


def _coordinate(row: Row, field: str, limit: int) -> float | None:
    text = row.text(field).replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        row.error(field, f"« {text} » n'est pas un nombre")
        return None
    if not -limit <= value <= limit or math.isnan(value):
        row.error(field, f"{value} est hors des bornes (-{limit} à {limit})")
        return None
    return round(value, 7)


def _themes(row: Row) -> None:
    text = row.text("themes")
    for part in filter(None, (p.strip() for p in re.split(r"[;|]", text))):
        pk = row.resolver.themes.get(part) or row.resolver.themes.get(fold(part))
        if pk is None:
            row.warn("themes", f"thème « {part} » inconnu, ignoré")
        elif pk not in row.themes:
            row.themes.append(pk)
    row.themes.sort()
