"""Form helpers on territories, for every module's forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from essaim.territories.models import Commune
from essaim.territories.names import fold
from essaim.territories.territory import by_label


def resolve_commune(*, postal_code: str, text: str) -> Commune:
    """The commune that a postal code and/or a typed name designate; ValidationError else."""
    text = text.strip()
    labelled = {s.key for s in by_label(text) if s.level == "commune"} if text else set()
    if len(labelled) == 1:
        return Commune.objects.select_related("departement").get(pk=labelled.pop())
    if not text and not postal_code:
        raise ValidationError(_("Indiquez la commune."), code="required")
    candidates = Commune.objects.select_related("departement")
    if postal_code:
        candidates = candidates.filter(postal_codes__code=postal_code)
    if text:
        candidates = candidates.filter(name_folded=fold(text))
    found = list(candidates.distinct().order_by("-population")[:8])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _("Commune introuvable : vérifiez son nom et le code postal, ou choisissez-la "
              "dans la liste proposée."), code="unknown")  # fmt: skip
    names = ", ".join(commune.short_label for commune in found)
    raise ValidationError(
        _("Plusieurs communes correspondent (%(names)s) : précisez le code postal ou "
          "choisissez-la dans la liste proposée."), code="ambiguous", params={"names": names},
    )  # fmt: skip
