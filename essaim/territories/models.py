"""The French territory tree: régions > départements > communes, and EPCI across them.

Codes are the official ones (INSEE COG; SIREN for EPCI) and serve as primary keys, so
every module can store a commune as a plain foreign key and filter by any level through
``essaim.territories.services.commune_filter``.
"""

from functools import cache

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.territories.names import fold, of_departement, of_name

_KEY = "territory-key"


@cache
def _territory_url_pattern() -> str:
    return reverse("observatory:territory", kwargs={"code": _KEY})


def territory_url(key: str) -> str:
    """The territory page's address, reversed once: a département page links its 270
    communes, and 270 reverse() calls cost 30 ms."""
    return _territory_url_pattern().replace(_KEY, key)


class Level(models.TextChoices):
    REGION = "region", _("région")
    DEPARTEMENT = "departement", _("département")
    EPCI = "epci", _("intercommunalité")
    COMMUNE = "commune", _("commune")


class TerritoryQuerySet(models.QuerySet):
    def public(self):
        # Official reference data: everything is public.
        return self.all()

    def matching(self, query: str):
        """Rows whose name, or one word of it, starts with ``query`` (accents/case ignored)."""
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(
            models.Q(name_folded__startswith=folded) | models.Q(name_folded__contains=f" {folded}")
        )


class Territory(index.Indexed, models.Model):
    """Fields and behaviour shared by the four levels.

    The site search indexes every région and département, and the EPCI and communes of
    the home région only: indexing all 35,000 communes made every search ~1 s slower on
    the database backends. Other communes stay reachable through the autocomplete.
    """

    level: Level
    name = models.CharField(_("nom"), max_length=200)
    # Accent-free lowercase name ("saint epain"), for look-ups; kept by save() and the loader.
    name_folded = models.CharField(max_length=200, editable=False)
    population = models.PositiveIntegerField(_("population"), default=0)

    objects = TerritoryQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        abstract = True
        ordering = ["name_folded"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return territory_url(self.key)

    @property
    def key(self) -> str:
        """The URL key: the code; régions use "region-24" (they share codes with départements)."""
        return self.code

    @property
    def level_label(self) -> str:
        return self.level.label


def _name_index(model_name: str):
    # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' (and for
    # equality); other databases ignore opclasses and build a plain index.
    return models.Index(
        fields=["name_folded"], name=f"terr_{model_name}_folded", opclasses=["varchar_pattern_ops"]
    )


class Region(Territory):
    level = Level.REGION
    code = models.CharField(_("code INSEE"), max_length=2, primary_key=True)

    class Meta(Territory.Meta):
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        indexes = [_name_index("region")]

    @property
    def key(self) -> str:
        return f"region-{self.code}"

    @property
    def is_home(self) -> bool:
        return self.code == settings.ESSAIM_REGION

    @property
    def title(self) -> str:
        # Régions are named in apposition: "Région Centre-Val de Loire".
        return _("Région %(name)s") % {"name": self.name}

    @property
    def short_label(self) -> str:
        return self.name


class Departement(Territory):
    level = Level.DEPARTEMENT
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="departements", verbose_name=_("région")
    )

    class Meta(Territory.Meta):
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]
        indexes = [_name_index("departement")]

    @property
    def title(self) -> str:
        return _("Département %(of_name)s (%(code)s)") % {
            "of_name": of_departement(self.name),
            "code": self.code,
        }

    @property
    def short_label(self) -> str:
        return f"{self.name} ({self.code})"


class EPCI(Territory):
    """An établissement public de coopération intercommunale à fiscalité propre."""

    class Kind(models.TextChoices):
        CC = "CC", _("communauté de communes")
        CA = "CA", _("communauté d'agglomération")
        CU = "CU", _("communauté urbaine")
        METRO = "METRO", _("métropole")
        MET69 = "MET69", _("métropole de Lyon")

    level = Level.EPCI
    code = models.CharField(_("code SIREN"), max_length=9, primary_key=True)
    kind = models.CharField(_("nature"), max_length=5, choices=Kind.choices)
    # Where most of its population lives: the EPCI's place in breadcrumbs and site maps.
    departement = models.ForeignKey(
        Departement, models.PROTECT, null=True, blank=True, related_name="main_epcis",
        verbose_name=_("département principal"),
    )  # fmt: skip
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="main_epcis",
        verbose_name=_("région principale"),
    )  # fmt: skip

    class Meta(Territory.Meta):
        verbose_name = _("intercommunalité (EPCI)")
        verbose_name_plural = _("intercommunalités (EPCI)")
        indexes = [_name_index("epci")]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(region_id=settings.ESSAIM_REGION)

    @property
    def title(self) -> str:
        return self.name

    @property
    def short_label(self) -> str:
        return self.name


class Commune(Territory):
    level = Level.COMMUNE
    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    departement = models.ForeignKey(
        Departement, models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="communes", verbose_name=_("région")
    )
    epci = models.ForeignKey(
        EPCI, models.PROTECT, null=True, blank=True, related_name="communes",
        verbose_name=_("intercommunalité"),
    )  # fmt: skip
    # A representative point (WGS 84); missing for a handful of communes (see data/README.md).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    search_fields = [
        *Territory.search_fields,
        index.FilterField("departement"),
        index.FilterField("region"),
    ]

    class Meta(Territory.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [_name_index("commune")]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(region_id=settings.ESSAIM_REGION)

    @property
    def title(self) -> str:
        return _("Commune %(of_name)s") % {"of_name": of_name(self.name)}

    @property
    def short_label(self) -> str:
        # "Tours (37)": the département number tells homonyms apart.
        return f"{self.name} ({self.departement_id})"


class PostalCodeQuerySet(models.QuerySet):
    def public(self):
        return self.all()


class PostalCode(models.Model):
    """A La Poste postal code serving a commune (a code may serve several communes)."""

    code = models.CharField(_("code postal"), max_length=5)
    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="postal_codes", verbose_name=_("commune")
    )

    objects = PostalCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="terr_postalcode_unique")
        ]
        indexes = [
            models.Index(
                fields=["code"], name="terr_postalcode_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return f"{self.code} {self.commune.name}"

    def get_absolute_url(self):
        return self.commune.get_absolute_url()
