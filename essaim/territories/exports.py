"""The territories Essaim uses (régions, départements, EPCI, communes) as one CSV table.

They come from the bundled official data (data/README.md: INSEE COG via Etalab,
Licence Ouverte); republished so that every other download's ``code_insee`` resolves.
"""

from collections.abc import Iterator

from essaim.common import exports
from essaim.territories.models import EPCI, Commune, Departement, Region

COLUMNS = ("niveau", "code", "nom", "departement", "region", "epci", "population",
           "latitude", "longitude")  # fmt: skip


def rows() -> Iterator[dict]:
    empty = dict.fromkeys(COLUMNS, "")
    for region in Region.objects.order_by("code"):
        yield empty | {"niveau": "region", "code": region.code, "nom": region.name,
                       "region": region.code, "population": region.population}  # fmt: skip
    for dep in Departement.objects.order_by("code"):
        yield empty | {"niveau": "departement", "code": dep.code, "nom": dep.name,
                       "departement": dep.code, "region": dep.region_id,
                       "population": dep.population}  # fmt: skip
    for epci in EPCI.objects.order_by("code"):
        yield empty | {"niveau": "epci", "code": epci.code, "nom": epci.name,
                       "departement": epci.departement_id, "region": epci.region_id,
                       "epci": epci.code, "population": epci.population}  # fmt: skip
    communes = Commune.objects.order_by("code").values_list(
        "code", "name", "departement_id", "region_id", "epci_id", "population", "latitude",
        "longitude",
    )  # fmt: skip
    for code, name, dep, reg, epci, population, lat, lon in communes.iterator(chunk_size=5000):
        yield {"niveau": "commune", "code": code, "nom": name, "departement": dep,
               "region": reg, "epci": epci, "population": population, "latitude": lat,
               "longitude": lon}  # fmt: skip


def csv_lines() -> Iterator[str]:
    return exports.csv_lines(COLUMNS, rows())
