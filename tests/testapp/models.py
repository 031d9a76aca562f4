"""Test-only models that exercise shared mechanisms (see tests/settings.py)."""

from django.db import models

from essaim.moderation.models import Moderated


class Proposal(Moderated):
    """A contributed item as a module would define one, to test the moderation lifecycle."""

    moderated_fields = ["title", "body"]

    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte", blank=True)

    class Meta:
        verbose_name = "proposition"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # No view behind it: the tests only need a stable public address.
        return f"/test/propositions/{self.pk}/"
