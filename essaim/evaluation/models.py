"""Evaluation: grids as versioned data, projects and their team, assessments, answers,
consolidation, progress plans and network campaigns.

A grid version is frozen as soon as one assessment uses it: its axes and criteria refuse any
change (``GridVersion.is_used``), and a new version is made instead, so that past
assessments keep the wording and the scale they were answered with.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

LEVELS = range(5)  # 0 not addressed … 4 established, evaluated and shared
LEVEL_FIELDS = ("level_0", "level_1", "level_2", "level_3", "level_4")


class GridVersionUsed(ValidationError):
    """Raised when a change would alter a grid version that assessments already use."""


# --- grids -------------------------------------------------------------------------------


class Grid(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-SA-4.0")

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description"),
              FieldPanel("source"), FieldPanel("licence")]  # fmt: skip

    class Meta:
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def latest_version(self):
        return self.versions.order_by("-number").first()


class GridVersion(ClusterableModel):
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("grille"))  # fmt: skip
    number = models.PositiveIntegerField(_("numéro de version"))
    notes = models.TextField(_("notes de version"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    panels = [FieldPanel("grid"), FieldPanel("number"), FieldPanel("notes"),
              InlinePanel("axes", label=_("axes"))]  # fmt: skip

    class Meta:
        verbose_name = _("version de grille")
        verbose_name_plural = _("versions de grille")
        ordering = ["grid__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "number"], name="evaluation_one_number"),
        ]

    def __str__(self):
        return f"{self.grid.name} — v{self.number}"

    def is_used(self) -> bool:
        return self.pk is not None and self.assessments.exists()

    def check_editable(self) -> None:
        if self.is_used():
            raise GridVersionUsed(
                _(
                    "Cette version de grille est déjà utilisée par des évaluations : elle ne "
                    "peut plus changer. Créez une nouvelle version."
                )  # fmt: skip
            )

    def clean(self):
        # The back office edits a version with its axes inline: refusing the whole form
        # keeps a used version (and its axes) exactly as its assessments saw it.
        self.check_editable()

    def criteria(self):
        return Criterion.objects.filter(axis__version=self).order_by(
            "axis__position", "axis__pk", "position", "pk"
        )


class Axis(models.Model):
    version = ParentalKey(GridVersion, on_delete=models.CASCADE, related_name="axes",
                          verbose_name=_("version"))  # fmt: skip
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=Decimal(1))

    panels = [FieldPanel("position"), FieldPanel("code"), FieldPanel("name"),
              FieldPanel("description"), FieldPanel("weight")]  # fmt: skip

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="evaluation_axis_code"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.version_id:
            self.version.check_editable()
        super().save(*args, **kwargs)

    def clean(self):
        if self.version_id:
            self.version.check_editable()


class Criterion(ClusterableModel):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="criteria",
                             verbose_name=_("axe"))  # fmt: skip
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level_0 = models.TextField(_("niveau 0"))
    level_1 = models.TextField(_("niveau 1"))
    level_2 = models.TextField(_("niveau 2"))
    level_3 = models.TextField(_("niveau 3"))
    level_4 = models.TextField(_("niveau 4"))
    allows_not_applicable = models.BooleanField(_("« sans objet » possible"), default=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=Decimal(1))
    core = models.BooleanField(
        _("socle commun"), default=False,
        help_text=_("Compté dans les agrégats du réseau (campagnes)."),
    )  # fmt: skip

    panels = [FieldPanel("axis"), FieldPanel("position"), FieldPanel("code"), FieldPanel("name"),
              FieldPanel("description"), *(FieldPanel(f) for f in LEVEL_FIELDS),
              FieldPanel("allows_not_applicable"), FieldPanel("weight"), FieldPanel("core"),
              InlinePanel("questions", label=_("questions"))]  # fmt: skip

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["axis", "code"], name="evaluation_criterion_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def levels(self) -> list[str]:
        return [getattr(self, field) for field in LEVEL_FIELDS]

    def save(self, *args, **kwargs):
        if self.axis_id:
            self.axis.version.check_editable()
        super().save(*args, **kwargs)

    def clean(self):
        if self.axis_id:
            self.axis.version.check_editable()


class Question(models.Model):
    criterion = ParentalKey(Criterion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)

    panels = [FieldPanel("position"), FieldPanel("text")]

    class Meta:
        verbose_name = _("question")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.criterion.axis.version.check_editable()
        super().save(*args, **kwargs)


# --- projects ----------------------------------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def of_member(self, user):
        """Projects ``user`` may see: theirs, or all of them for staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(members__user=user).distinct()


