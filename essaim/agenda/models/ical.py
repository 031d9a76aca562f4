"""Pre-serialised iCalendar text of each event, so that large feeds are joined, not rebuilt.

Derived data, like occurrences: ``essaim.agenda.feeds`` writes a row the first time it
serialises an event and rewrites it when the digest of everything the text is made of
changes (event fields, themes, changed occurrences, base URL, format version). A stale or
missing row only costs one re-serialisation; never edit these rows by hand.
"""

from django.db import models


class EventIcal(models.Model):
    event = models.OneToOneField(
        "agenda.Event", models.CASCADE, primary_key=True, related_name="ical"
    )
    digest = models.CharField(max_length=64)
    text = models.TextField()

    class Meta:
        verbose_name = "iCalendar text"
        verbose_name_plural = "iCalendar texts"

    def __str__(self):
        return f"iCalendar of event {self.event_id}"
