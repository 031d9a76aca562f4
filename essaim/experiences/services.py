"""Writes on experience sheets that have side effects: co-editors' revisions, the yearly
review reminder, the "reproduce this experience" relay.

Co-editors publish directly: they are the sheet's own team, named on it by staff, and
every save is a revision by that person, listed on the public history; staff can revert
any revision from the back office (Historique → Revenir à cette version).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry, Revision, Site

from essaim.common.mail import send_to_each
from essaim.experiences.models import (
    ExperienceCoEditor,
    ExperienceIndexPage,
    ExperiencePage,
    ReviewReminder,
    RevisionNote,
)

INDEX_SLUG = "experiences"


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def page_path(page: Page) -> str:
    """The page's path on its site ("/experiences/<slug>/"), without a request."""
    parts = page.get_url_parts()
    return parts[2] if parts else page.url_path


def public_name(user) -> str:
    """The name shown for a person on public pages: never their e-mail address."""
    if user is None:
        return _("Équipe du site")
    return user.display_name or user.get_full_name() or _("Membre de l'équipe")


# --- the index page ----------------------------------------------------------------------


def ensure_index_page() -> ExperienceIndexPage | None:
    """The /experiences/ page, created under the default site's root if missing
    (the data migration does the same on a fresh database); None without a site."""
    if existing := ExperienceIndexPage.objects.first():
        return existing
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    index = ExperienceIndexPage(title=_("Expériences documentées"), slug=INDEX_SLUG,
                                introduction=INTRODUCTION)  # fmt: skip
    site.root_page.add_child(instance=index)
    return index


INTRODUCTION = (
    "Des projets de l'économie sociale et solidaire racontent ce qu'ils ont fait, ce qui a "
    "marché, ce qui n'a pas marché et pourquoi, pour que d'autres puissent s'en inspirer."
)


# --- co-editing --------------------------------------------------------------------------


def is_co_editor(user, page: ExperiencePage) -> bool:
    if not user.is_authenticated or page.pk is None:
        return False
    return ExperienceCoEditor.objects.filter(page=page, user=user).exists()


def can_co_edit(user, page: ExperiencePage) -> bool:
    """The sheet's co-editors, and staff who may edit it in the back office."""
    if not user.is_authenticated or not user.is_active:
        return False
    if page.pk is None:
        return False
    return is_co_editor(user, page) or page.permissions_for_user(user).can_edit()


def save_co_edit(*, page: ExperiencePage, changes: dict, by, note: str = "") -> Revision:
    """Apply a co-editor's changes as a new revision by ``by`` and publish it.

    Raises ValidationError (field → messages) when the sheet would be invalid, e.g. with
    an e-mail address in its text; nothing is saved then. Saving counts as a review.
    """
    for name, value in changes.items():
        setattr(page, name, value)
    page.last_reviewed_on = timezone.localdate()
    page.full_clean()
    return _publish(page, by=by, note=note)


def mark_reviewed(*, page: ExperiencePage, by) -> Revision:
    """The co-editor says the sheet is still right: a revision with today's review date."""
    page.last_reviewed_on = timezone.localdate()
    return _publish(page, by=by, note=_("Relue : la fiche est toujours à jour."))


def _publish(page: ExperiencePage, *, by, note: str) -> Revision:
    with transaction.atomic():
        revision = page.save_revision(user=by, log_action=True)
        RevisionNote.objects.create(revision=revision, note=note[:200])
        # Co-editors hold no back-office permission: the view checked can_co_edit.
        revision.publish(user=by, skip_permission_checks=True)
    return revision


# --- history -----------------------------------------------------------------------------


def published_revisions(page: ExperiencePage):
    """The publications of the sheet, newest first: only what was public is shown
    (a draft saved in the back office never appears in the public history)."""
    return (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision__user", "revision__experience_note")
        .order_by("-timestamp", "-pk")
    )


# --- "reproduce this experience" ---------------------------------------------------------


def contact_recipients(page: ExperiencePage) -> list[str]:
    """The addresses the relay writes to (never shown anywhere)."""
    if page.pk is None:  # a preview of a new page
        return []
    emails = (
        ExperienceCoEditor.objects.filter(page=page, receives_messages=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("sort_order")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


def send_contact_message(*, page: ExperiencePage, name: str, email: str, message: str) -> int:
    """Relay a visitor's message to the sheet's contacts, reply-to the visitor; mails sent."""
    recipients = contact_recipients(page)
    context = {"page": page, "name": name, "email": email, "message": message,
               "url": absolute(page_path(page))}  # fmt: skip
    return send_to_each("experiences/email/contact.txt", context, recipients, reply_to=email)


# --- yearly review (the initiatives' "still up to date?" pattern) -------------------------


def due_for_review(*, now: datetime | None = None):
    """Live sheets not reviewed for a year, with no reminder sent within that year."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.ESSAIM_EXPERIENCE_REVIEW_DAYS)
    recent = ReviewReminder.objects.filter(sent_at__gt=since).values("page_id")
    return (
        ExperiencePage.objects.live()
        .filter(last_reviewed_on__lte=timezone.localdate(since))
        .exclude(pk__in=recent)
        .order_by("pk")
    )


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Mail the co-editors of each due sheet a link to review it; idempotent; mails sent."""
    now = now or timezone.now()
    sent = 0
    for page in due_for_review(now=now):
        emails = list(
            page.co_editors.filter(user__is_active=True).exclude(user__email="")
            .values_list("user__email", flat=True)
        )  # fmt: skip
        url = absolute(page_path(page))
        context = {"page": page, "url": url, "edit_url": f"{url}modifier/"}
        sent += send_to_each("experiences/email/review_reminder.txt", context, emails)
        ReviewReminder.objects.create(page=page, sent_at=now)
    return sent