class Project(models.Model):
    name = models.CharField(_("nom du projet"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey("taxonomy.Theme", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("thème"))  # fmt: skip
    commune = models.ForeignKey("territories.Commune", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("commune"))  # fmt: skip
    subject_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")  # fmt: skip
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet évalué")
        verbose_name_plural = _("projets évalués")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:project", kwargs={"slug": self.slug})

    def clean(self):
        from essaim.evaluation import subjects

        if self.subject_type_id and not subjects.is_allowed(self.subject_type):
            raise ValidationError({"subject_type": _("Ce type de lien n'est pas permis.")})

    def role_of(self, user) -> str | None:
        if not user.is_authenticated:
            return None
        member = self.members.filter(user=user).first()
        return member.role if member else None


class Role(models.TextChoices):
    LEAD = "lead", _("responsable")
    MEMBER = "member", _("membre")


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="evaluation_memberships")  # fmt: skip
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="evaluation_one_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email


# --- campaigns ---------------------------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def public(self):
        """Every campaign is announced publicly (its aggregates are anonymised)."""
        return self.all()

    def open_on(self, day):
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Campaign(models.Model):
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.ForeignKey(GridVersion, on_delete=models.PROTECT, related_name="campaigns",
                                verbose_name=_("version de grille"))  # fmt: skip
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))

    objects = CampaignQuerySet.as_manager()
    panels = [FieldPanel("slug"), FieldPanel("title"), FieldPanel("description"),
              FieldPanel("version"), FieldPanel("opens_on"), FieldPanel("closes_on")]  # fmt: skip

    class Meta:
        verbose_name = _("campagne d'évaluation")
        verbose_name_plural = _("campagnes d'évaluation")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                   name="evaluation_campaign_dates"),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:campaign", kwargs={"slug": self.slug})

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


# --- assessments -------------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(project__members__user=user).distinct()


class Assessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("en cours")
        CONSOLIDATED = "consolidated", _("consolidée")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(GridVersion, on_delete=models.PROTECT,
                                related_name="assessments")  # fmt: skip
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assessments")  # fmt: skip
    title = models.CharField(_("titre"), max_length=200)
    started_on = models.DateField(_("commencée le"), default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    consolidated_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:assessment", kwargs={"pk": self.pk})

    @property
    def is_consolidated(self) -> bool:
        return self.status == self.Status.CONSOLIDATED


class AnswerFields(models.Model):
    level = models.PositiveSmallIntegerField(
        _("niveau"), null=True, blank=True, choices=[(n, str(n)) for n in LEVELS]
    )
    not_applicable = models.BooleanField(_("sans objet"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.level is not None


class Answer(AnswerFields):
    """One respondent's private answer to one criterion."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="evaluation_answers")  # fmt: skip
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    evidence_url = models.URLField(_("lien vers une preuve"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "respondent", "criterion"],
                                    name="evaluation_one_answer"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.criterion_id}: {self.level}"


class ConsolidatedAnswer(AnswerFields):
    """The team's level for one criterion, set by the project lead."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="consolidated")  # fmt: skip
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"],
                                    name="evaluation_one_consolidated"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.criterion_id}: {self.level}"


class Action(models.Model):
    """One step of a project's progress plan."""

    class Status(models.TextChoices):
        TODO = "todo", _("à faire")
        DOING = "doing", _("en cours")
        DONE = "done", _("fait")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="actions")  # fmt: skip
    criterion = models.ForeignKey(Criterion, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("critère"))  # fmt: skip
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+",
                              verbose_name=_("responsable"))  # fmt: skip
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices,
                              default=Status.TODO)  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title
