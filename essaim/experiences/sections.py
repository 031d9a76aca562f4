"""What experiences add to other modules' pages."""


def experiences_of_initiative(initiative) -> dict:
    """The live, public sheets documenting ``initiative`` (two queries: Wagtail's view
    restrictions, then the sheets)."""
    sheets = list(initiative.experiences.live().public().order_by("title"))
    return {"items": sheets} if sheets else {}
