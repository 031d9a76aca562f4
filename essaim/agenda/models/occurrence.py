"""Occurrences: one row per date an event takes place, what lists and the API read.

They are derived data, rebuilt from the event by ``essaim.agenda.recurrence`` whenever the
event or one of its changes is saved; never edit them by hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from essaim.agenda.models.event import EventStatus
from essaim.moderation.models import Status


class OccurrenceQuerySet(models.QuerySet):
    def public(self):
        """Occurrences of the events an anonymous visitor may see."""
        return self.filter(event__status=Status.PUBLISHED, event__is_hidden=False)

    def between(self, start, end):
        """Occurrences overlapping [start, end): started before ``end``, not ended by ``start``."""
        return self.filter(start__lt=end, end__gt=start)

    def coming(self, now):
        """Not over yet at ``now``: what the agenda shows first."""
        return self.filter(end__gt=now)


class Occurrence(models.Model):
    event = models.ForeignKey("agenda.Event", models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    # The start the series' rule gives this date (= start unless moved); RECURRENCE-ID.
    recurrence_id = models.DateTimeField()
    change = models.ForeignKey(
        "agenda.EventChange", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The change's status if it has one, else the event's: lists filter and label on it.
    event_status = models.CharField(max_length=16, choices=EventStatus.choices)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recurrence_id"], name="occurrence_unique_recurrence"
            ),
        ]
        indexes = [
            models.Index(fields=["start"], name="occurrence_start"),
            models.Index(fields=["end"], name="occurrence_end"),
            # Covers "which events have a date in [start, end)" (feeds): no table lookups.
            models.Index(fields=["end", "start", "event"], name="occurrence_span"),
        ]

    def __str__(self):
        return f"{self.event} — {self.start:%Y-%m-%d %H:%M}"

    @property
    def title(self) -> str:
        return (self.change and self.change.title) or self.event.title

    @property
    def is_cancelled(self) -> bool:
        return self.event_status == EventStatus.CANCELLED

    @property
    def local_start(self):
        return self.start.astimezone(self.event.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.event.zone)
