"""Writes of the news watch that span models or have side effects."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from essaim.accounts.roles import Role, has_role
from essaim.common.mail import send_mail_template
from essaim.taxonomy.models import Theme
from essaim.veille.fetching import Fetched, fetch
from essaim.veille.imports import read_opml, themes_for
from essaim.veille.models import Digest, DigestSubscription, Item, Pick, Source
from essaim.veille.parsing import FeedError, ParsedFeed, discover_feeds, is_html_page, parse
from essaim.veille.polling import Outcome, Target, record

CURATOR_ROLES = (Role.FACILITATOR, Role.MODERATOR, Role.EDITOR)
DIGEST_EVERY = timedelta(days=7)


class SourceError(Exception):
    """A source cannot be added; the message says why, in French."""


def can_curate(user) -> bool:
    """Facilitators and back-office staff pick items (administrators hold every role)."""
    return any(has_role(user, role) for role in CURATOR_ROLES)


# --- sources --------------------------------------------------------------------------


def find_feed(url: str) -> tuple[str, Fetched, ParsedFeed]:
    """The feed at ``url``, or the first one its HTML page announces: (feed url, fetch, feed)."""
    fetched = _fetch_or_fail(url)
    feed_url = fetched.moved_to or url
    if is_html_page(fetched.body, fetched.content_type):
        found = discover_feeds(fetched.body, url=fetched.redirects[-1][1] if fetched.redirects
                               else url)  # fmt: skip
        if not found:
            raise SourceError(
                f"{url} : cette page n'annonce aucun flux "
                '(pas de <link rel="alternate"> RSS, Atom ou JSON Feed).'
            )
        fetched = _fetch_or_fail(found[0])
        feed_url = fetched.moved_to or found[0]
    try:
        feed = parse(fetched.body, url=feed_url, content_type=fetched.content_type)
    except FeedError as exc:
        raise SourceError(f"{url} : {exc}") from None
    return feed_url, fetched, feed


def _fetch_or_fail(url: str) -> Fetched:
    fetched = fetch(url)
    if fetched.error:
        raise SourceError(f"{url} : {fetched.error}")
    return fetched


def add_source(*, url: str, is_public: bool = True, themes=()) -> tuple[Source, bool]:
    """Find the feed, create its source and store its items now. Returns (source, created).

    Side effects: HTTP requests to ``url`` (and the feed it announces).
    """
    feed_url, fetched, feed = find_feed(url.strip())
    source, created = Source.objects.get_or_create(
        url=feed_url, defaults={"is_public": is_public, "title": feed.title,
                                "site_url": feed.site_url},
    )  # fmt: skip
    if created:
        source.themes.set(themes)
        target = Target(source.pk, source.url, "", "")
        record(source=source, outcome=Outcome(target, fetched, feed=feed))
    return source, created


def import_opml(*, data: bytes, is_public: bool = True, themes=()) -> tuple[int, int]:
    """Create a source per new outline (all or nothing); returns (created, already known).

    Themes: ``themes`` plus those named by each outline's category or parent outline.
    Raises ``OPMLError`` naming the bad outline. Sources are polled by the next round.
    """
    outlines = read_opml(data)
    known = set(Source.objects.filter(url__in=[o.url for o in outlines])
                .values_list("url", flat=True))  # fmt: skip
    all_themes = list(Theme.objects.all())
    created = 0
    with transaction.atomic():
        for outline in outlines:
            if outline.url in known:
                continue
            known.add(outline.url)
            source = Source.objects.create(
                url=outline.url, title=outline.title, site_url=outline.site_url, is_public=is_public
            )
            source.themes.set({*themes, *themes_for(outline.theme_hints, all_themes)})
            created += 1
    return created, len(outlines) - created


# --- curation -------------------------------------------------------------------------


def pick_item(*, item: Item, by, comment: str, themes) -> Pick:
    """Retain ``item`` for the public selection (again: update comment and themes)."""
    pick, created = Pick.objects.get_or_create(
        item=item, defaults={"comment": comment, "picked_by": by, "picked_at": timezone.now()}
    )
    if not created:
        pick.comment = comment
        pick.save(update_fields=["comment"])
    pick.themes.set(themes)
    return pick


# --- digest ---------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def subscribe(*, email: str, themes) -> DigestSubscription:
    """Record a pending subscription and mail its confirmation link (double opt-in)."""
    subscription = DigestSubscription.objects.create(email=email)
    subscription.themes.set(themes)
    url = absolute(reverse("veille:confirm", kwargs={"token": subscription.token}))
    send_mail_template("veille/email/confirm.txt", {"confirm_url": url}, to=email)
    return subscription


def confirm_subscription(*, subscription: DigestSubscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def send_digest(*, now: datetime | None = None, force: bool = False) -> Digest | None:
    """Archive and mail the week's public picks, once a week (``force``: now).

    Each confirmed subscription receives the picks of its themes (all if none chosen).
    Returns the archived letter, or None when it is not due or there is nothing new.
    """
    now = now or timezone.now()
    last = Digest.objects.order_by("-period_end").first()
    if last and not force and now - last.period_end < DIGEST_EVERY - timedelta(hours=1):
        return None
    start = last.period_end if last else now - DIGEST_EVERY
    picks = list(
        Pick.objects.public().filter(picked_at__gt=start, picked_at__lte=now)
        .select_related("item__source").prefetch_related("themes").order_by("picked_at", "pk")
    )  # fmt: skip
    if not picks:
        return None
    subject = f"{settings.ESSAIM_SITE_NAME} — la veille du {now:%d/%m/%Y}"
    html, text = _render_letter(picks, subject, unsubscribe_url="")
    digest = Digest.objects.create(period_start=start, period_end=now, subject=subject,
                                   html=html, text=text, pick_count=len(picks))  # fmt: skip
    digest.recipient_count = _mail_subscribers(picks, subject, now)
    digest.save(update_fields=["recipient_count"])
    return digest


def _render_letter(picks: list[Pick], subject: str, *, unsubscribe_url: str) -> tuple[str, str]:
    """(HTML fragment, plain text): the fragment is what the web archive shows."""
    context = {"picks": picks, "subject": subject, "unsubscribe_url": unsubscribe_url,
               "site_name": settings.ESSAIM_SITE_NAME,
               "site_url": absolute(reverse("veille:picks"))}  # fmt: skip
    return (render_to_string("veille/email/letter.html", context),
            render_to_string("veille/email/digest.txt", context))  # fmt: skip


def _mail_subscribers(picks: list[Pick], subject: str, now: datetime) -> int:
    children = _children_by_parent()
    sent = 0
    for subscription in DigestSubscription.objects.active().prefetch_related("themes"):
        wanted = {t.pk for t in subscription.themes.all()}
        wanted |= {child for pk in wanted for child in children.get(pk, ())}
        chosen = [p for p in picks if not wanted or wanted & {t.pk for t in p.themes.all()}]
        if chosen:
            sent += _mail_one(subscription, chosen, subject)
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
    return sent


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pk, parent_id in Theme.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _mail_one(subscription: DigestSubscription, picks: list[Pick], subject: str) -> int:
    unsubscribe = absolute(reverse("veille:unsubscribe", kwargs={"token": subscription.token}))
    letter, text = _render_letter(picks, subject, unsubscribe_url=unsubscribe)
    html = render_to_string("veille/email/digest.html", {
        "subject": subject, "letter": mark_safe(letter),  # noqa: S308 (rendered by our template, autoescaped)
        "unsubscribe_url": unsubscribe, "site_url": absolute(reverse("veille:picks"))})  # fmt: skip
    message = EmailMultiAlternatives(subject, text, to=[subscription.email],
                                     headers={"List-Unsubscribe": f"<{unsubscribe}>"})  # fmt: skip
    message.attach_alternative(html, "text/html")
    return message.send()
