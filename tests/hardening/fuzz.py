"""Strategies shared by the importer fuzz tests: hostile text, encodings, mutations.

Every importer must turn any of these into a correct import or its own clear error
(naming the line or record), never a traceback, and write nothing when it refuses.
The grid YAML importer is fuzzed in test_fuzz_grid_import.py.
"""

from hypothesis import settings
from hypothesis import strategies as st

HARDENING_FACTOR = 20


def bounded(examples: int):
    """``settings`` for one property test: ``examples`` by default, ×20 under the
    ``hardening`` profile (``pytest --hypothesis-profile=hardening``)."""
    if settings.get_current_profile_name() == "hardening":
        examples *= HARDENING_FACTOR
    return settings(max_examples=examples, deadline=None)


HOSTILE_SNIPPETS = [
    "", " ", "\x00", "\ufeff", "\u202e", "\r\n", "\n", '"', "'", ";", ",", "\t", "|",
    "<script>alert(1)</script>", "<![CDATA[", "]]>", "&amp;", "&#0;", "&bogus;", "\\",
    "é", "Œuvre", "🐝", "NaN", "inf", "-1e309", "1e400", "999", "-200",
    "47,39", "0x10", "null", "[]", "{}", "BEGIN:VCALENDAR", "END:VEVENT", ":", "%s",
    "x" * 300, "é" * 3000, "\u0085", "\u2028", "javascript:alert(1)", "http://", "https://a",
]  # fmt: skip

# Text as real files carry it: mostly printable, with hostile snippets mixed in.
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_SNIPPETS),
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE_SNIPPETS) | st.text(max_size=8), max_size=4).map("".join),
)
# Just past the limits the importers know (summary 280, name 200, URL 500, text 100,000).
huge_text = st.sampled_from([201, 256, 281, 501, 1001, 100_001]).map(lambda n: "x" * n)
field_text = hostile_text | huge_text

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "iso-8859-15"]


def encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``; characters it cannot carry become '?' (as editors do)."""
    return text.encode(encoding, errors="replace")


@st.composite
def mutated(draw, original: bytes, max_changes: int = 8) -> bytes:
    """``original`` with a few bytes flipped, deleted, duplicated, or the tail cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(0, max_changes))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "cut", "repeat"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif action == "cut":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


# Nested JSON garbage: what a JSON file can hold anywhere a value is expected.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(hostile_text, children, max_size=4)
    ),
    max_leaves=12,
)
