"""The directory: organisations, people (with consent), offers and needs, facilitators.

Organisations and offers/needs go through the shared moderation lifecycle (``Moderated``);
``Model.objects.public()`` is what every public surface shows. People are never moderated
content: a profile is public only while its owner opted in (``listed``), and each field
carries its own visibility (public / members / hidden).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.common import licences
from essaim.common.html import strip_html
from essaim.initiatives.models import LegalForm
from essaim.moderation.models import Moderated, ModeratedQuerySet, Status

__all__ = ["LegalForm"]


# --- identifiers ---------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn key (La Poste's sites, 356000000xxxxx, sum to 5)."""
    if not (len(value) == 14 and value.isdigit()):
        raise ValidationError(_("Un SIRET a 14 chiffres."), code="siret")
    if not luhn_ok(value) and not (value.startswith("356000000") and sum(map(int, value)) % 5 == 0):
        raise ValidationError(_("Ce SIRET n'est pas valide (clé de contrôle)."), code="siret")


def validate_rna(value: str) -> None:
    if not (len(value) == 10 and value[0] == "W" and value[1:].isdigit()):
        raise ValidationError(_("Un numéro RNA s'écrit W suivi de 9 chiffres."), code="rna")


# --- organisations -------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    STRUCTURE = "structure", _("Structure de l'ESS")
    NETWORK = "reseau", _("Réseau ou fédération")
    COMPANY = "entreprise", _("Entreprise")
    PUBLIC_BODY = "collectivite", _("Collectivité ou organisme public")
    GROUP = "groupe", _("Groupe informel")


