"""What a dossier shows: its chosen items that are public now, and its kept-current
sections (newest articles, next events, recent veille picks of its theme).

Bounded queries: one per kind of chosen item, whatever their number.
"""

from essaim.publications.listing import articles, parse

CURRENT_SHOWN = 5


def visible_items(dossier) -> list[dict]:
    """[{"type": …, "value": …}] in the editor's order, only what is public now."""
    from wagtail.models import Page

    from essaim.agenda.models import Event
    from essaim.initiatives.models import Initiative
    from essaim.veille.models import Pick

    blocks = list(dossier.items)
    wanted = {kind: [b.value.pk for b in blocks if b.block_type == kind and b.value]
              for kind in ("page", "initiative", "event", "pick")}  # fmt: skip
    public = {
        "page": {p.pk: p for p in Page.objects.live().public()
                 .filter(pk__in=wanted["page"]).specific()},
        "initiative": Initiative.objects.public().in_bulk(wanted["initiative"]),
        "event": Event.objects.public().in_bulk(wanted["event"]),
        "pick": Pick.objects.public().select_related("item__source").in_bulk(wanted["pick"]),
    }  # fmt: skip
    shown = []
    for block in blocks:
        if block.block_type == "heading":
            shown.append({"type": "heading", "value": block.value})
        elif block.value and (item := public[block.block_type].get(block.value.pk)):
            shown.append({"type": block.block_type, "value": item,
                          "kind": item._meta.verbose_name})  # fmt: skip
    return shown


def item_url(item: dict) -> str:
    value = item["value"]
    if item["type"] == "page":
        return value.url
    return value.get_absolute_url()


def kept_current(dossier) -> dict:
    """Newest articles, next events and recent picks of the dossier's theme."""
    from essaim.agenda import filters as agenda_filters
    from essaim.veille.models import Pick

    pushed = list(
        Pick.objects.public().filter(dossier_links__dossier=dossier)
        .select_related("item__source").order_by("-dossier_links__pushed_at")[:10]
    )  # fmt: skip
    if dossier.theme_id is None:
        return {"pushed_picks": pushed}
    theme = dossier.theme
    filters = parse({"theme": theme.slug})
    ids = theme.family_ids()
    picks = (Pick.objects.public().filter(themes__in=ids).exclude(pk__in=[p.pk for p in pushed])
             .distinct().select_related("item__source").order_by("-picked_at", "-pk"))  # fmt: skip
    events = agenda_filters.occurrences(agenda_filters.AgendaFilters(theme=theme))
    return {
        "theme": theme,
        "articles": list(articles(filters)[:CURRENT_SHOWN]),
        "events": list(events[:CURRENT_SHOWN]),
        "picks": list(picks[:CURRENT_SHOWN]),
        "pushed_picks": pushed,
    }
