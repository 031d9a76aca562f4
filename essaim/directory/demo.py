"""Demo directory: 96 organisations across the six départements of the region, 24 people
who consented to be listed (demo accounts without a password), offers and needs that match,
and the demo facilitator's territories. Idempotent: keyed by slug; fast (bulk inserts).
Generated names; all addresses are under example.org."""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.search.backends import get_search_backend

from essaim.accounts.models import User
from essaim.directory import services
from essaim.directory.models import (
    FacilitatorArea,
    LegalForm,
    Match,
    Membership,
    OfferNeed,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    PersonProfile,
    Visibility,
)
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

SEED = 7
DEPARTEMENTS = ("18", "28", "36", "37", "41", "45")
PER_DEPARTEMENT = 16
PEOPLE = 24
PATTERNS = [
    ("Association {word} Solidaire", LegalForm.ASSOCIATION, OrganisationKind.STRUCTURE),
    ("Coopérative {word}", LegalForm.SCIC, OrganisationKind.STRUCTURE),
    ("Réseau des tiers-lieux de {place}", LegalForm.ASSOCIATION, OrganisationKind.NETWORK),
    ("Recyclerie {word}", LegalForm.ASSOCIATION, OrganisationKind.STRUCTURE),
    ("SCOP {word} Bâtiment", LegalForm.SCOP, OrganisationKind.COMPANY),
    ("Mutuelle {word}", LegalForm.MUTUAL, OrganisationKind.STRUCTURE),
    ("Collectif citoyen de {place}", LegalForm.COLLECTIVE, OrganisationKind.GROUP),
    ("Centre social de {place}", LegalForm.ASSOCIATION, OrganisationKind.STRUCTURE),
]
WORDS = [
    "La Ruche",
    "L'Étincelle",
    "Le Relais",
    "Les Communs",
    "La Fabrique",
    "Le Pont",
    "L'Atelier",
    "Les Semeurs",
    "La Passerelle",
    "Le Lien",
    "Graines",
    "L'Escale",
]
FIRST = [
    "Camille",
    "Dominique",
    "Alex",
    "Sacha",
    "Claude",
    "Lou",
    "Noa",
    "Charlie",
    "Yannick",
    "Maël",
    "Andrea",
    "Morgan",
]
LAST = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent"]
SKILLS = [
    "comptabilité associative",
    "animation de réunions",
    "graphisme",
    "menuiserie",
    "montage de projets européens",
    "communication",
    "juridique ESS",
    "informatique libre",
    "maraîchage",
    "médiation numérique",
]
# (kind, offer title, need title)
EXCHANGES = [
    (
        OfferNeed.Kind.PREMISES,
        "Salle de réunion disponible le soir",
        "Cherche une salle pour nos ateliers",
    ),
    (
        OfferNeed.Kind.EQUIPMENT,
        "Prêt d'un camion utilitaire",
        "Besoin d'un véhicule pour une collecte",
    ),
    (OfferNeed.Kind.SKILLS, "Accompagnement comptable bénévole", "Aide pour clôturer nos comptes"),
    (OfferNeed.Kind.VOLUNTEERING, "Bénévoles disponibles le samedi", "Renfort pour notre festival"),
    (OfferNeed.Kind.SERVICES, "Impression à prix solidaire", "Impression de 500 affiches"),
]


def load_demo(out):
    themes = list(Theme.objects.filter(parent__isnull=True).order_by("position", "pk"))
    if not themes:
        out.write("  annuaire : aucun thème, rien à créer")
        return
    with transaction.atomic():
        organisations = _organisations(themes)
        people = _people(themes)
        items = _offers_needs(organisations, people, themes)
        _facilitator_and_member(organisations)
    backend = get_search_backend()
    for model, rows in ((Organisation, organisations), (PersonProfile, people), (OfferNeed, items)):
        if rows:
            backend.add_bulk(model, rows)
    out.write(
        f"  annuaire : {len(organisations)} organisations, {len(people)} personnes, "
        f"{len(items)} offres et besoins créés"
    )


def _communes() -> list[Commune]:
    communes = []
    for code in DEPARTEMENTS:
        located = Commune.objects.filter(departement_id=code, latitude__isnull=False)
        communes += list(located.order_by("-population", "code")[:PER_DEPARTEMENT])
    return communes


def _siret(rng: random.Random) -> str:
    """A random SIRET with a valid Luhn key."""
    digits = [rng.randint(0, 9) for _ in range(13)]
    for last in range(10):
        candidate = "".join(map(str, digits)) + str(last)
        if services_luhn(candidate):
            return candidate
    raise AssertionError("unreachable")


def services_luhn(value: str) -> bool:
    from essaim.directory.models import luhn_ok

    return luhn_ok(value)


