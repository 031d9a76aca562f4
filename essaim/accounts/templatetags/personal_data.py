"""Filters that let a template walk the personal-data tree (dicts, lists, values)."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def is_sequence(value) -> bool:
    return isinstance(value, list | tuple)
