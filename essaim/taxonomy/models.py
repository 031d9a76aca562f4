"""The one theme tree every module classifies its content with (two levels at most)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.taxonomy.colours import text_colour_on

ICON_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "lucide"


def available_icons() -> list[str]:
    return sorted(path.stem for path in ICON_DIR.glob("*.svg"))


def validate_icon(name: str) -> None:
    if name and name not in available_icons():
        raise ValidationError(
            _("Icône inconnue « %(name)s ». Icônes disponibles : %(names)s."),
            params={"name": name, "names": ", ".join(available_icons())},
        )


class ThemeQuerySet(models.QuerySet):
    def public(self):
        # Themes are editorial labels: all are public.
        return self.all()

    def top_level(self):
        return self.filter(parent__isnull=True)

    def tree_order(self):
        """Depth-first order: each top-level theme followed by its sub-themes."""
        return self.annotate(
            root_position=models.functions.Coalesce("parent__position", "position"),
            root_id=models.functions.Coalesce("parent_id", "id"),
        ).order_by("root_position", "root_id", models.F("parent_id").asc(nulls_first=True),
                   "position", "name")  # fmt: skip


class Theme(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icône"), max_length=50, blank=True, validators=[validate_icon],
        help_text=_("Nom d'un fichier de static/vendor/lucide/ sans « .svg », ex. : carrot."),
    )  # fmt: skip
    colour = models.CharField(
        _("couleur"), max_length=7, default="#44505c",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #rrggbb."))],
        help_text=_("Le texte posé dessus est blanc ou noir, selon le meilleur contraste."),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        limit_choices_to={"parent__isnull": True}, verbose_name=_("thème parent"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ThemeQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        self.colour = self.colour.lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observatory:theme", kwargs={"slug": self.slug})

    def family_ids(self) -> list[int]:
        """This theme's id and its sub-themes' ids: what "classified under this theme"
        means everywhere (the tree has two levels, see ``clean``). One query the first
        time for this instance (a theme page asks once per section)."""
        if getattr(self, "_family_ids", None) is None:
            self._family_ids = [self.pk, *self.children.values_list("pk", flat=True)]
        return self._family_ids

    def clean(self):
        super().clean()
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": _("Le parent doit être un thème de premier niveau.")})
        if self.parent_id and self.pk and self.children.exists():
            message = _("Un thème qui a des sous-thèmes reste au premier niveau.")
            raise ValidationError({"parent": message})

    @property
    def text_colour(self) -> str:
        return text_colour_on(self.colour)

    @property
    def css_class(self) -> str:
        """The class that /themes/couleurs.css colours: ``theme-<slug>``."""
        return f"theme-{self.slug}"
