"""Consultations: a staff-managed consultation with dated phases, the public's proposals
(and long "contribution" documents), threaded comments, supports and official answers.

Visibility: ``Consultation.objects.public()`` (published), ``Proposal.objects.public()``
(published, not hidden, in a published consultation) and ``Comment.objects.public()``
(the same, on a public proposal). Every public surface starts from them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from essaim.moderation.models import Moderated, ModeratedQuerySet

CONTEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]
MAX_COMMENT_DEPTH = 3


class Phase(models.TextChoices):
    COMING = "coming", _("À venir")
    INFORMATION = "information", _("Information")
    PROPOSALS = "proposals", _("Propositions")
    DISCUSSION = "discussion", _("Discussion")
    SUPPORTS = "supports", _("Soutiens")
    ANSWERS = "answers", _("Réponses")
    CLOSED = "closed", _("Clôturée")


# Phase -> the field holding the moment it starts, in order.
PHASE_STARTS = [
    (Phase.INFORMATION, "information_starts_at"),
    (Phase.PROPOSALS, "proposals_start_at"),
    (Phase.DISCUSSION, "discussion_starts_at"),
    (Phase.SUPPORTS, "supports_start_at"),
    (Phase.ANSWERS, "answers_start_at"),
    (Phase.CLOSED, "closes_at"),
]
PHASE_ORDER = [Phase.COMING] + [phase for phase, _field in PHASE_STARTS]
# Phases during which people may comment.
DISCUSSION_PHASES = {Phase.PROPOSALS, Phase.DISCUSSION, Phase.SUPPORTS}


class Participation(models.TextChoices):
    VERIFIED = "verified", _("Toute personne avec une adresse e-mail vérifiée")
    MEMBERS = "members", _("Les organisations membres du réseau")
    INVITED = "invited", _("Les personnes invitées")


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published=True)

    def concerning(self, territory):
        """Consultations about ``territory``, about a territory around it (its région's
        concern its communes) or about one inside it: one query."""
        from essaim.territories.models import EPCI, Departement
        from essaim.territories.territory import commune_filter, communes_of, covering_keys

        around = covering_keys(territory)
        inside = commune_filter(territory, prefix="communes")
        return self.filter(
            models.Q(territory_key__in=around)
            | models.Q(territory_key__in=communes_of(territory).values("code"))
            | models.Q(territory_key__in=EPCI.objects.filter(inside).values("code"))
            | models.Q(territory_key__in=Departement.objects.filter(inside).values("code"))
        )


class Consultation(index.Indexed, models.Model):
    """One consultation, managed by staff in the back office."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    context = RichTextField(_("contexte"), blank=True, features=CONTEXT_FEATURES)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="consultations", verbose_name=_("thèmes"), blank=True
    )
    territory_key = models.CharField(
        _("territoire"), max_length=20, blank=True,
        help_text=_("Code INSEE de commune ou de département, SIREN d'EPCI, ou region-24."),
    )  # fmt: skip
    territory_label = models.CharField(max_length=200, blank=True, editable=False)
    organiser_name = models.CharField(_("organisateur"), max_length=200)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_consultations",
        verbose_name=_("équipe organisatrice"),
        help_text=_("Comptes qui rédigent les réponses officielles (avec les éditeur·rices)."),
    )  # fmt: skip
    information_starts_at = models.DateTimeField(_("début de l'information"))
    proposals_start_at = models.DateTimeField(_("début des propositions"))
    discussion_starts_at = models.DateTimeField(_("début de la discussion"))
    supports_start_at = models.DateTimeField(_("début des soutiens"))
    answers_start_at = models.DateTimeField(_("début des réponses"))
    closes_at = models.DateTimeField(_("clôture"))
    participation = models.CharField(
        _("qui peut participer"), max_length=16, choices=Participation.choices,
        default=Participation.VERIFIED,
    )  # fmt: skip
    invited_emails = models.TextField(
        _("adresses invitées"), blank=True,
        help_text=_("Une adresse e-mail par ligne (participation sur invitation)."),
    )  # fmt: skip
    max_supports = models.PositiveSmallIntegerField(
        _("soutiens par personne"), null=True, blank=True,
        help_text=_("Vide : pas de limite."),
    )  # fmt: skip
    pre_moderated_comments = models.BooleanField(
        _("commentaires modérés avant publication"), default=False
    )
    published = models.BooleanField(_("publiée"), default=False)
    # The phase whose start followers were last told of (notify_phase_changes).
    notified_phase = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("organiser_name"),
        index.AutocompleteField("title"),
        index.FilterField("published"),
    ]
    search_type_label = _("Consultations")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-information_starts_at", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from essaim.territories.territory import find_territory

        territory = find_territory(self.territory_key) if self.territory_key else None
        self.territory_label = territory.short_label if territory else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def search_summary(self) -> str:
        return self.summary

    def clean(self):
        starts = [getattr(self, name) for _phase, name in PHASE_STARTS]
        if all(starts) and starts != sorted(starts):
            raise ValidationError(_("Les phases doivent se suivre dans l'ordre."))
        if self.territory_key:
            from essaim.territories.territory import find_territory

            if find_territory(self.territory_key) is None:
                raise ValidationError({"territory_key": _("Territoire inconnu.")})

    @property
    def context_html(self) -> str:
        return expand_db_html(self.context or "")

    # --- phases --------------------------------------------------------------------------

    def phase_at(self, moment) -> str:
        current = Phase.COMING
        for phase, name in PHASE_STARTS:
            if moment >= getattr(self, name):
                current = phase
        return current

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return Phase(self.phase).label

    def timeline(self) -> list[dict]:
        """Each phase with its dates and whether it is past, current or to come."""
        current = PHASE_ORDER.index(self.phase)
        rows = []
        for index_, (phase, name) in enumerate(PHASE_STARTS, start=1):
            end = getattr(self, PHASE_STARTS[index_][1]) if index_ < len(PHASE_STARTS) else None
            state = "past" if index_ < current else "current" if index_ == current else "future"
            rows.append({"phase": phase, "label": phase.label, "starts": getattr(self, name),
                         "ends": end, "state": state})  # fmt: skip
        return rows

    @property
    def state(self) -> str:
        """open, coming or closed (the three lists of /consultations/)."""
        phase = self.phase
        if phase == Phase.COMING:
            return "coming"
        return "closed" if phase in (Phase.ANSWERS, Phase.CLOSED) else "open"

    @property
    def accepts_proposals(self) -> bool:
        return self.phase == Phase.PROPOSALS

    @property
    def accepts_comments(self) -> bool:
        return self.phase in DISCUSSION_PHASES

    @property
    def accepts_supports(self) -> bool:
        return self.phase == Phase.SUPPORTS

    @property
    def proposals_locked(self) -> bool:
        """Proposals are frozen once supports open: nobody edits a text people support."""
        return timezone.now() >= self.supports_start_at

    def invited(self) -> set[str]:
        return {line.strip().lower() for line in self.invited_emails.splitlines() if line.strip()}


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposition")
    CONTRIBUTION = "contribution", _("Contribution")


