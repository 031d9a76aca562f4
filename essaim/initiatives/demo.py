"""Demo: ~170 initiatives across the six départements of Centre-Val de Loire.

Generated from templates at real commune points (jittered a little), in every top-level
theme; ten wait for moderation, three carry visitors' reports (the last one hidden), the
rest are published. Idempotent: records are keyed by slug and created once, in bulk.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.search.backends import get_search_backend

from essaim.initiatives.models import GeocodingState, Initiative, LegalForm
from essaim.initiatives.signals import initiatives_changed
from essaim.moderation import services as moderation
from essaim.moderation.exceptions import ModerationError
from essaim.moderation.models import Report, Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

DEPARTEMENTS = ("18", "28", "36", "37", "41", "45")
COMMUNES_PER_DEPARTEMENT = 28
PENDING = 10
REPORTED = 3
SEED = 2024
F = LegalForm

# (name pattern, summary, theme slugs, legal form, opening hours)
TEMPLATES = [
    (
        "AMAP {de_lieu}",
        "Des paniers de légumes bio chaque semaine, en lien direct avec un maraîcher du coin.",
        ["amap"],
        F.ASSOCIATION,
        "Th 18:00-19:30",
    ),
    (
        "Ressourcerie {du_lieu}",
        "Collecte, tri, réparation et revente d'objets du quotidien ; "
        "ateliers de sensibilisation au réemploi.",
        ["ressourceries-recycleries"],
        F.ASSOCIATION,
        "We,Sa 10:00-12:30,14:00-18:00; PH off",
    ),
    (
        "Épicerie solidaire {du_lieu}",
        "Produits de qualité à petits prix pour les foyers aux "
        "revenus modestes, et un lieu de rencontre.",
        ["epiceries-solidaires"],
        F.ASSOCIATION,
        "Tu,Th 14:00-18:00; Sa 09:30-12:00",
    ),
    (
        "Tiers-lieu {nom}",
        "Espace de travail partagé, café associatif, fablab et "
        "programmation culturelle ouverts à toutes et tous.",
        ["tiers-lieux", "culture"],
        F.SCIC,
        "Mo-Fr 09:00-18:00; Sa 10:00-17:00; Su off",
    ),
    (
        "Repair café {de_lieu}",
        "Un samedi par mois, des bénévoles aident à réparer appareils, "
        "vêtements et vélos plutôt que de jeter.",
        ["reparation"],
        F.COLLECTIVE,
        "",
    ),
    (
        "{Nom} Énergies citoyennes",
        "SCIC d'énergie citoyenne : toitures solaires financées et gouvernées par les habitants.",
        ["energies-renouvelables-citoyennes"],
        F.SCIC,
        "",
    ),
    (
        "Monnaie locale {du_lieu}",
        "Une monnaie complémentaire pour faire circuler l'argent "
        "dans les commerces et chez les producteurs du territoire.",
        ["monnaies-locales"],
        F.ASSOCIATION,
        "",
    ),
    (
        "Garage solidaire {du_lieu}",
        "Entretien et réparation de voitures à prix réduit, "
        "location de véhicules pour retrouver un emploi.",
        ["mobilite-solidaire"],
        F.ASSOCIATION,
        "Mo-Fr 08:30-12:00,13:30-17:30",
    ),
    (
        "Chantier d'insertion {des_jardins}",
        "Maraîchage biologique et entretien d'espaces naturels pour accompagner vers l'emploi.",
        ["insertion-activite-economique", "jardins-partages"],
        F.ASSOCIATION,
        "Mo-Fr 08:00-16:00",
    ),
    (
        "Atelier vélo {du_lieu}",
        "Atelier participatif d'autoréparation de vélos et vélo-école pour adultes.",
        ["ateliers-velo"],
        F.ASSOCIATION,
        "We 14:00-19:00; Sa 10:00-13:00",
    ),
    (
        "Habitat partagé {nom}",
        "Un habitat participatif intergénérationnel, avec une salle commune ouverte au quartier.",
        ["habitat-participatif"],
        F.COOPERATIVE,
        "",
    ),
    (
        "Coopérative d'activité {du_lieu}",
        "Une CAE pour tester et développer son activité en étant salarié·e entrepreneur·e.",
        ["cooperatives", "emploi-insertion"],
        F.SCOP,
        "Mo-Fr 09:00-17:00",
    ),
    (
        "Club d'épargne solidaire {du_lieu}",
        "Des citoyens qui placent leur épargne dans les entreprises locales de l'ESS (CIGALES).",
        ["epargne-financement-solidaires"],
        F.COLLECTIVE,
        "",
    ),
    (
        "Espace numérique {du_lieu}",
        "Accompagnement aux démarches en ligne, ateliers "
        "d'initiation et ordinateurs reconditionnés.",
        ["inclusion-numerique"],
        F.ASSOCIATION,
        "Tu-Fr 09:30-12:30",
    ),
    (
        "Centre social {du_lieu}",
        "Accueil, éducation populaire, activités pour les familles et projets d'habitants.",
        ["education-populaire"],
        F.ASSOCIATION,
        "Mo-Fr 09:00-12:00,14:00-18:00",
    ),
    (
        "Boutique équitable {du_lieu}",
        "Artisanat et alimentation issus du commerce équitable, animations en milieu scolaire.",
        ["commerce-equitable", "consommation-responsable"],
        F.ASSOCIATION,
        "Tu-Sa 10:00-19:00",
    ),
    (
        "Service d'aide à domicile {du_lieu}",
        "Aide, soin et accompagnement à domicile des personnes âgées ou en situation de handicap.",
        ["aide-soin-domicile"],
        F.MUTUAL,
        "Mo-Fr 08:30-17:00",
    ),
    (
        "Crèche parentale {nom}",
        "Une crèche gérée par les parents, ouverte aux familles du territoire.",
        ["petite-enfance"],
        F.ASSOCIATION,
        "Mo-Fr 07:30-18:30; PH off",
    ),
    (
        "Compagnie {nom}",
        "Théâtre et arts de la rue en milieu rural, ateliers avec les écoles et les habitants.",
        ["culture"],
        F.ASSOCIATION,
        "",
    ),
    (
        "Entreprise à but d'emploi {du_lieu}",
        "Territoire zéro chômeur de longue durée : des "
        "emplois utiles au territoire pour les personnes privées d'emploi.",
        ["territoires-zero-chomeur"],
        F.ESS_COMPANY,
        "Mo-Fr 08:30-16:30",
    ),
    (
        "Maison des associations {du_lieu}",
        "Prêt de salles, accompagnement et formation des bénévoles et des associations.",
        ["vie-associative"],
        F.PUBLIC_BODY,
        "Mo-Fr 09:00-17:00",
    ),
    (
        "Textile solidaire {du_lieu}",
        "Collecte, tri et boutique de vêtements de seconde main, atelier de couture.",
        ["textile"],
        F.ASSOCIATION,
        "We-Sa 10:00-18:00",
    ),
    (
        "Drive fermier {du_lieu}",
        "Les produits d'une vingtaine de fermes, commandés en ligne et retirés chaque vendredi.",
        ["circuits-courts"],
        F.COOPERATIVE,
        "Fr 16:00-19:00",
    ),
    (
        "Collectif logiciels libres {du_lieu}",
        "Install-parties, entraide et promotion des communs numériques.",
        ["communs-numeriques"],
        F.COLLECTIVE,
        "",
    ),
    (
        "Rénovation solidaire {du_lieu}",
        "Accompagnement des ménages modestes pour rénover et isoler leur logement.",
        ["sobriete-renovation", "logement-solidaire"],
        F.ASSOCIATION,
        "",
    ),
]


def load_demo(out):
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    if not themes:
        out.write("  initiatives : aucun thème, rien à créer")
        return
    planned = _plan(themes)
    existing = set(Initiative.objects.filter(slug__in=[p[0].slug for p in planned])
                   .values_list("slug", flat=True))  # fmt: skip
    new = [item for item in planned if item[0].slug not in existing]
    with transaction.atomic():
        created = Initiative.objects.bulk_create([initiative for initiative, _t in new])
        _link_themes(created, [slugs for _i, slugs in new], themes)
    get_search_backend().add_bulk(Initiative, created)
    initiatives_changed.send(sender=Initiative, ids=[i.pk for i in created])
    reported = _report_some(planned)
    out.write(f"  initiatives : {len(created)} créées, {reported} signalements")


def _plan(themes) -> list[tuple[Initiative, list[str]]]:
    rng = random.Random(SEED)
    communes = _communes()
    now = timezone.now()
    planned = []
    for index, commune in enumerate(communes):
        template = TEMPLATES[index % len(TEMPLATES)]
        initiative = _initiative(template, commune, index, rng, now)
        planned.append((initiative, [s for s in template[2] if s in themes]))
    return planned


def _communes() -> list[Commune]:
    communes = []
    for code in DEPARTEMENTS:
        located = Commune.objects.filter(departement_id=code, latitude__isnull=False)
        located = located.prefetch_related("postal_codes")
        communes += list(located.order_by("-population", "code")[:COMMUNES_PER_DEPARTEMENT])
    return communes


def _initiative(template, commune: Commune, index: int, rng: random.Random, now) -> Initiative:
    pattern, summary, _themes, legal_form, hours = template
    name = pattern.format(**_place_words(commune))
    pending = index % (len(DEPARTEMENTS) * COMMUNES_PER_DEPARTEMENT // PENDING) == 7
    age = timedelta(days=rng.randint(3, 900))
    return Initiative(
        name=name,
        slug=slugify(f"{name}-{commune.code}")[:220],
        summary=summary,
        description=f"{summary}\n\nÀ {commune.name}, l'initiative rassemble bénévoles, "
        "salarié·es et habitant·es. Contactez-nous pour participer.",
        address=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
        postal_code=_postal_code(commune),
        commune=commune,
        latitude=round(commune.latitude + rng.uniform(-0.006, 0.006), 6),
        longitude=round(commune.longitude + rng.uniform(-0.008, 0.008), 6),
        geocoding=GeocodingState.COMMUNE,
        email=f"contact@{slugify(name)[:40]}.example.org",
        email_public=index % 4 == 0,
        website=f"https://{slugify(name)[:40]}.example.org/" if index % 3 else "",
        opening_hours=hours if index % 5 else "",
        legal_form=legal_form,
        siret=f"{rng.randint(10**13, 10**14 - 1)}" if index % 2 else "",
        status=Status.PENDING if pending else Status.PUBLISHED,
        submitted_at=now - age,
        published_at=None if pending else now - age + timedelta(days=2),
        submitter_email="demo@essaim.example.org",
    )


STREETS = ["rue de la République", "place du Marché", "rue des Écoles", "avenue de la Gare",
           "rue du Moulin", "chemin des Vignes", "rue Nationale", "place de l'Église"]  # fmt: skip


def _place_words(commune: Commune) -> dict:
    name = commune.name
    return {"nom": name, "Nom": name, "de_lieu": f"de {name}", "du_lieu": f"de {name}",
            "des_jardins": f"des Jardins de {name}"}  # fmt: skip


def _postal_code(commune: Commune) -> str:
    codes = sorted(postal.code for postal in commune.postal_codes.all())
    return codes[0] if codes else ""


def _link_themes(initiatives, slug_lists, themes) -> None:
    through = Initiative.themes.through
    links = [through(initiative_id=initiative.pk, theme_id=themes[slug].pk)
             for initiative, slugs in zip(initiatives, slug_lists, strict=True)
             for slug in slugs]  # fmt: skip
    through.objects.bulk_create(links, ignore_conflicts=True)


def _report_some(planned) -> int:
    """1, 2 and 3 reports on three published initiatives: the last one gets hidden."""
    slugs = [i.slug for i, _t in planned if i.status == Status.PUBLISHED][5 : 5 + REPORTED]
    count = 0
    for times, slug in enumerate(slugs, start=1):
        initiative = Initiative.objects.get(slug=slug)
        if Report.for_object(initiative).exists():
            continue
        for number in range(times):
            try:
                moderation.report(obj=initiative, reason=Report.Reason.GONE,
                                  comment="Fermé depuis l'été, d'après les voisins.",
                                  address_hash=f"demo-{number}")  # fmt: skip
                count += 1
            except ModerationError:
                break
    return count
