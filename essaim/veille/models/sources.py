"""Feeds the network watches, with what polling needs to be polite and what staff see
of their health (last success, last error in words, items per week)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_INTERVAL = timedelta(minutes=30)
MAX_INTERVAL = timedelta(hours=24)
DEFAULT_INTERVAL = timedelta(hours=1)


class SourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now))


class Source(models.Model):
    url = models.URLField(_("adresse du flux"), max_length=1000, unique=True)
    site_url = models.URLField(_("site"), max_length=1000, blank=True)
    title = models.CharField(_("titre"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="veille_sources", verbose_name=_("thèmes"), blank=True
    )
    is_public = models.BooleanField(
        _("publique"), default=True,
        help_text=_("Une source privée sert à la veille interne : ses articles n'apparaissent "
                    "sur aucune page, aucun flux, aucune recherche ni aucun export publics."),
    )  # fmt: skip
    # Validators exactly as the server sent them: they go back verbatim.
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    poll_interval = models.DurationField(_("intervalle de relève"), default=DEFAULT_INTERVAL)
    last_polled_at = models.DateTimeField(_("dernière relève"), null=True, blank=True)
    next_poll_at = models.DateTimeField(_("prochaine relève"), null=True, blank=True, db_index=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    error_count = models.PositiveIntegerField(_("erreurs consécutives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    retry_after_until = models.DateTimeField(_("attendre jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source de veille")
        verbose_name_plural = _("sources de veille")
        ordering = ["title", "url"]

    def __str__(self):
        return self.title or self.url

    @property
    def is_failing(self) -> bool:
        return self.error_count > 0
