"""``{{ value|web_url }}``: a link target only if it is a web address.

URL fields are validated on the way in (forms, imports), but a value can arrive by other
paths (the back office, an old import, the database itself); a ``javascript:`` or
``data:`` address must never become a clickable link. Defence in depth for every ``href``
built from contributed data.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

SAFE_SCHEMES = {"http", "https"}


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(str(value).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


@register.filter
def web_url(value) -> str:
    """The address if it is http(s) with a host, else an empty string."""
    return str(value).strip() if value and is_web_url(value) else ""
