from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from essaim.taxonomy.models import Theme

DEFAULT_TREE = Path(settings.BASE_DIR) / "data" / "themes.yaml"
FIELDS = ("name", "description", "icon", "colour")


def upsert_theme(entry: dict, *, parent: Theme | None, position: int) -> tuple[Theme, bool]:
    """Creates or updates one theme by slug; a sub-theme inherits its parent's icon and colour."""
    values = {field: entry[field] for field in FIELDS if field in entry}
    if parent:
        values.setdefault("icon", parent.icon)
        values.setdefault("colour", parent.colour)
    theme = Theme(slug=entry["slug"], parent=parent, position=position, **values)
    try:
        theme.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        raise ValidationError(f"{entry['slug']}: {error.messages}") from None
    theme, created = Theme.objects.update_or_create(
        slug=entry["slug"], defaults={"parent": parent, "position": position, **values}
    )
    return theme, created


@transaction.atomic
def load_themes(*, path: Path = DEFAULT_TREE) -> dict[str, int]:
    """Creates or updates the themes of a YAML tree; never deletes one (content may use it).

    Side effects: writes Theme rows. Returns {"créés": n, "mis à jour": m}.
    """
    counts = {"créés": 0, "mis à jour": 0}
    for position, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        parent, created = upsert_theme(entry, parent=None, position=position)
        counts["créés" if created else "mis à jour"] += 1
        for child_position, child in enumerate(entry.get("children", [])):
            _, created = upsert_theme(child, parent=parent, position=child_position)
            counts["créés" if created else "mis à jour"] += 1
    return counts
