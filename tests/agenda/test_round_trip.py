"""Our own .ics export, imported into an empty agenda, reproduces every occurrence."""

import pytest
from django.core.management import call_command

from essaim.agenda.models import Event, Occurrence
from tests.agenda.feed_fixtures import (  # noqa: F401 (fixtures are used by name)
    WINDOW_END,
    WINDOW_START,
    agenda_fixture,
    body,
    theme_fixture,
)

pytestmark = pytest.mark.django_db


def public_dates() -> set[tuple]:
    occurrences = Occurrence.objects.public().between(WINDOW_START, WINDOW_END)
    return {(o.event.uid, o.title, o.start, o.end, o.recurrence_id, o.event_status)
            for o in occurrences.select_related("event", "change")}  # fmt: skip


def test_export_then_import_into_an_empty_agenda_reproduces_every_date(
    client, agenda, tmp_path, capsys
):
    before = public_dates()
    export = tmp_path / "evenements.ics"
    export.write_bytes(body(client.get("/donnees/evenements.ics")))
    Event.objects.all().delete()  # the fresh instance

    call_command("import_events", str(export), "--source", "Essaim")

    assert Event.objects.count() == 3  # the public ones only: pending and hidden never left
    assert public_dates() == before
    assert len(before) == 7  # 5 series dates (one moved, one cancelled), festival, webinar
