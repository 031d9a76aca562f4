"""Import of a 10,000-event .ics (20 % recurring): seconds (target ≤ 10 s), first and again.

Generates a Nextcloud-like calendar of ``BENCH_AGENDA_EVENTS`` events (default 10,000) over
the communes of the home region: VTIMEZONE + TZID times, descriptions of a few hundred
characters, LOCATION with postal code, GEO for half of them, CATEGORIES, URL, ORGANIZER.
A fifth are series: weekly for a season (COUNT or UNTIL), fortnightly, monthly open-ended,
some with EXDATEs and a modified or cancelled occurrence. It is imported into a fresh
source (all created, occurrences materialised), then imported again (all unchanged).
Run on SQLite (default) or PostgreSQL (``DATABASE_URL=postgres://…``).
"""

import os
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.results import Figure

EVENTS = int(os.environ.get("BENCH_AGENDA_EVENTS", "10000"))
KINDS = ["Atelier", "Repair café", "Conférence", "Formation", "Marché", "Projection-débat",
         "Permanence", "Balade", "Chantier participatif", "Assemblée générale"]  # fmt: skip
TOPICS = ["compostage", "économie circulaire", "vélo", "jardinage", "finances solidaires",
          "création de SCIC", "alimentation locale", "numérique responsable",
          "réemploi"]  # fmt: skip
CATEGORIES = ["Alimentation", "Réemploi", "Mobilité", "Culture", "Emploi", "Numérique"]
TEXT = ("Venez nombreux : ce rendez-vous est ouvert à toutes et tous, sans inscription. "
        "Nous partagerons outils, savoir-faire et un moment convivial autour d'un café. "
        "Les enfants sont les bienvenus accompagnés. Accès possible en fauteuil roulant, "
        "parking vélo à proximité. Plus d'informations sur notre site ou par "
        "courriel.")  # fmt: skip
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def prepare() -> None:
    from essaim.territories.models import Commune

    call_command("migrate", verbosity=0)
    if not Commune.objects.exists():
        call_command("load_territories", verbosity=0)


def fold(line: str) -> str:
    """RFC 5545 folding at 75 octets (approximated on characters: the text is mostly ASCII)."""
    return "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))


def generate(path: Path) -> int:
    """Writes the calendar; returns how many series it holds."""
    from essaim.territories.models import PostalCode

    places = list(
        PostalCode.objects.filter(commune__region_id=settings.ESSAIM_REGION)
        .exclude(commune__latitude=None)
        .values_list("code", "commune__name", "commune__latitude", "commune__longitude")
    )
    rng = random.Random(42)
    today = timezone.localdate()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Essaim bench//Agenda//FR",
             "X-WR-CALNAME:Agenda régional", *VTIMEZONE.splitlines()]  # fmt: skip
    series = 0
    for n in range(EVENTS):
        code, city, lat, lon = rng.choice(places)
        day = today + timedelta(days=rng.randint(-60, 240))
        hour = rng.choice([9, 10, 14, 17, 18, 20])
        start = datetime(day.year, day.month, day.day, hour, rng.choice([0, 30]))
        end = start + timedelta(hours=rng.choice([1, 2, 3]))
        title = f"{rng.choice(KINDS)} {rng.choice(TOPICS)} à {city}"
        lines += ["BEGIN:VEVENT", f"UID:bench-{n}@agenda.example.org",
                  "DTSTAMP:20261120T100000Z",
                  f"DTSTART;TZID=Europe/Paris:{start:%Y%m%dT%H%M%S}",
                  f"DTEND;TZID=Europe/Paris:{end:%Y%m%dT%H%M%S}",
                  fold(f"SUMMARY:{title}"),
                  fold("DESCRIPTION:" + TEXT[: rng.randint(150, len(TEXT))].replace(",", "\\,")
                       + f"\\n\\nhttps://agenda.example.org/e/{n}"),
                  fold(f"LOCATION:Salle des fêtes\\, {rng.randint(1, 90)} rue de la Mairie\\, "
                       f"{code} {city}"),
                  f"CATEGORIES:{rng.choice(CATEGORIES)}",
                  f"URL:https://agenda.example.org/e/{n}",
                  f'ORGANIZER;CN="Association {rng.choice(TOPICS)}":mailto:contact@example.org',
                  ]  # fmt: skip
        if n % 2:
            lines.append(f"GEO:{lat + rng.uniform(-0.01, 0.01):.5f};"
                         f"{lon + rng.uniform(-0.01, 0.01):.5f}")  # fmt: skip
        if n % 5 == 0:
            series += 1
            lines += _series(rng, n, start)
        lines.append("END:VEVENT")
        if n % 5 == 0 and n % 20 == 0:  # one series in four has a modified occurrence
            moved = start + timedelta(days=14)
            lines += ["BEGIN:VEVENT", f"UID:bench-{n}@agenda.example.org",
                      "DTSTAMP:20261120T100000Z",
                      f"RECURRENCE-ID;TZID=Europe/Paris:{moved:%Y%m%dT%H%M%S}",
                      f"DTSTART;TZID=Europe/Paris:{moved + timedelta(hours=1):%Y%m%dT%H%M%S}",
                      f"DTEND;TZID=Europe/Paris:{moved + timedelta(hours=2):%Y%m%dT%H%M%S}",
                      f"SUMMARY:{title} (horaire décalé)",
                      "STATUS:CANCELLED" if n % 40 == 0 else "STATUS:CONFIRMED",
                      "END:VEVENT"]  # fmt: skip
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return series


