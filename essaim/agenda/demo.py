"""Demo: ~70 coming events across the six départements of Centre-Val de Loire.

Dates are computed from today so the demo always lies ahead: one-offs over the next
months, weekly and monthly series that cross the next daylight-saving change (their
local time stays put), multi-day and all-day events, one cancelled, one postponed, one
online, one mixed, three waiting for moderation and one reported; trainings with built-in
registration carry a few registrations on their first date. Every theme is used.
Idempotent: events are keyed by slug and created once.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.agenda.models import AttendanceMode, Event, EventStatus, Registration, RegistrationMode
from essaim.agenda.rules import PlainRule, Repeat, to_rrule
from essaim.moderation import services as moderation
from essaim.moderation.exceptions import ModerationError
from essaim.moderation.models import Report, Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

DEPARTEMENTS = ("18", "28", "36", "37", "41", "45")
COMMUNES_PER_DEPARTEMENT = 10
ONE_OFFS = 48

# (title pattern, summary, hour, duration in hours, free)
ONE_OFF_TEMPLATES = [
    ("Repair café {de}", "Des bénévoles vous aident à réparer vos objets.", 14, 3, True),
    ("Marché de producteurs {de}", "Les producteurs du coin vendent en direct.", 9, 4, True),
    ("Ciné-débat solidaire {a}", "Un documentaire, puis un échange avec la salle.", 20, 2, False),
    ("Atelier compost {a}", "Apprendre à composter chez soi ou en pied d'immeuble.", 10, 2, True),
    ("Rencontre de la monnaie locale {a}", "Présentation et ouverture de comptes.", 18, 2, True),
    ("Café associatif : gouvernance {a}", "Échanges de pratiques entre bénévoles.", 18, 2, True),
    ("Troc de vêtements {de}", "Déposez, échangez, repartez avec d'autres vêtements.", 14, 4, True),
    ("Soirée jeux coopératifs {a}", "Des jeux où l'on gagne ensemble, à tout âge.", 19, 3, False),
]


def load_demo(out) -> None:
    themes = list(Theme.objects.order_by("position", "pk"))
    communes = _communes()
    if not themes or not communes:
        out.write("  agenda : ni thèmes ni communes, rien à créer")
        return
    existing = set(Event.objects.values_list("slug", flat=True))
    created = 0
    with transaction.atomic():
        for index, (data, theme_list) in enumerate(plan(communes, themes, today())):
            if data["slug"] in existing:
                continue
            event = Event.objects.create(**data)
            event.themes.set(theme_list or [themes[index % len(themes)]])
            created += 1
        registrations = _register_some()
        reported = _report_one()
    out.write(f"  agenda : {created} événements créés, {registrations} inscriptions, "
              f"{reported} signalement")  # fmt: skip


def today() -> date:
    return timezone.localdate()


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone())


def next_dst_change(start: date) -> date:
    """The first day from ``start`` whose UTC offset differs from the day before's."""
    day = start
    for _ in range(400):
        if at(day + timedelta(days=1), 12).utcoffset() != at(day, 12).utcoffset():
            return day + timedelta(days=1)
        day += timedelta(days=1)
    return start + timedelta(days=60)


def _communes() -> list[Commune]:
    communes = []
    for code in DEPARTEMENTS:
        located = Commune.objects.filter(departement_id=code, latitude__isnull=False)
        communes += list(located.order_by("-population", "code")[:COMMUNES_PER_DEPARTEMENT])
    return communes


def _words(commune: Commune) -> dict:
    return {"de": f"de {commune.name}", "a": f"à {commune.name}"}


def _base(title: str, summary: str, commune: Commune | None, start, end, index: int, **extra):
    published = extra.pop("status", Status.PUBLISHED)
    now = timezone.now()
    data = {
        "title": title, "slug": slugify(f"{title}-{index}")[:160], "summary": summary,
        "description": f"<p>{summary}</p><p>Ouvert à toutes et tous, sans adhésion.</p>",
        "organiser_name": f"Collectif {commune.name}" if commune else "Réseau ESS régional",
        "start": start, "end": end, "status": published, "submitted_at": now,
        "submitter_email": "demo@essaim.example.org",
        "published_at": now if published == Status.PUBLISHED else None,
        "timezone": settings.TIME_ZONE,
    }  # fmt: skip
    if commune is not None:
        data |= {"commune": commune, "place_name": "Salle des fêtes",
                 "address": f"{index + 1} place de la Mairie",
                 "latitude": commune.latitude, "longitude": commune.longitude}  # fmt: skip
    return data | extra