def _organisations(themes) -> list[Organisation]:
    rng = random.Random(SEED)
    now = timezone.now()
    planned = []
    for index, commune in enumerate(_communes()):
        pattern, legal_form, kind = PATTERNS[index % len(PATTERNS)]
        name = pattern.format(word=WORDS[index % len(WORDS)], place=commune.name)
        if "{place}" not in pattern:
            name = f"{name} ({commune.name})"
        slug = slugify(name)[:200]
        planned.append(
            Organisation(
                name=name,
                slug=slug,
                kind=kind,
                legal_form=legal_form,
                siret=_siret(rng) if index % 3 else "",
                rna=f"W{rng.randint(10**8, 10**9 - 1)}"
                if legal_form == LegalForm.ASSOCIATION
                else "",
                summary=f"{name} agit pour l'économie sociale et solidaire à {commune.name}.",
                description=f"<p>{name} rassemble habitant·es, bénévoles et salarié·es autour de "
                f"projets solidaires à {commune.name} et alentour.</p>",
                address=f"{rng.randint(1, 60)} rue de la République",
                commune=commune,
                latitude=commune.latitude,
                longitude=commune.longitude,
                website=f"https://{slug[:40]}.example.org",
                email=f"contact@{slug[:40]}.example.org",
                email_public=index % 5 == 0,
                status=Status.PUBLISHED if index % 12 else Status.PENDING,
                published_at=now,
            )
        )
    existing = set(
        Organisation.objects.filter(slug__in=[o.slug for o in planned]).values_list(
            "slug", flat=True
        )
    )
    created = Organisation.objects.bulk_create([o for o in planned if o.slug not in existing])
    Through = Organisation.themes.through
    Through.objects.bulk_create(
        [
            Through(organisation_id=o.pk, theme_id=themes[i % len(themes)].pk)
            for i, o in enumerate(created)
        ]
    )
    links = [
        OrganisationLink(
            source=o,
            target=created[i - i % 8],
            confirmed_at=now,
            kind=OrganisationLink.Kind.MEMBER_OF,
        )
        for i, o in enumerate(created)
        if i % 8
    ]
    OrganisationLink.objects.bulk_create(links, ignore_conflicts=True)
    return created


def _people(themes) -> list[PersonProfile]:
    rng = random.Random(SEED + 1)
    communes = _communes()
    wanted = []
    for index in range(PEOPLE):
        name = f"{FIRST[index % len(FIRST)]} {LAST[index % len(LAST)]}"
        email = f"personne-{index + 1}@demo.essaim.localhost"
        wanted.append((email, name))
    existing = set(
        User.objects.filter(email__in=[e for e, _n in wanted]).values_list("email", flat=True)
    )
    users = [
        User(email=e, display_name=n, password="!demo-no-login")  # noqa: S106 (an unusable hash: no log-in)
        for e, n in wanted
        if e not in existing
    ]
    users = User.objects.bulk_create(users)
    profiles = []
    for index, user in enumerate(users):
        skills = rng.sample(SKILLS, 2)
        profiles.append(
            PersonProfile(
                user=user,
                slug=slugify(f"{user.display_name}-{user.pk}"),
                name=user.display_name,
                bio=f"{user.display_name} met ses compétences en {skills[0]} au service des "
                "projets du territoire.",
                skills=", ".join(skills),
                availability="Quelques heures par mois",
                website=f"https://{slugify(user.display_name)}.example.org",
                visibility={
                    **PersonProfile.VISIBLE_FIELDS,
                    "website": Visibility.PUBLIC if index % 2 else Visibility.HIDDEN,
                },
                listed=True,
                consented_at=timezone.now(),
            )
        )
    profiles = PersonProfile.objects.bulk_create(profiles)
    ThemeThrough = PersonProfile.themes.through
    ThemeThrough.objects.bulk_create(
        [
            ThemeThrough(personprofile_id=p.pk, theme_id=themes[i % len(themes)].pk)
            for i, p in enumerate(profiles)
        ]
    )
    CommuneThrough = PersonProfile.communes.through
    CommuneThrough.objects.bulk_create(
        [
            CommuneThrough(personprofile_id=p.pk, commune_id=communes[(i * 4) % len(communes)].pk)
            for i, p in enumerate(profiles)
        ]
    )
    return profiles


def _offers_needs(organisations, people, themes) -> list[OfferNeed]:
    """Pairs in the same département: an offer by one organisation, a need by the next."""
    public = [o for o in organisations if o.status == Status.PUBLISHED]
    now = timezone.now()
    items = []
    for index in range(0, min(len(public) - 1, 60), 2):
        kind, offer_title, need_title = EXCHANGES[(index // 2) % len(EXCHANGES)]
        offerer, needer = public[index], public[index + 1]
        for direction, title, owner in (
            (OfferNeed.Direction.OFFER, offer_title, offerer),
            (OfferNeed.Direction.NEED, need_title, needer),
        ):
            items.append(
                OfferNeed(
                    direction=direction,
                    kind=kind,
                    title=title,
                    organisation=owner,
                    description=f"{title}, à {owner.commune.name}.",
                    commune=owner.commune,
                    status=Status.PUBLISHED,
                    published_at=now,
                )
            )
    for index, person in enumerate(people[:6]):
        kind, offer_title, _need = EXCHANGES[index % len(EXCHANGES)]
        items.append(
            OfferNeed(
                direction=OfferNeed.Direction.OFFER,
                kind=kind,
                person=person,
                title=offer_title,
                status=Status.PUBLISHED,
                published_at=now,
                commune=public[index * 2].commune,
            )
        )
    items = OfferNeed.objects.bulk_create(items)
    Through = OfferNeed.themes.through
    Through.objects.bulk_create(
        [
            Through(offerneed_id=item.pk, theme_id=themes[(i // 2) % len(themes)].pk)
            for i, item in enumerate(items)
        ]
    )
    for need in (i for i in items if i.direction == OfferNeed.Direction.NEED):
        for offer, points in services.candidates(need)[:3]:
            Match.objects.get_or_create(
                need=need, offer=offer, defaults={"score": points, "notified_at": now}
            )
    return items


def _facilitator_and_member(organisations) -> None:
    facilitator = User.objects.filter(email="animation@demo.essaim.localhost").first()
    if facilitator:
        for key in ("37", "41"):
            if not FacilitatorArea.objects.filter(user=facilitator, territory_key=key).exists():
                area = FacilitatorArea(user=facilitator, territory_key=key)
                area.clean()  # resolves the label and the point
                area.save()
    member = User.objects.filter(email="membre@demo.essaim.localhost").first()
    if member and organisations:
        Membership.objects.get_or_create(
            organisation=organisations[1], user=member, defaults={"role": Membership.Role.ADMIN}
        )