def _series(rng: random.Random, n: int, start: datetime) -> list[str]:
    kind = n % 4
    if kind == 0:  # weekly for a season
        rule = f"FREQ=WEEKLY;COUNT={rng.randint(8, 30)}"
    elif kind == 1:  # weekly until a date
        until = start + timedelta(days=rng.randint(60, 200))
        rule = f"FREQ=WEEKLY;UNTIL={until:%Y%m%dT235959}Z"
    elif kind == 2:  # every other week
        rule = f"FREQ=WEEKLY;INTERVAL=2;COUNT={rng.randint(6, 20)}"
    else:  # monthly, open-ended (repair cafés, AMAP distributions…)
        rule = "FREQ=MONTHLY;BYDAY=2SA"
    lines = [f"RRULE:{rule}"]
    if rng.random() < 0.3:
        skipped = start + timedelta(weeks=rng.choice([1, 2, 3]) * (2 if kind == 2 else 1))
        lines.append(f"EXDATE;TZID=Europe/Paris:{skipped:%Y%m%dT%H%M%S}")
    return lines


def clear_earlier_runs() -> None:
    from essaim.agenda.models import CalendarSource, Event, EventChange, Occurrence

    bench = Event.objects.filter(source__name="bench")
    Occurrence.objects.filter(event__in=bench).delete()
    EventChange.objects.filter(event__in=bench).delete()
    Event.themes.through.objects.filter(event__in=bench).delete()
    bench.delete()
    CalendarSource.objects.filter(name="bench").delete()


def timed_import(data: bytes, source) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, outcome): on a shared machine the CPU
    time says what the import costs, the wall time what the user waits."""
    from essaim.agenda import imports

    start, cpu = time.perf_counter(), time.process_time()
    outcome = imports.import_calendar(source=source, data=data, publish=True)
    return time.perf_counter() - start, time.process_time() - cpu, outcome


def timed_parse(data: bytes) -> float:
    from essaim.agenda.imports.calendar import parse

    start = time.process_time()
    parse(data)
    return time.process_time() - start


def run() -> list[Figure]:
    from essaim.agenda.models import CalendarSource, Occurrence

    prepare()
    path = Path("var/bench/agenda-10k.ics")
    path.parent.mkdir(parents=True, exist_ok=True)
    series = generate(path)
    data = path.read_bytes()
    clear_earlier_runs()
    source = CalendarSource.objects.create(name="bench")
    parsing = timed_parse(data)
    seconds, cpu, first = timed_import(data, source)
    again, cpu_again, second = timed_import(data, source)
    engine = connection.vendor
    occurrences = Occurrence.objects.filter(event__source=source).count()
    print(f"   {len(data) / 1e6:.1f} MB, {EVENTS} events of which {series} series; "
          f"{first.counts.created} created ({occurrences} occurrences), then "
          f"{second.counts.unchanged} unchanged; parsing alone {parsing:.2f} s")  # fmt: skip
    clear_earlier_runs()  # the agenda bench shares the database: leave it its 10,000 events
    return [
        Figure(f"import {EVENTS} events .ics, all new ({engine})", seconds, "s", target=10),
        Figure(f"  same, CPU time of the process ({engine})", cpu, "s", target=10),
        Figure(f"re-import {EVENTS} events .ics, unchanged ({engine})", again, "s", target=10),
        Figure(f"  same, CPU time of the process ({engine})", cpu_again, "s", target=10),
        Figure(f"parse and check {EVENTS} events .ics only, CPU ({engine})", parsing, "s"),
    ]
