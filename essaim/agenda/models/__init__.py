"""The agenda's models, one module per topic, re-exported here."""

from essaim.agenda.models.event import (  # noqa: F401 (re-exported)
    AttendanceMode,
    CalendarSource,
    Event,
    EventChange,
    EventQuerySet,
    EventStatus,
    RegistrationMode,
)
from essaim.agenda.models.ical import EventIcal  # noqa: F401
from essaim.agenda.models.occurrence import Occurrence, OccurrenceQuerySet  # noqa: F401
from essaim.agenda.models.registration import Registration  # noqa: F401