class Organisation(index.Indexed, Moderated):
    moderated_fields = [
        "name",
        "kind",
        "legal_form",
        "siret",
        "rna",
        "address",
        "postal_code",
        "commune",
        "latitude",
        "longitude",
        "themes",
        "summary",
        "description",
        "logo_alt",
        "website",
        "social_links",
        "email",
        "email_public",
        "phone",
        "phone_public",
    ]

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.STRUCTURE,
    )
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm.choices, blank=True
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    summary = models.CharField(_("présentation courte"), max_length=280, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Mise en forme simple ; nettoyée à l'affichage.")
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="organisations", verbose_name=_("thèmes"), blank=True
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    logo = models.ImageField(_("logo"), upload_to="directory/%Y/%m/", blank=True)
    logo_alt = models.CharField(
        _("texte alternatif du logo"),
        max_length=250,
        blank=True,
        help_text=_("Obligatoire avec un logo, par exemple « Logo de … »."),
    )
    website = models.URLField(_("site web"), max_length=500, blank=True)
    social_links = models.JSONField(_("réseaux sociaux"), default=list, blank=True)
    email = models.EmailField(
        _("e-mail de contact"),
        blank=True,
        help_text=_(
            "Jamais affiché sauf si vous le rendez public : les visiteurs "
            "écrivent par un formulaire de contact."
        ),
    )
    email_public = models.BooleanField(_("afficher l'e-mail"), default=False)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    phone_public = models.BooleanField(_("afficher le téléphone"), default=False)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        related_name="directory_organisations",
        blank=True,
        verbose_name=_("initiatives portées"),
    )
    licence = licences.licence_field(licences.DATA_DEFAULT)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ModeratedQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("plain_description"),
        index.AutocompleteField("name"),
        index.RelatedFields("commune", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
    ]
    search_type_label = _("Organisations")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_hidden"], name="organisation_visibility"),
            models.Index(fields=["name", "id"], name="organisation_name_order"),
            models.Index(fields=["siret"], name="organisation_siret"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation", kwargs={"slug": self.slug})

    def search_summary(self) -> str:
        return self.summary

    @property
    def plain_description(self) -> str:
        return strip_html(self.description)

    @property
    def public_email(self) -> str:
        return self.email if self.email_public else ""

    @property
    def public_phone(self) -> str:
        return self.phone if self.phone_public else ""

    def clean(self):
        super().clean()
        if self.logo and not self.logo_alt.strip():
            raise ValidationError({"logo_alt": _("Décrivez le logo pour qui ne le voit pas.")})


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrateur·rice")
        MEMBER = "membre", _("Membre")

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'une organisation")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.role})"


class LinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def public(self):
        """Confirmed links between two public organisations."""
        visible = Organisation.objects.public().values("pk")
        return self.confirmed().filter(source__in=visible, target__in=visible)


class OrganisationLink(models.Model):
    """A typed link, "to be confirmed" until an admin of the target accepts it."""

    class Kind(models.TextChoices):
        MEMBER_OF = "membre-de", _("est membre de")
        PARTNER_OF = "partenaire-de", _("est partenaire de")
        SUPPORTS = "soutient", _("soutient")
        NETWORK_OF = "tete-de-reseau-de", _("est la tête de réseau de")

    source = models.ForeignKey(Organisation, models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Organisation, models.CASCADE, related_name="links_in")
    kind = models.CharField(_("type de lien"), max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien entre organisations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="link_not_self"),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Claim(models.Model):
    """A person asks to administer an organisation; a moderator decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    message = models.TextField(_("votre lien avec l'organisation"), max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("revendication d'organisation")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.state})"


# --- people --------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "membres", _("Membres connectés")
    HIDDEN = "masque", _("Masqué")


class ProfileQuerySet(models.QuerySet):
    def public(self):
        """Profiles whose owner opted in to be listed (and whose account is active)."""
        return self.filter(listed=True, user__is_active=True)


class PersonProfile(index.Indexed, models.Model):
    """A person's directory profile: created, controlled and deletable by that person."""

    # Fields with their own visibility, in display order, and their default.
    VISIBLE_FIELDS = {
        "bio": Visibility.PUBLIC,
        "skills": Visibility.PUBLIC,
        "themes": Visibility.PUBLIC,
        "territories": Visibility.PUBLIC,
        "availability": Visibility.MEMBERS,
        "website": Visibility.PUBLIC,
        "email": Visibility.HIDDEN,
        "phone": Visibility.HIDDEN,
    }

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_profile"
    )
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("nom affiché"), max_length=120)
    bio = models.TextField(_("présentation"), max_length=2000, blank=True)
    skills = models.CharField(
        _("compétences"),
        max_length=500,
        blank=True,
        help_text=_("Séparées par des virgules, par exemple : comptabilité, animation."),
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="+", verbose_name=_("thèmes d'expertise"), blank=True
    )
    communes = models.ManyToManyField(
        "territories.Commune", related_name="+", verbose_name=_("communes d'action"), blank=True
    )
    departements = models.ManyToManyField(
        "territories.Departement",
        related_name="+",
        verbose_name=_("départements d'action"),
        blank=True,
    )
    availability = models.CharField(_("disponibilités"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)
    visibility = models.JSONField(_("visibilité des champs"), default=dict, blank=True)
    listed = models.BooleanField(_("apparaître dans l'annuaire"), default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    # Only what is public may reach the index: one property gathers the public values.
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("public_text"),
        index.FilterField("listed"),
    ]
    search_type_label = _("Personnes")

    class Meta:
        verbose_name = _("profil d'annuaire")
        verbose_name_plural = _("profils d'annuaire")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:person", kwargs={"slug": self.slug})

    def visibility_of(self, field: str) -> str:
        value = (self.visibility or {}).get(field, self.VISIBLE_FIELDS[field])
        return value if value in Visibility.values else Visibility.HIDDEN

    def shows(self, field: str, *, signed_in: bool) -> bool:
        level = self.visibility_of(field)
        return level == Visibility.PUBLIC or (signed_in and level == Visibility.MEMBERS)

    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    def value_of(self, field: str):
        """A field's value as pages, API and exports give it (lists for relations)."""
        if field == "skills":
            return self.skill_list()
        if field == "themes":
            return [t.name for t in self.themes.all()]
        if field == "territories":
            return [str(d) for d in self.departements.all()] + [
                c.short_label for c in self.communes.all()
            ]
        return getattr(self, field)

    def visible_values(self, *, signed_in: bool = False) -> dict:
        """{field: value} of the fields this viewer may see (name always)."""
        values = {"name": self.name}
        for field in self.VISIBLE_FIELDS:
            if self.shows(field, signed_in=signed_in):
                values[field] = self.value_of(field)
        return values

    @property
    def public_text(self) -> str:
        """What the search index holds besides the name: public fields only."""
        parts = []
        for field, value in self.visible_values().items():
            if field in ("name", "email", "phone"):
                continue
            parts.extend(value if isinstance(value, list) else [value])
        return " ".join(str(p) for p in parts if p)

    def search_summary(self) -> str:
        return self.bio[:200] if self.shows("bio", signed_in=False) else ""

    @property
    def public_skills(self) -> str:
        return self.skills if self.shows("skills", signed_in=False) else ""


# --- offers and needs ----------------------------------------------------------------------


class OfferNeedQuerySet(ModeratedQuerySet):
    def public(self):
        """Published, not hidden, and whose owner is public too (a public organisation or a
        listed person): an item never outlives its owner's visibility."""
        return (
            super()
            .public()
            .filter(
                Q(organisation__status=Status.PUBLISHED, organisation__is_hidden=False)
                | Q(person__listed=True, person__user__is_active=True)
            )
        )

    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=today))


