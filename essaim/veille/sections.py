"""What the watch adds to other modules' pages."""

from essaim.veille.models import Item, ItemMention

MENTIONS_SHOWN = 5


def mentions_of_initiative(initiative) -> dict:
    """Newest public items that staff confirmed speak of ``initiative`` (one query)."""
    items = list(
        Item.objects.public()
        .filter(mentions__initiative=initiative, mentions__state=ItemMention.State.ACCEPTED)
        .select_related("source")
        .order_by("-published_at", "-pk")[:MENTIONS_SHOWN]
    )
    return {"items": items} if items else {}
