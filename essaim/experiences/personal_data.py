"""What the experiences module holds about a person, for the account's data download."""

from essaim.experiences.models import ExperienceCoEditor, RevisionNote


def collect(user) -> dict:
    links = ExperienceCoEditor.objects.filter(user=user).select_related("page").order_by("pk")
    notes = RevisionNote.objects.filter(revision__user=user).select_related("revision")
    return {
        "fiches_co_éditées": [
            {"titre": link.page.title, "adresse_web": link.page.url,
             "reçoit_les_messages": link.receives_messages}
            for link in links
        ],
        "modifications": [
            {"le": note.revision.created_at, "fiche": note.revision.object_str, "note": note.note}
            for note in notes.order_by("revision__created_at")
        ],
    }  # fmt: skip


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": the sheets they own and wrote alone (no
    other co-editor, no revision by anyone else) are deleted; they leave the team of the
    others (their co-editor rows go with the account anyway)."""
    from essaim.experiences.models import ExperiencePage

    removed = 0
    for page in ExperiencePage.objects.filter(owner=user):
        shared = page.co_editors.exclude(user=user).exists()
        edited = page.revisions.exclude(user=user).exclude(user__isnull=True).exists()
        if not shared and not edited:
            page.delete()
            removed += 1
    return removed