class OfferNeed(index.Indexed, Moderated):
    """What an organisation or a person offers or needs."""

    class Direction(models.TextChoices):
        OFFER = "offre", _("Offre")
        NEED = "besoin", _("Besoin")

    class Kind(models.TextChoices):
        SKILLS = "competences", _("Compétences")
        PREMISES = "locaux", _("Locaux")
        EQUIPMENT = "materiel", _("Matériel")
        VOLUNTEERING = "benevolat", _("Bénévolat")
        SERVICES = "services", _("Services")
        OTHER = "autre", _("Autre")

    moderated_fields = ["title", "description", "kind", "themes", "commune", "until"]

    direction = models.CharField(_("offre ou besoin"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="+", verbose_name=_("thèmes"), blank=True
    )
    commune = models.ForeignKey(
        "territories.Commune",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    until = models.DateField(_("jusqu'au"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="offers_needs",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        PersonProfile,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="offers_needs",
        verbose_name=_("personne"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferNeedQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
    ]
    search_type_label = _("Offres et besoins")

    class Meta:
        verbose_name = _("offre ou besoin")
        verbose_name_plural = _("offres et besoins")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "is_hidden"], name="offerneed_visibility")]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) ^ Q(person__isnull=True),
                name="offerneed_one_owner",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("directory:offer-need", kwargs={"pk": self.pk})

    def search_summary(self) -> str:
        return self.description[:200]

    @property
    def owner_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.person.name

    @property
    def point(self) -> tuple[float, float] | None:
        commune = self.commune or (self.organisation.commune if self.organisation_id else None)
        if commune and commune.latitude is not None:
            return commune.longitude, commune.latitude
        return None


class Match(models.Model):
    """A suggested pairing of a need with an offer, scored by ``services.score``."""

    need = models.ForeignKey(OfferNeed, models.CASCADE, related_name="offer_matches")
    offer = models.ForeignKey(OfferNeed, models.CASCADE, related_name="need_matches")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapprochement")
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="match_unique")]

    def __str__(self):
        return f"{self.need} ↔ {self.offer} ({self.score})"


# --- contact log and facilitators ----------------------------------------------------------


class ContactLog(models.Model):
    """Who wrote to whom, when: for abuse handling. The message itself is never stored."""

    target_type = models.CharField(max_length=20)  # "organisation", "person", "offer-need"
    target_id = models.PositiveBigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sender_email = models.EmailField()
    sender_name = models.CharField(max_length=100)
    address_hash = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message relayé")
        verbose_name_plural = _("journal des messages relayés")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.sender_email} → {self.target_type} {self.target_id}"


class FacilitatorArea(models.Model):
    """A territory a cooperation facilitator covers (one row per territory key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="facilitator_areas",
        verbose_name=_("animateur·rice"),
    )
    territory_key = models.CharField(
        _("territoire"),
        max_length=12,
        help_text=_("Code INSEE de commune, numéro de département, SIREN d'EPCI ou code région."),
    )
    label = models.CharField(_("nom du territoire"), max_length=200, blank=True, editable=False)
    # The mean point of the territory's communes, for the map of who covers where.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("territoire d'animation")
        verbose_name_plural = _("territoires d'animation")
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "territory_key"], name="facilitator_area_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.label or self.territory_key}"

    def clean(self):
        from essaim.territories.territory import find_territory

        territory = find_territory(self.territory_key.strip())
        if territory is None:
            raise ValidationError({"territory_key": _("Territoire inconnu.")})
        self.territory_key, self.label = territory.key, str(territory.title)
        self.locate(territory)

    def locate(self, territory) -> None:
        from django.db.models import Avg

        from essaim.territories.territory import communes_of

        point = communes_of(territory).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        self.latitude, self.longitude = point["lat"], point["lon"]
