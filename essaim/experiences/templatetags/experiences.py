"""Number formatting for experience sheets: key figures and budgets, the French way."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value) -> str:
    """1234.50 → « 1 234,5 », 1200.00 → « 1 200 »."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    return number_format(number.normalize(), force_grouping=True)


@register.filter
def euros(value) -> str:
    return f"{figure(value)} €" if value not in (None, "") else ""
