"""Template helpers of the agenda pages."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def event_ics_url(event) -> str:
    """The event's own .ics ("add to my calendar"), or "" while the feeds are not installed
    (they live in ``agenda_feeds``, a separate URL module)."""
    try:
        return reverse("agenda_feeds:event_ics", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return ""


@register.simple_tag
def feed_url(name: str, query: str = "") -> str:
    """A filtered feed's address (``ics`` or ``rss``), or "" without the feeds module."""
    try:
        path = reverse(f"agenda_feeds:{name}")
    except NoReverseMatch:
        return ""
    return f"{path}?{query}" if query else path


@register.filter
def add_days(moment, days):
    """``moment`` moved by ``days`` days (all-day events end at midnight after their last)."""
    from datetime import timedelta

    return moment + timedelta(days=int(days))
