"""{% licence_link value as licence %}: a licence's label and canonical URL."""

from django import template

from essaim.common import licences

register = template.Library()


@register.simple_tag
def licence_link(value) -> dict:
    return {"label": licences.label(value), "url": licences.url(value)}
