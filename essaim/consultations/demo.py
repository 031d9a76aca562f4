"""Demo consultations: one closed with official answers, one open in its supports phase
with proposals, comments and a contribution document (the seed text, summarised in our
own words). Idempotent: keyed by slug, created once; dates move with today.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from essaim.accounts.demo import DEMO_ACCOUNTS, ensure_demo_account
from essaim.consultations.models import (
    AnswerState,
    Comment,
    Consultation,
    Kind,
    Participation,
    Proposal,
    ProposalSection,
    Support,
)
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme

CLOSED = "budget-solidaire-2025"
OPEN = "region-participative-et-citoyenne"

CLOSED_PROPOSALS = [
    (
        "Une ressourcerie mobile pour les communes rurales",
        "ressourceries-recycleries",
        "Un camion qui passe chaque mois dans les bourgs sans déchèterie : on y dépose, on y "
        "répare, on y récupère.",
        AnswerState.ACCEPTED,
        "Retenue : un premier circuit de six communes démarre au printemps, avec deux "
        "structures d'insertion.",
    ),
    (
        "Des cantines scolaires approvisionnées en circuit court",
        "",
        "Aider les communes à s'équiper d'une légumerie partagée pour cuisiner les produits "
        "des fermes voisines.",
        AnswerState.PARTIAL,
        "Retenue en partie : l'étude de la légumerie est financée ; l'équipement sera décidé "
        "au vu de ses conclusions.",
    ),
    (
        "Une monnaie locale acceptée par les services publics",
        "",
        "Pouvoir payer la piscine et la médiathèque en monnaie locale.",
        AnswerState.REJECTED,
        "Non retenue pour l'instant : la réglementation des régies publiques ne le permet pas "
        "encore ; nous reviendrons vers l'association porteuse.",
    ),
    (
        "Un fonds pour les cafés associatifs",
        "",
        "Une aide au démarrage pour les lieux de convivialité tenus par des bénévoles.",
        AnswerState.EVALUATING,
        "En cours d'examen avec les intercommunalités.",
    ),
]

OPEN_PROPOSALS = [
    (
        "Des animateurs et animatrices de coopération dans chaque pays",
        "Former des personnes relais, dans les collectivités ou les associations, pour mettre "
        "en lien les habitants, les structures et les élus autour de projets communs.",
    ),
    (
        "Un tiers-lieu ressource par département",
        "Un lieu ouvert pour s'informer, se former et rencontrer d'autres porteurs de projets "
        "de l'économie sociale et solidaire.",
    ),
    (
        "Des outils numériques libres pour les associations",
        "Mutualiser l'hébergement d'outils libres (agenda, carte, documents partagés) et "
        "former les bénévoles à s'en servir.",
    ),
]

CONTRIBUTION_SUMMARY = (
    "Un réseau régional de l'économie solidaire propose de s'appuyer sur les initiatives "
    "existantes pour construire une Région plus participative : mieux connaître ce qui "
    "se fait, créer des lieux et des métiers de la coopération, associer les habitants "
    "aux décisions, documenter et évaluer les projets pour qu'ils essaiment."
)
CONTRIBUTION_SECTIONS = [
    (
        "Qui dépose cette contribution",
        "Nous sommes un réseau ressource de la région : associations, entrepreneurs, "
        "citoyens et acteurs publics qui partagent des connaissances et coopèrent pour "
        "développer des projets collectifs durables.\n\nNous animons des rencontres, des "
        "formations et des outils en ligne pour faire connaître les initiatives locales.",
    ),
    (
        "Ce que nous observons",
        "Les réformes territoriales donnent aux Régions plus de responsabilités économiques "
        "et sociales. L'économie sociale et solidaire expérimente chaque jour des réponses "
        "aux besoins des territoires, mais ses relations avec les acteurs publics et les "
        "entreprises restent difficiles, faute de culture commune.\n\nPour « faire "
        "ensemble », il faut garder la mémoire des expériences soutenues et les aider à "
        "essaimer d'un territoire à l'autre.",
    ),
    (
        "Connaître et partager",
        "Partager notre veille et une carte contributive des initiatives solidaires ; "
        "s'inspirer de ce que font les autres régions ; se former ensemble, élus, agents, "
        "salariés et bénévoles, pour porter plus facilement des projets en coopération.",
    ),
    (
        "Des lieux et des personnes pour coopérer",
        "Créer, au sein de l'agence régionale de développement, un groupe dédié à "
        "l'innovation sociale ; former aux outils numériques libres et coopératifs ; ouvrir "
        "des tiers-lieux d'éducation permanente ; former des animateurs locaux de "
        "coopération ; accompagner les projets citoyens, jusqu'à des coopératives d'intérêt "
        "collectif ou des pôles territoriaux de coopération.",
    ),
    (
        "Une Région participative et citoyenne",
        "Mobiliser le réseau pour que les habitants prennent part au projet de Région "
        "participative, et conduire avec eux une observation partagée et permanente de "
        "l'innovation sociale.",
    ),
    (
        "Documenter et évaluer",
        "Tenir une documentation ouverte des expériences, réussites et échecs compris, et "
        "construire une démarche d'évaluation qui aide chaque projet à progresser et à être "
        "repris ailleurs.",
    ),
]


def load_demo(out):
    if Consultation.objects.filter(slug__in=[CLOSED, OPEN]).count() == 2:
        out.write("  consultations : déjà présentes")
        return
    users = [ensure_demo_account(*account) for account in DEMO_ACCOUNTS]
    member, moderator, editor = users[1], users[3], users[4]
    themes = {t.slug: t for t in Theme.objects.all()}
    now = timezone.now()
    with transaction.atomic():
        closed = _closed(now, users, editor, themes)
        opened = _open(now, users, member, moderator, themes)
    count = Proposal.objects.filter(consultation__in=[closed, opened]).count()
    out.write(f"  consultations : 2 consultations, {count} propositions")


def _dates(now, supports_offset_days: int) -> dict:
    """Phases a fortnight each, the supports phase starting ``supports_offset_days`` ago."""
    start = now - timedelta(days=supports_offset_days + 42)
    names = ["information_starts_at", "proposals_start_at", "discussion_starts_at",
             "supports_start_at", "answers_start_at", "closes_at"]  # fmt: skip
    return {name: start + timedelta(days=14 * i) for i, name in enumerate(names)}


def _publish(proposal, now):
    proposal.status, proposal.published_at, proposal.submitted_at = Status.PUBLISHED, now, now
    proposal.save()


def _closed(now, users, editor, themes):
    consultation, created = Consultation.objects.get_or_create(slug=CLOSED, defaults={
        "title": "Budget participatif solidaire 2025",
        "summary": "Les habitants ont proposé et soutenu des projets d'économie solidaire ; "
                   "la Région a répondu à chacun.",
        "context": "<p>Une enveloppe régionale pour des projets proposés par les habitants.</p>",
        "territory_key": "region-24", "organiser_name": "Région Centre-Val de Loire (démo)",
        "max_supports": 3, "published": True, "notified_phase": "closed",
        **_dates(now, 60),
    })  # fmt: skip
    if not created:
        return consultation
    for i, (title, theme, body, state, answer) in enumerate(CLOSED_PROPOSALS):
        proposal = Proposal(consultation=consultation, title=title, body=body,
                            submitted_by=users[i % 3], answer_state=state, answer_text=answer,
                            answered_at=now - timedelta(days=3), answered_by=editor)  # fmt: skip
        _publish(proposal, now - timedelta(days=80))
        if theme in themes:
            proposal.themes.set([themes[theme]])
        Support.objects.bulk_create(Support(proposal=proposal, user=user)
                                    for user in users[: 5 - i])  # fmt: skip
    return consultation


def _open(now, users, member, moderator, themes):
    consultation, created = Consultation.objects.get_or_create(slug=OPEN, defaults={
        "title": "Pour une Région participative et citoyenne",
        "summary": "Comment associer habitants et acteurs de l'économie solidaire aux "
                   "décisions régionales ? Soutenez les propositions.",
        "context": "<p>La Région prépare sa stratégie de participation citoyenne. Elle "
                   "recueille les propositions des habitants et des organisations, les met "
                   "en discussion, puis répondra à chacune.</p>",
        "territory_key": "region-24", "organiser_name": "Région Centre-Val de Loire (démo)",
        "participation": Participation.VERIFIED, "max_supports": 3, "published": True,
        "notified_phase": "supports", **_dates(now, 5),
    })  # fmt: skip
    if not created:
        return consultation
    proposals = []
    for i, (title, body) in enumerate(OPEN_PROPOSALS):
        proposal = Proposal(consultation=consultation, title=title, body=body,
                            submitted_by=users[i])  # fmt: skip
        _publish(proposal, now - timedelta(days=20 - i))
        proposals.append(proposal)
    contribution = Proposal(
        consultation=consultation, kind=Kind.CONTRIBUTION, submitted_by=member,
        title="L'économie solidaire au service d'une Région participative",
        summary=CONTRIBUTION_SUMMARY,
    )  # fmt: skip
    _publish(contribution, now - timedelta(days=18))
    ProposalSection.objects.bulk_create(
        ProposalSection(proposal=contribution, position=i, heading=heading, body=body)
        for i, (heading, body) in enumerate(CONTRIBUTION_SECTIONS)
    )
    Support.objects.bulk_create(
        [Support(proposal=proposals[0], user=user) for user in users[:4]]
        + [Support(proposal=contribution, user=user) for user in users[2:5]]
    )
    first = Comment.objects.create(proposal=proposals[0], body="Dans notre pays, une "
                                   "personne le fait déjà à mi-temps : ça change tout.",
                                   submitted_by=users[2], status=Status.PUBLISHED,
                                   published_at=now)  # fmt: skip
    Comment.objects.create(proposal=proposals[0], parent=first, depth=2, submitted_by=users[0],
                           body="Qui la finance ? La question se posera partout.",
                           status=Status.PUBLISHED, published_at=now)  # fmt: skip
    Comment.objects.create(proposal=contribution, submitted_by=moderator,
                           body="Merci pour ce document très complet.",
                           status=Status.PUBLISHED, published_at=now)  # fmt: skip
    return consultation
