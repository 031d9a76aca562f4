"""{% theme_icon theme %} and {% theme_badge theme %}: themes drawn without inline styles."""

import re
from functools import cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from essaim.taxonomy.models import ICON_DIR, available_icons

register = template.Library()

_OPENING = re.compile(r"<svg\b[^>]*>", re.S)


@cache
def icon_svg(name: str) -> str:
    """The vendored SVG, inlined so that it takes the text colour (stroke=currentColor)."""
    if name not in available_icons():
        return ""
    svg = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") :]  # drop the licence comment; the licence sits beside the files
    opening = (
        '<svg class="icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">'
    )
    return _OPENING.sub(opening, svg, count=1).replace("\n", "")


@register.simple_tag
def theme_icon(theme) -> str:
    return mark_safe(icon_svg(theme.icon))  # noqa: S308 (our own vendored files)


@register.simple_tag
def theme_badge(theme, link: bool = True) -> str:
    """A coloured pill with the theme's icon and name, linking to its page."""
    tag = "a" if link else "span"
    return format_html(
        '<{} class="theme-badge {}"{}>{}{}</{}>',
        tag, theme.css_class,
        format_html(' href="{}"', theme.get_absolute_url()) if link else "",
        theme_icon(theme), theme.name, tag,
    )  # fmt: skip
