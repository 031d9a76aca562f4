"""Readable differences between two revisions of a sheet's text, word by word."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from essaim.experiences.models import ExperiencePage

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    segments: list[tuple[str, str]]  # ("equal" | "delete" | "insert", text)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _text in self.segments)


def compared_fields() -> list[tuple[str, str]]:
    """(field, label) of every text the history compares, in reading order."""
    meta = ExperiencePage._meta
    names = ["title", "summary", *[name for name, _anchor in ExperiencePage.SECTIONS],
             "key_figures"]  # fmt: skip
    fields = [(name, str(meta.get_field(name).verbose_name)) for name in names]
    return [*fields, ("outcome", str(_("issue")))]


def field_text(page: ExperiencePage, name: str) -> str:
    if name in ("title", "summary"):
        return getattr(page, name) or ""
    if name == "outcome":
        return page.get_outcome_display()
    return page.section_text(name)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
    return segments


def compare(old: ExperiencePage, new: ExperiencePage) -> list[FieldDiff]:
    """The differences, field by field (unchanged fields included, marked unchanged)."""
    return [
        FieldDiff(label, word_diff(field_text(old, name), field_text(new, name)))
        for name, label in compared_fields()
    ]
