"""``{{ value|rich_text }}``: contributed HTML, sanitised at the moment it is shown.

Forms and imports clean HTML on the way in; cleaning again on the way out costs
microseconds (nh3) and protects against every other way a value reaches the database
(the back office, an old import, a restored backup). Never use ``|safe`` on stored HTML.
"""

from django import template
from django.utils.safestring import mark_safe

from essaim.common.html import clean_html

register = template.Library()


@register.filter
def rich_text(value) -> str:
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 (sanitised by the allow-list)