class AnswerState(models.TextChoices):
    EVALUATING = "evaluating", _("En cours d'examen")
    ACCEPTED = "accepted", _("Retenue")
    PARTIAL = "partial", _("Retenue en partie")
    REJECTED = "rejected", _("Non retenue")


class ProposalQuerySet(ModeratedQuerySet):
    def public(self):
        return super().public().filter(consultation__published=True)


class Proposal(index.Indexed, Moderated):
    moderated_fields = ["title", "summary", "body", "themes", "commune", "latitude", "longitude"]

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="proposals", verbose_name=_("consultation")
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    body = models.TextField(_("texte"), blank=True, help_text=_("Les paragraphes sont gardés."))
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="consultation_proposals", verbose_name=_("thèmes"),
        blank=True,
    )  # fmt: skip
    commune = models.ForeignKey(
        "territories.Commune", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commune"),
    )  # fmt: skip
    # An optional point placed on the map (the map's pin); the commune alone otherwise.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    answer_state = models.CharField(
        _("réponse"), max_length=16, choices=AnswerState.choices, blank=True
    )
    answer_text = models.TextField(_("texte de la réponse"), blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
    ]
    search_type_label = _("Propositions des consultations")

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "is_hidden"], name="proposal_visibility")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:proposal",
                       kwargs={"slug": self.consultation.slug, "pk": self.pk})  # fmt: skip

    def search_summary(self) -> str:
        return self.summary or self.body[:280]

    @property
    def is_contribution(self) -> bool:
        return self.kind == Kind.CONTRIBUTION

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class ProposalSection(models.Model):
    """One section of a contribution document, in order."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("titre de la section"), max_length=200)
    body = models.TextField(_("texte de la section"))

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.heading

    @property
    def anchor(self) -> str:
        return f"section-{self.position + 1}"

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class Attachment(models.Model):
    """A PDF or image attached to a proposal (served only while the proposal is visible)."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="consultations/%Y/%m/", max_length=255)
    title = models.CharField(_("titre"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:attachment", kwargs={
            "slug": self.proposal.consultation.slug, "pk": self.proposal_id, "attachment": self.pk,
        })  # fmt: skip


class CoAuthor(models.Model):
    """Someone the author invited by e-mail: may edit the proposal while its author may."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="coauthors")
    email = models.EmailField(_("e-mail"))
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="coauthor_unique_email")
        ]

    def __str__(self):
        return self.email


class CommentQuerySet(ModeratedQuerySet):
    def public(self):
        return super().public().filter(proposal__in=Proposal.objects.public())


class Comment(Moderated):
    moderated_fields = ["body"]

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(_("commentaire"), max_length=5000)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire de consultation")
        verbose_name_plural = _("commentaires de consultation")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "is_hidden"], name="comment_visibility")]

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        return f"{self.proposal.get_absolute_url()}#commentaire-{self.pk}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="consultation_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_one_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class Follow(models.Model):
    consultation = models.ForeignKey(Consultation, models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="followed_consultations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="follow_unique")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.consultation_id}"
