"""Finding e-mail addresses and phone numbers in the narrative of a sheet.

Sheets are public, licensed for reuse and kept in revisions for ever: personal contact
details have no place in them (visitors write through the relay form instead). We refuse
them on save rather than mask them on render, because a masked value would still sit in
the database, in every revision, in the public history's diffs and in the search index;
refusing tells the author at once, naming the field.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers: 0X XX XX XX XX, +33 X XX XX XX XX, 0033…, with spaces, dots or dashes.
PHONE = re.compile(
    r"(?<![\d\w])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?!\d)"
)


def find_contact_details(text: str) -> list[str]:
    """The e-mail addresses and phone numbers written in ``text``, in order."""
    text = text or ""
    found = [(m.start(), m.group()) for m in EMAIL.finditer(text)]
    found += [(m.start(), m.group()) for m in PHONE.finditer(text)]
    return [value for _start, value in sorted(found)]