def plan(communes: list[Commune], themes: list[Theme], first: date) -> list[tuple[dict, list]]:
    """Every demo event's fields and themes, from ``first`` (today) on."""
    planned = []
    for index in range(ONE_OFFS):
        commune = communes[(index * 7) % len(communes)]
        pattern, summary, hour, hours, free = ONE_OFF_TEMPLATES[index % len(ONE_OFF_TEMPLATES)]
        day = first + timedelta(days=2 + index * 3)
        data = _base(pattern.format(**_words(commune)), summary, commune,
                     at(day, hour), at(day, hour + hours), index, is_free=free,
                     price="" if free else "5 €, gratuit pour les moins de 18 ans",
                     accessibility_motor=index % 3 == 0)  # fmt: skip
        planned.append((data, [themes[index % len(themes)]]))
    planned += _specials(communes, themes, first)
    planned += _series(communes, themes, first)
    planned += _trainings(communes, themes, first)
    return planned


def _specials(communes, themes, first) -> list[tuple[dict, list]]:
    c = communes
    day = first + timedelta(days=10)
    specials = [
        _base("Forum de l'emploi solidaire", "Rencontres avec les structures d'insertion.",
              c[0], at(day, 9), at(day, 17), 100, event_status=EventStatus.CANCELLED),
        _base("Fête des jardins partagés", "Visites, trocs de graines et pique-nique.",
              c[11], at(day + timedelta(days=5), 11), at(day + timedelta(days=5), 18), 101,
              event_status=EventStatus.POSTPONED),
        _base("Webinaire : financer son projet solidaire", "Les outils de la finance solidaire.",
              None, at(day + timedelta(days=3), 12, 30), at(day + timedelta(days=3), 13, 30),
              102, attendance_mode=AttendanceMode.ONLINE, online_url="https://visio.example.org/finance"),
        _base("Assemblée des tiers-lieux", "Sur place à Orléans et en visioconférence.",
              c[50], at(day + timedelta(days=8), 14), at(day + timedelta(days=8), 17), 103,
              attendance_mode=AttendanceMode.MIXED, online_url="https://visio.example.org/tiers-lieux"),
        _base("Festival de l'économie solidaire", "Trois jours de rencontres et de concerts.",
              c[30], at(day + timedelta(days=20), 0), at(day + timedelta(days=23), 0), 104,
              all_day=True),
        _base("Journée portes ouvertes des coopératives", "Visitez les coopératives du territoire.",
              c[20], at(day + timedelta(days=14), 0), at(day + timedelta(days=15), 0), 105,
              all_day=True),
        _base("Atelier réparation de vélos", "Proposé par un habitant, en attente de relecture.",
              c[5], at(day + timedelta(days=6), 10), at(day + timedelta(days=6), 12), 106,
              status=Status.PENDING),
        _base("Conférence sur les communs", "Proposée par une association, en attente.",
              c[15], at(day + timedelta(days=9), 18), at(day + timedelta(days=9), 20), 107,
              status=Status.PENDING),
        _base("Balade à vélo solidaire", "En attente de relecture.",
              c[25], at(day + timedelta(days=12), 10), at(day + timedelta(days=12), 12), 108,
              status=Status.PENDING),
        _base("Vide-grenier solidaire", "Au profit de l'épicerie solidaire (signalé).",
              c[35], at(day + timedelta(days=4), 8), at(day + timedelta(days=4), 17), 109),
    ]  # fmt: skip
    return [(data, [themes[(7 * i) % len(themes)]]) for i, data in enumerate(specials)]


