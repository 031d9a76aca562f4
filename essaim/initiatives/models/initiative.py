"""Initiatives of the solidarity economy, as shown on the contributive map.

An initiative goes through the shared moderation lifecycle (``Moderated``): anonymous and
signed-in proposals arrive pending; edits to a published initiative become pending
versions. ``Initiative.objects.public()`` is what every public surface shows.
"""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.common import licences
from essaim.moderation.models import Moderated, ModeratedQuerySet


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("Coopérative (SCOP)")
    SCIC = "scic", _("Société coopérative d'intérêt collectif (SCIC)")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    MUTUAL = "mutuelle", _("Mutuelle")
    FOUNDATION = "fondation", _("Fondation")
    ESS_COMPANY = "entreprise-ess", _("Entreprise de l'ESS (ESUS, société commerciale de l'ESS)")
    COLLECTIVE = "collectif", _("Collectif informel")
    PUBLIC_BODY = "public", _("Collectivité ou organisme public")
    OTHER = "autre", _("Autre")


class GeocodingState(models.TextChoices):
    EXACT = "exact", _("Adresse localisée")
    COMMUNE = "commune", _("Localisé au centre de la commune")
    MANUAL = "manual", _("Placé à la main sur la carte")
    FAILED = "failed", _("Localisation impossible")


siret_validator = RegexValidator(r"^\d{14}$", _("Un SIRET a 14 chiffres."))
rna_validator = RegexValidator(r"^W\d{9}$", _("Un numéro RNA s'écrit W suivi de 9 chiffres."))
postal_code_validator = RegexValidator(r"^\d{5}$", _("Un code postal a 5 chiffres."))


def new_edit_secret() -> str:
    return secrets.token_urlsafe(24)


class ImportSource(models.Model):
    """Where imported initiatives come from; (source, source_key) identifies a record."""

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        GEOJSON = "geojson", "GeoJSON"
        GOGOCARTO = "gogocarto", "GoGoCarto"

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("format"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    publish_directly = models.BooleanField(
        _("publier directement"),
        default=True,
        help_text=_("Sinon, chaque fiche importée attend la modération."),
    )
    refresh_every_days = models.PositiveSmallIntegerField(
        _("actualiser tous les N jours"), null=True, blank=True
    )
    last_imported_at = models.DateTimeField(_("dernier import"), null=True, blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=licences.MAX_LENGTH,
        choices=licences.Licence.choices,
        default=licences.DATA_DEFAULT,
    )

    class Meta:
        verbose_name = _("source d'import")
        verbose_name_plural = _("sources d'import")

    def __str__(self):
        return self.name


class InitiativeQuerySet(ModeratedQuerySet):
    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Initiative(index.Indexed, Moderated):
    moderated_fields = [
        "name", "summary", "description", "themes", "address", "postal_code", "commune",
        "latitude", "longitude", "email", "email_public", "phone", "website", "social_links",
        "opening_hours", "legal_form", "siret", "rna", "organisation_name",
        "image", "image_alt", "image_credit",
    ]  # fmt: skip

    name = models.CharField(_("nom"), max_length=200)
    # Unique through initiative_unique_slug (Meta): a field-level unique=True would also
    # build a varchar_pattern_ops copy of the index on PostgreSQL, for LIKE queries that
    # never run, and every import would maintain it.
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, db_index=False)
    summary = models.CharField(
        _("présentation courte"), max_length=280, help_text=_("280 caractères au plus.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Texte simple ; les paragraphes sont gardés.")
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="initiatives", verbose_name=_("thèmes"), blank=True
    )
    image = models.ImageField(_("image"), upload_to="initiatives/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=250, blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas (obligatoire avec une image)."),
    )  # fmt: skip
    image_credit = models.CharField(_("crédit de l'image"), max_length=200, blank=True)

    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    # Indexed by initiative_commune (Meta), for the same reason as the slug.
    commune = models.ForeignKey(
        "territories.Commune", models.PROTECT, null=True, blank=True, db_index=False,
        related_name="initiatives", verbose_name=_("commune"),
    )  # fmt: skip
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geocoding = models.CharField(
        _("localisation"), max_length=10, choices=GeocodingState.choices,
        default=GeocodingState.EXACT,
    )  # fmt: skip

    email = models.EmailField(
        _("e-mail de contact"), blank=True,
        help_text=_("Jamais affiché, sauf si vous cochez « afficher l'e-mail » : "
                    "les visiteurs écrivent par un formulaire de contact."),
    )  # fmt: skip
    email_public = models.BooleanField(_("afficher l'e-mail"), default=False)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)
    social_links = models.JSONField(
        _("réseaux sociaux"), default=list, blank=True, help_text=_("Liste d'adresses web.")
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"), max_length=255, blank=True,
        help_text=_("Syntaxe OpenStreetMap, ex. : Mo-Fr 09:00-18:00; Sa 10:00-12:00"),
    )  # fmt: skip
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm.choices, blank=True
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[rna_validator])
    # Free text until the directory exists; it will become a link to an organisation.
    organisation_name = models.CharField(_("structure porteuse"), max_length=200, blank=True)

    # Indexed where set (initiative_owner): imported records have none.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, db_index=False,
        related_name="owned_initiatives", verbose_name=_("responsable"),
    )  # fmt: skip
    # Secret behind the owner's e-mailed edit link; rotating it revokes old links.
    edit_secret = models.CharField(max_length=64, default=new_edit_secret, editable=False)
    last_confirmed_at = models.DateTimeField(_("dernière confirmation"), null=True, blank=True)

    # No index of its own: initiative_unique_source_key (source, source_key) serves it.
    source = models.ForeignKey(
        ImportSource, models.SET_NULL, null=True, blank=True, db_index=False,
        related_name="initiatives", verbose_name=_("source"),
    )  # fmt: skip
    source_key = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    # When the import last wrote this record: a later ``updated_at`` means a local edit,
    # which a re-import never overwrites (it proposes a pending version instead).
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True, editable=False)
    licence = models.CharField(
        _("licence"),
        max_length=licences.MAX_LENGTH,
        choices=licences.Licence.choices,
        default=licences.DATA_DEFAULT,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("organisation_name"),
        index.AutocompleteField("name"),
        index.RelatedFields("commune", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
    ]
    search_type_label = _("Initiatives")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="initiative_unique_slug"),
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=models.Q(source__isnull=False),
                name="initiative_unique_source_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "is_hidden"], name="initiative_visibility"),
            # The map's list by name, first page at a million rows.
            models.Index(fields=["name", "id"], name="initiative_name_order"),
            models.Index(fields=["commune"], name="initiative_commune"),
            models.Index(
                fields=["owner"], condition=models.Q(owner__isnull=False), name="initiative_owner"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    def search_summary(self) -> str:
        return self.summary
