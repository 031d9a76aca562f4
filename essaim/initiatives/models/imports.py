"""One run of an import (command line, back office or periodic refresh), with its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """Counts and state of one import; the back office's progress page reads it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("en file d'attente")
        VALIDATING = "validating", _("vérification du fichier")
        WRITING = "writing", _("écriture")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    source = models.ForeignKey(
        "initiatives.ImportSource", models.CASCADE, related_name="runs", verbose_name=_("source")
    )
    fmt = models.CharField(_("format"), max_length=20, blank=True)
    # Where the data is read from: an uploaded file's storage path or a URL.
    location = models.CharField(_("fichier ou adresse"), max_length=500)
    full = models.BooleanField(_("import complet de la source"), default=False)
    pending = models.BooleanField(_("soumettre à la modération"), default=False)
    options = models.JSONField(_("options"), default=dict, blank=True)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True
    )
    rows_read = models.PositiveIntegerField(_("lignes lues"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    proposed = models.PositiveIntegerField(_("versions proposées"), default=0)
    archived = models.PositiveIntegerField(_("disparues de la source"), default=0)
    errors = models.PositiveIntegerField(_("erreurs"), default=0)
    message = models.TextField(_("message"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("lancé par"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.source} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.VALIDATING, self.State.WRITING}