def _series(communes, themes, first) -> list[tuple[dict, list]]:
    """Weekly and monthly series that start before the next DST change and run past it."""
    change = next_dst_change(first + timedelta(days=1))
    weekly_start = max(first + timedelta(days=1), change - timedelta(days=21))
    monthly_start = max(first + timedelta(days=1), change - timedelta(days=45))
    series = []
    for i, (title, weekday_shift, hour) in enumerate([
        ("Permanence de l'épicerie solidaire", 0, 18),
        ("Atelier vélo du mardi", 1, 17),
        ("Jardin partagé : jardinage collectif", 2, 10),
    ]):  # fmt: skip
        day = weekly_start + timedelta(days=weekday_shift)
        rule = PlainRule(repeat=Repeat.WEEKLY, count=10)
        commune = communes[(i * 13 + 3) % len(communes)]
        # The first series skips its fifth date (an EXDATE, as in a holiday week).
        skipped = [f"{day + timedelta(weeks=4)}T{hour:02d}:00"] if i == 0 else []
        data = _base(f"{title} {_words(commune)['de']}", "Chaque semaine, à la même heure.",
                     commune, at(day, hour), at(day, hour + 2), 200 + i,
                     rrule=to_rrule(rule, day, zone=zone(), all_day=False),
                     exdates=skipped)  # fmt: skip
        series.append((data, [themes[(i * 5 + 1) % len(themes)]]))
    for i, (title, repeat, hour) in enumerate([
        ("Repair café mensuel", Repeat.MONTHLY_NTH, 14),
        ("Conseil des habitants", Repeat.MONTHLY_DAY, 19),
    ]):  # fmt: skip
        day = monthly_start + timedelta(days=i * 2)
        rule = PlainRule(repeat=repeat, count=6)
        commune = communes[(i * 17 + 8) % len(communes)]
        data = _base(f"{title} {_words(commune)['de']}", "Chaque mois, le même jour.",
                     commune, at(day, hour), at(day, hour + 3), 210 + i,
                     rrule=to_rrule(rule, day, zone=zone(), all_day=False))  # fmt: skip
        series.append((data, [themes[(i * 9 + 4) % len(themes)]]))
    return series


def _trainings(communes, themes, first) -> list[tuple[dict, list]]:
    trainings = []
    for i, (title, capacity) in enumerate([
        ("Formation : créer une SCIC", 12),
        ("Formation : comptabilité associative", 2),
        ("Formation : animer une réunion coopérative", 15),
    ]):  # fmt: skip
        day = first + timedelta(days=15 + i * 9)
        commune = communes[(i * 19 + 2) % len(communes)]
        data = _base(title, "Une journée de formation pour les porteurs de projets de l'ESS.",
                     commune, at(day, 9), at(day, 17), 300 + i, is_free=False,
                     price="Gratuit pour les adhérents, 40 € sinon", audience="Porteurs de projets",
                     registration_mode=RegistrationMode.BUILTIN, capacity=capacity,
                     accessibility_motor=True)  # fmt: skip
        trainings.append((data, [themes[(i * 11 + 6) % len(themes)]]))
    return trainings


def _register_some() -> int:
    """Confirmed seats on each training's first date, and one person waiting on the full one."""
    count = 0
    trainings = Event.objects.filter(registration_mode=RegistrationMode.BUILTIN,
                                     slug__startswith="formation-")  # fmt: skip
    for event in trainings:
        occurrence = event.occurrences.order_by("start").first()
        if occurrence is None or occurrence.registrations.exists():
            continue
        people = ["Camille Martin", "Dominique Petit", "Sacha Bernard"]
        confirmed = min(len(people), event.capacity or len(people))
        for number, name in enumerate(people):
            state = (
                Registration.State.CONFIRMED if number < confirmed else Registration.State.WAITING
            )
            Registration.objects.create(
                occurrence=occurrence, name=name, state=state,
                email=f"{slugify(name)}@example.org",
                confirmed_at=timezone.now() if state == Registration.State.CONFIRMED else None,
            )  # fmt: skip
            count += 1
    return count


def _report_one() -> int:
    event = Event.objects.filter(slug__startswith="vide-grenier-solidaire").first()
    if event is None or Report.for_object(event).exists():
        return 0
    try:
        moderation.report(obj=event, reason=Report.Reason.WRONG, address_hash="demo-agenda",
                          comment="La date affichée ne correspond pas à l'affiche.")  # fmt: skip
    except ModerationError:
        return 0
    return 1
