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
