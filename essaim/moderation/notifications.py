"""E-mails of the moderation lifecycle: to moderators, and to contributors on decisions.

Each template under ``moderation/email/`` is plain French text whose first line is the
subject. Moderators get one message each, so that no address is shown to the others.
"""

from django.conf import settings
from django.urls import reverse

from essaim.accounts.roles import Role, users_with_role
from essaim.common.mail import send_mail_template, send_to_each
from essaim.moderation import registry
from essaim.moderation.models import ModerationEvent, PendingVersion

Action = ModerationEvent.Action
CONTRIBUTOR_TEMPLATES = {
    Action.PUBLISHED: "contributor_published",
    Action.REJECTED: "contributor_rejected",
    Action.EDIT_ACCEPTED: "contributor_edit_accepted",
    Action.EDIT_REJECTED: "contributor_edit_rejected",
}


def notify_moderators(*, obj, kind: str) -> int:
    """Mail every moderator about ``obj``: kind is "pending", "edit" or "hidden"."""
    recipients = users_with_role(Role.MODERATOR).exclude(email="").values_list("email", flat=True)
    context = {"object": obj, "type_name": obj._meta.verbose_name, "review_url": review_url(obj)}
    return send_to_each(f"moderation/email/moderators_{kind}.txt", context, recipients)


def notify_contributor(*, event: ModerationEvent) -> int:
    """Mail the decision recorded by ``event`` (and its reason) to whoever contributed."""
    template = CONTRIBUTOR_TEMPLATES.get(event.action)
    obj = event.content_object
    email = _recipient(event, obj) if template and obj is not None else ""
    if not email:
        return 0
    context = {"object": obj, "event": event, "type_name": obj._meta.verbose_name,
               "public_url": public_url(obj)}  # fmt: skip
    return send_mail_template(f"moderation/email/{template}.txt", context, to=email)


def _recipient(event: ModerationEvent, obj) -> str:
    if "version" not in event.data:
        return obj.contributor_email
    version = PendingVersion.objects.select_related("author").get(pk=event.data["version"])
    return version.author.email if version.author_id else version.author_email


def review_url(obj) -> str:
    entry = registry.for_model(type(obj))
    label = entry.label if entry else obj._meta.label_lower
    path = reverse("moderation_admin:item", kwargs={"type_label": label, "pk": obj.pk})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_url(obj) -> str:
    if not hasattr(obj, "get_absolute_url"):
        return ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + obj.get_absolute_url()
