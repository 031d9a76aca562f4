"""E-mail to a front-end author when editors request changes on their proposal."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.signals import task_rejected


def connect() -> None:
    task_rejected.connect(mail_author_on_changes_requested, dispatch_uid="publications-rejected")


def mail_author_on_changes_requested(sender, instance, user=None, **kwargs) -> None:
    """``instance`` is the rejected TaskState; its comment goes to the page's owner."""
    page = instance.workflow_state.content_object
    author = getattr(page, "owner", None)
    if author is None or not author.email or author.has_perm("wagtailadmin.access_admin"):
        return  # back-office authors get Wagtail's own notification
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "page": page,
        "comment": instance.comment,
        "reviewer": user,
        "edit_url": base + reverse("publications:edit", kwargs={"page_id": page.pk}),
        "site_name": settings.ESSAIM_SITE_NAME,
    }
    send_mail(
        subject=render_to_string(
            "publications/email/changes_requested_subject.txt", context
        ).strip(),
        message=render_to_string("publications/email/changes_requested.txt", context),
        from_email=None,
        recipient_list=[author.email],
    )
