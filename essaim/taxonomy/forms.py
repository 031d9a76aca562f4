"""Form helpers on the theme tree, for every module's forms."""

from essaim.taxonomy.models import Theme


def theme_groups(bound_field) -> list[tuple[Theme, list]]:
    """The theme checkboxes grouped under their top-level theme (one fieldset each)."""
    themes = {str(t.pk): t for t in Theme.objects.select_related("parent")}
    groups: dict[int, tuple[Theme, list]] = {}
    for checkbox in bound_field:
        theme = themes[str(checkbox.data["value"])]
        root = theme.parent or theme
        groups.setdefault(root.pk, (root, []))[1].append(checkbox)
    return list(groups.values())
