"""The open licences content and data are published under, one list for every module.

Values are SPDX identifiers (what exports and JSON-LD carry); ``url()`` gives the
licence's canonical page for ``schema.org/license`` and human-readable attributions.
Text (articles, experiences, event descriptions) defaults to CC BY-SA 4.0, data
(initiatives, datasets) to ODbL, as ARCHITECTURE.md says.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC0 = "CC0-1.0", _("CC0 1.0 (domaine public)")
    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    ODBL = "ODbL-1.0", _("ODbL 1.0 (Open Database License)")


URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}

TEXT_DEFAULT = Licence.CC_BY_SA
DATA_DEFAULT = Licence.ODBL
MAX_LENGTH = 20


def url(value: str) -> str:
    """The licence's page, or the value itself for a licence we do not know."""
    return URLS.get(value, value)


def label(value: str) -> str:
    try:
        return str(Licence(value).label)
    except ValueError:
        return value


def licence_field(default: str = TEXT_DEFAULT) -> models.CharField:
    """The ``licence`` column every content type carries."""
    return models.CharField(
        _("licence"), max_length=MAX_LENGTH, choices=Licence.choices, default=default
    )
