"""Alert e-mails about new initiatives: confirmation (double opt-in) and digests.

Moderation subscriptions get the new *pending* initiatives matching their themes and
territory; "nearby" subscriptions the new *public* ones within ``radius_km`` of their
commune. ``SentAlert`` records every initiative mailed, so no one gets one twice.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from essaim.common.geo import box_around, distance_m
from essaim.common.mail import send_mail_template
from essaim.initiatives.models import Initiative, SentAlert, Subscription
from essaim.territories.territory import commune_filter, find_territory

DUE_AFTER = {
    Subscription.Frequency.HOURLY: timedelta(minutes=55),
    Subscription.Frequency.DAILY: timedelta(hours=23),
    Subscription.Frequency.WEEKLY: timedelta(days=6, hours=23),
}
MAX_PER_MAIL = 50


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_confirmation(*, subscription: Subscription) -> int:
    """Mail the link that confirms a citizen's subscription (double opt-in)."""
    url = absolute(reverse("initiatives:alert-confirm", kwargs={"token": subscription.token}))
    return _mail(subscription, "alert_confirm", {"confirm_url": url})


def confirm(*, subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def send_due_alerts(*, now=None) -> int:
    """Send each confirmed subscription that is due its digest; returns mails sent."""
    now = now or timezone.now()
    sent = 0
    for subscription in Subscription.objects.active().select_related("commune"):
        last = subscription.last_sent_at
        if last is None or now - last >= DUE_AFTER[subscription.frequency]:
            sent += send_digest(subscription=subscription, now=now)
    return sent


def send_digest(*, subscription: Subscription, now=None) -> int:
    """Mail the initiatives new to ``subscription`` (none twice); 1 if a mail left, else 0."""
    initiatives = new_initiatives(subscription)[:MAX_PER_MAIL]
    if not initiatives:
        return 0
    with transaction.atomic():
        SentAlert.objects.bulk_create(
            [SentAlert(subscription=subscription, initiative=i) for i in initiatives]
        )
        subscription.last_sent_at = now or timezone.now()
        subscription.save(update_fields=["last_sent_at"])
    rows = [(i, absolute(i.get_absolute_url())) for i in initiatives]
    return _mail(subscription, f"alert_{subscription.kind}", {"initiatives": rows})


def new_initiatives(subscription: Subscription) -> list[Initiative]:
    """What ``subscription`` has not been sent yet, oldest first."""
    sent = SentAlert.objects.filter(subscription=subscription).values("initiative_id")
    if subscription.kind == Subscription.Kind.MODERATION:
        found = Initiative.objects.pending().filter(submitted_at__gte=subscription.created_at)
        if subscription.territory_key and (place := find_territory(subscription.territory_key)):
            found = found.filter(commune_filter(place))
    else:
        found = Initiative.objects.public().filter(
            published_at__gte=subscription.confirmed_at, **_bbox(subscription)
        )
    theme_ids = list(subscription.themes.values_list("pk", flat=True))
    if theme_ids:
        found = found.filter(themes__in=theme_ids).distinct()
    found = found.exclude(pk__in=sent).order_by("published_at", "submitted_at", "pk")
    return [i for i in found.select_related("commune")[:500] if _within(subscription, i)]


def _bbox(subscription: Subscription) -> dict:
    commune = subscription.commune
    if commune is None or commune.latitude is None:
        return {"pk__in": []}
    lat_range, lon_range = box_around(
        commune.longitude, commune.latitude, subscription.radius_km * 1000
    )
    return {"latitude__range": lat_range, "longitude__range": lon_range}


def _within(subscription: Subscription, initiative: Initiative) -> bool:
    if subscription.kind != Subscription.Kind.NEARBY:
        return True
    centre = subscription.commune
    metres = distance_m(
        centre.longitude, centre.latitude, initiative.longitude, initiative.latitude
    )
    return metres <= subscription.radius_km * 1000


def _mail(subscription: Subscription, template: str, context: dict) -> int:
    unsubscribe = absolute(
        reverse("initiatives:alert-unsubscribe", kwargs={"token": subscription.token})
    )
    context = {"subscription": subscription, "unsubscribe_url": unsubscribe, **context}
    return send_mail_template(f"initiatives/email/{template}.txt", context, to=subscription.email,
                              headers={"List-Unsubscribe": f"<{unsubscribe}>"})  # fmt: skip
