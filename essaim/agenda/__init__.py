"""The citizen agenda: events and trainings, their occurrences, feeds and registrations.

An ``Event`` keeps its times as wall-clock times in an IANA zone (Europe/Paris by default)
with an optional RRULE, EXDATEs and modified occurrences (``EventChange``, RFC 5545
RECURRENCE-ID). ``Occurrence`` rows are the expansion of each event over a rolling horizon,
computed by ``recurring-ical-events`` from the very iCalendar components the feeds emit
(``essaim.agenda.recurrence``), so that the list, the API and any calendar client agree.
"""
