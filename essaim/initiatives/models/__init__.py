"""Initiatives' models, one module per topic (each helper-owned file imports here)."""

from essaim.initiatives.models.clusters import MapCell, MapPoint, MapState  # noqa: F401,E402
from essaim.initiatives.models.imports import ImportRun  # noqa: F401,E402
from essaim.initiatives.models.initiative import (  # noqa: F401 (re-exported)
    GeocodingState,
    ImportSource,
    Initiative,
    InitiativeQuerySet,
    LegalForm,
)
from essaim.initiatives.models.subscriptions import SentAlert, Subscription  # noqa: F401,E402
from essaim.initiatives.models.votes import ConfirmationReminder, Vote  # noqa: F401
