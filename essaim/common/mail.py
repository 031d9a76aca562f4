"""E-mails written as templates: ``<app>/email/<name>.txt``, first line the subject.

Every module sends its mails through here so that subjects are built one way: prefixed
with the site name and folded to one line (a contributed title is free text and must never
break a header).
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """Render ``template`` (e.g. "agenda/email/contact.txt") → (subject, body).

    The context gets ``site_name``; the subject is "[site] first line", on one line.
    """
    context = {"site_name": settings.ESSAIM_SITE_NAME, **context}
    text = render_to_string(template, context)
    first_line, _sep, body = text.lstrip().partition("\n")
    subject = " ".join(first_line.split())
    return f"[{settings.ESSAIM_SITE_NAME}] {subject}", body.strip() + "\n"


def mail_message(
    template: str,
    context: dict,
    *,
    to: str | list[str],
    reply_to: str = "",
    headers: dict | None = None,
) -> EmailMessage:
    """The message ``template`` renders, addressed to ``to`` (not sent)."""
    subject, body = render_mail(template, context)
    return EmailMessage(
        subject,
        body,
        to=[to] if isinstance(to, str) else list(to),
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )


def send_mail_template(template: str, context: dict, **address) -> int:
    """Render and send one message (see ``mail_message`` for ``to``, ``reply_to``,
    ``headers``); returns the number sent (0 or 1)."""
    return mail_message(template, context, **address).send()


def send_to_each(template: str, context: dict, recipients, *, reply_to: str = "") -> int:
    """Render once and send one message per address (no address sees the others), over one
    connection; returns the number sent."""
    subject, body = render_mail(template, context)
    reply = [reply_to] if reply_to else None
    messages = [EmailMessage(subject, body, to=[to], reply_to=reply) for to in recipients]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
