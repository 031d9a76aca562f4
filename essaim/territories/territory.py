"""Territory keys, resolution, the tree around a territory, and look-ups by name or code.

URL keys: commune "37261", EPCI "243700754", département "37"/"2A"/"971", région
"region-24" (régions share two-digit codes with départements, hence the prefix).
A "territory" is an instance of one of the four models; ``territory.level`` says which.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.http import Http404

from essaim.territories.models import EPCI, Commune, Departement, Level, PostalCode, Region
from essaim.territories.names import fold

AnyTerritory = Region | Departement | EPCI | Commune

REGION_KEY = re.compile(r"region-(\d{2})")
DEPARTEMENT_CODE = re.compile(r"\d{2}|2[AB]|97\d", re.IGNORECASE)
COMMUNE_CODE = re.compile(r"(\d{2}|2[AB])\d{3}", re.IGNORECASE)
EPCI_CODE = re.compile(r"\d{9}")
# The labels the autocomplete offers, so that a chosen suggestion resolves exactly.
POSTAL_LABEL = re.compile(r"(\d{5}) — (.+)")
NAME_LABEL = re.compile(r"(.+) \((\d{2}|2[AB]|97\d)\)", re.IGNORECASE)


class UnknownTerritory(Http404):
    """No territory has this key (a 404 when raised in a view)."""


def find_territory(key: str) -> AnyTerritory | None:
    """The territory whose URL key is ``key``, or None."""
    key = key.strip()
    if match := REGION_KEY.fullmatch(key):
        return Region.objects.filter(code=match[1]).first()
    if DEPARTEMENT_CODE.fullmatch(key):
        return Departement.objects.select_related("region").filter(code=key.upper()).first()
    if COMMUNE_CODE.fullmatch(key):
        return (
            Commune.objects.select_related("departement", "region", "epci")
            .filter(code=key.upper())
            .first()
        )
    if EPCI_CODE.fullmatch(key):
        return EPCI.objects.select_related("departement", "region").filter(code=key).first()
    return None


def resolve_territory(key: str) -> AnyTerritory:
    """The territory whose URL key is ``key``; raises UnknownTerritory (an Http404) otherwise."""
    territory = find_territory(key)
    if territory is None:
        raise UnknownTerritory(key)
    return territory


def parents(territory: AnyTerritory) -> list[AnyTerritory]:
    """The enclosing territories, widest first: [région, département, EPCI] for a commune.

    An EPCI's parents are the département and région where most of its people live.
    Uses the relations loaded by ``resolve_territory`` (no query then).
    """
    if territory.level == Level.REGION:
        return []
    if territory.level == Level.DEPARTEMENT:
        return [territory.region]
    if territory.level == Level.EPCI:
        return [p for p in (territory.region, territory.departement) if p is not None]
    return [p for p in (territory.region, territory.departement, territory.epci) if p]


def covering_keys(territory: AnyTerritory) -> list[str]:
    """The URL keys of ``territory`` and of every territory around it: what a row keyed
    by territory must hold to concern this place (no query)."""
    return [territory.key, *(parent.key for parent in parents(territory))]


def children(territory: AnyTerritory) -> dict[str, models.QuerySet]:
    """The territories directly inside, by kind: {"departements": …}, {"epcis", "communes"}."""
    if territory.level == Level.REGION:
        return {"departements": territory.departements.order_by("code")}
    if territory.level == Level.DEPARTEMENT:
        epcis = EPCI.objects.filter(communes__departement=territory).distinct()
        return {"epcis": epcis.order_by("name_folded"), "communes": territory.communes.all()}
    if territory.level == Level.EPCI:
        return {"communes": territory.communes.select_related("departement")}
    return {}


def communes_of(territory: AnyTerritory) -> models.QuerySet:
    """Every commune inside ``territory`` (itself, for a commune)."""
    return Commune.objects.filter(commune_filter(territory, prefix=""))


def commune_filter(territory: AnyTerritory | str, prefix: str = "commune") -> models.Q:
    """A Q keeping the rows whose commune lies in ``territory`` (any level, or its URL key).

    ``prefix`` is the path to the commune foreign key: ``Event.objects.filter(
    commune_filter(t, prefix="place__commune"))``. With ``prefix=""`` it filters communes.
    """
    if isinstance(territory, str):
        territory = resolve_territory(territory)
    if territory.level == Level.COMMUNE:
        return models.Q(**{prefix or "pk": territory.pk})
    field = {Level.EPCI: "epci", Level.DEPARTEMENT: "departement", Level.REGION: "region"}
    path = f"{prefix}__" if prefix else ""
    return models.Q(**{f"{path}{field[territory.level]}": territory.pk})


# --- look-ups by name or code (autocomplete and the "go to" form) ---------------------


@dataclass(frozen=True)
class Suggestion:
    key: str
    label: str
    level: str
    url: str
    exact: bool = False  # the query names this territory exactly (the "go" view jumps to it)

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "level": self.level, "url": self.url}


def suggestion(territory: AnyTerritory, label: str = "", exact: bool = False) -> Suggestion:
    return Suggestion(
        key=territory.key,
        label=label or territory.short_label,
        level=str(territory.level),
        url=territory.get_absolute_url(),
        exact=exact,
    )


def ranked_communes(queryset: models.QuerySet) -> models.QuerySet:
    """Communes of the home région first, then the most populous."""
    home = models.Case(
        models.When(region_id=settings.ESSAIM_REGION, then=0),
        default=1,
        output_field=models.IntegerField(),
    )
    return queryset.annotate(home_first=home).order_by("home_first", "-population", "name")


def by_label(query: str) -> list[Suggestion]:
    """The territory named by a label the autocomplete gave: "Tours (37)", "37000 — Tours"."""
    if match := POSTAL_LABEL.fullmatch(query):
        postal = PostalCode.objects.select_related("commune").filter(
            code=match[1], commune__name_folded=fold(match[2])
        )
        return [suggestion(pc.commune, label=query, exact=True) for pc in postal]
    if match := NAME_LABEL.fullmatch(query):
        code, folded = match[2].upper(), fold(match[1])
        found = Departement.objects.filter(code=code, name_folded=folded) or Commune.objects.filter(
            departement_id=code, name_folded=folded
        )
        return [suggestion(territory, exact=True) for territory in found]
    return []


def by_code(query: str, limit: int) -> list[Suggestion]:
    """Postal code prefix, then INSEE code, EPCI SIREN or département number."""
    found = []
    code = query.upper()
    if code.isdigit() and len(code) <= 5:
        postal = PostalCode.objects.filter(code__startswith=code).select_related("commune")
        home = models.Case(
            models.When(commune__region_id=settings.ESSAIM_REGION, then=0), default=1
        )
        postal = postal.annotate(home_first=home).order_by(
            "home_first", "code", "-commune__population"
        )
        found += [
            suggestion(pc.commune, label=f"{pc.code} — {pc.commune.name}", exact=pc.code == code)
            for pc in postal[:limit]
        ]
    is_code = any(regex.fullmatch(code) for regex in (DEPARTEMENT_CODE, EPCI_CODE, COMMUNE_CODE))
    if is_code and (territory := find_territory(code)):
        found.insert(0 if len(code) < 5 else len(found), suggestion(territory, exact=True))
    return found


def by_name(query: str, limit: int) -> list[Suggestion]:
    """Régions and départements, then communes, then EPCI, whose name or a word of it starts so."""
    folded = fold(query)
    areas = [*Region.objects.matching(query), *Departement.objects.matching(query)]
    communes = ranked_communes(Commune.objects.matching(query))[:limit]
    epcis = EPCI.objects.matching(query).order_by("-population")[:2]
    return [
        suggestion(territory, exact=territory.name_folded == folded)
        for territory in [*areas, *communes, *epcis]
    ]


def suggest(query: str, *, limit: int = 10) -> list[Suggestion]:
    """Up to ``limit`` territories for what someone typed: a name, a postal code or a code."""
    query = query.strip()
    if not query:
        return []
    found = by_label(query)
    if not found and any(char.isdigit() for char in query):
        found = by_code(query, limit)
    if not found:
        found = by_name(query, limit)
    unique = {}
    for item in found:
        unique.setdefault((item.key, item.label), item)
    return list(unique.values())[:limit]


def best_match(suggestions: list[Suggestion]) -> Suggestion | None:
    """The one suggestion that answers the query, if there is one (else let people choose)."""
    exact = {item.key: item for item in suggestions if item.exact}
    if len(exact) == 1:
        return next(iter(exact.values()))
    if len(suggestions) == 1:
        return suggestions[0]
    return None
