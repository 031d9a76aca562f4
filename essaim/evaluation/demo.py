"""Demo evaluation: twelve projects linked to demo initiatives, two or three assessments
each over two years (levels rising as their plans are carried out), and one open campaign
where eight projects consolidated, so that its aggregates show.

The demo team lead ("responsable@…", see docs/demo-accounts.md) leads every project; the
member organisation account answers with them. Idempotent: projects are keyed by slug.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from essaim.accounts.demo import demo_email, ensure_demo_account
from essaim.accounts.models import User
from essaim.accounts.roles import Role as Role_
from essaim.evaluation import grids, scoring, services
from essaim.evaluation.models import (
    Action,
    Answer,
    Assessment,
    Campaign,
    ConsolidatedAnswer,
    Grid,
    Project,
    ProjectMember,
    Role,
)
from essaim.initiatives.models import Initiative

SEED = 8
PROJECTS = 12
CAMPAIGN_PROJECTS = 8
LEAD = ("responsable", "Rémi Responsable (équipe projet)")
CAMPAIGN_SLUG = "campagne-reseau-demo"
ACTIONS = [
    "Réunir les usagers deux fois par an",
    "Publier les comptes sur le site",
    "Former l'équipe à l'accueil des personnes handicapées",
    "Mesurer nos déchets et fixer un objectif",
    "Rédiger une fiche d'expérience",
]


def load_demo(out) -> None:
    grids.load_default_grid()
    version = Grid.objects.get(slug="grille-essaim").latest_version()
    lead = ensure_demo_account(*LEAD, Role_.CONTRIBUTOR)  # any signed-in person may lead
    partner = User.objects.filter(email=demo_email("membre")).first()
    today = timezone.localdate()
    campaign, _created = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={"title": "Campagne d'auto-évaluation du réseau (démonstration)",
                  "description": "Les projets du réseau s'évaluent sur la grille Essaim. "
                                 "Résultats agrégés et anonymes.",
                  "version": version, "opens_on": today - timedelta(days=30),
                  "closes_on": today + timedelta(days=60)},
    )  # fmt: skip
    initiatives = list(Initiative.objects.public().order_by("pk")[:PROJECTS])
    rng = random.Random(SEED)
    created = 0
    for n in range(PROJECTS):
        initiative = initiatives[n] if n < len(initiatives) else None
        name = initiative.name if initiative else f"Projet démo {n + 1}"
        slug = f"demo-evaluation-{n + 1}"
        if Project.objects.filter(slug=slug).exists():
            continue
        with transaction.atomic():
            _project(n, slug, name, initiative, version, campaign, lead, partner, rng, today)
        created += 1
    out.write(f"  évaluation : {created} projets créés, campagne « {campaign.title} » "
              f"(compte responsable : {demo_email(LEAD[0])})")  # fmt: skip


def _project(n, slug, name, initiative, version, campaign, lead, partner, rng, today):
    project = services.create_project(name=name, by=lead, subject=initiative)
    Project.objects.filter(pk=project.pk).update(slug=slug)
    project.slug = slug
    if partner is not None:
        ProjectMember.objects.get_or_create(project=project, user=partner,
                                            defaults={"role": Role.MEMBER})  # fmt: skip
    criteria = list(version.criteria())
    base = {c.pk: rng.randint(0, 2) for c in criteria}
    dates = [today - timedelta(days=730), today - timedelta(days=365)]
    in_campaign = n < CAMPAIGN_PROJECTS
    if in_campaign or n % 2:
        dates.append(today - timedelta(days=rng.randint(1, 20)))
    for step, day in enumerate(dates):
        is_campaign = in_campaign and step == 2
        assessment = services.start_assessment(
            project=project, version=version, by=lead, started_on=day,
            title=f"Auto-évaluation {day.year}" + (" (campagne)" if is_campaign else ""),
            campaign=campaign if is_campaign else None,
        )  # fmt: skip
        levels = _answer(assessment, criteria, base, step, [lead, partner], rng)
        _consolidate(assessment, levels)
        _plan(project, assessment, criteria, levels, lead, done=step < len(dates) - 1, rng=rng)


def _answer(assessment, criteria, base, step, people, rng) -> dict[int, list[int]]:
    answers, given = [], {}
    for person in filter(None, people):
        for criterion in criteria:
            if rng.random() < 0.06:
                answers.append(Answer(assessment=assessment, respondent=person,
                                      criterion=criterion, not_applicable=True))  # fmt: skip
                continue
            level = min(4, max(0, base[criterion.pk] + step + rng.choice([-1, 0, 0, 1])))
            given.setdefault(criterion.pk, []).append(level)
            answers.append(Answer(assessment=assessment, respondent=person,
                                  criterion=criterion, level=level))  # fmt: skip
    Answer.objects.bulk_create(answers)
    return given


def _consolidate(assessment, given) -> None:
    rows = [ConsolidatedAnswer(assessment=assessment, criterion_id=criterion_id,
                               level=scoring.rounded_median(levels))
            for criterion_id, levels in given.items()]  # fmt: skip
    ConsolidatedAnswer.objects.bulk_create(rows)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.CONSOLIDATED, consolidated_at=timezone.now()
    )


def _plan(project, assessment, criteria, given, lead, *, done: bool, rng) -> None:
    low = [c for c in criteria if given.get(c.pk) and min(given[c.pk]) <= 1][:2]
    for criterion in low:
        Action.objects.create(
            project=project, assessment=assessment, criterion=criterion, owner=lead,
            title=rng.choice(ACTIONS), due_on=assessment.started_on + timedelta(days=180),
            status=Action.Status.DONE if done else Action.Status.TODO,
            done_at=timezone.now() if done else None,
        )  # fmt: skip
