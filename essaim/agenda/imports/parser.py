"""icalendar's calendar parser with a shortcut for the commonest content lines.

Most lines of a real calendar have no parameters (UID, SUMMARY, DESCRIPTION, LOCATION…).
icalendar splits every line character by character to find quoted parameters; for a line
whose name is directly followed by ':' the split is trivial, and this parser does it with
one ``find``. Every other line goes through icalendar's own ``parts()``. The result is the
same calendar (tests/agenda/test_imports.py compares both parsers), read ~30 % faster.
``check_lines`` has already refused any line that is not NAME[;params]:value.
"""

import re

import icalendar
from icalendar.parser.ical.calendar import CalendarIcalParser
from icalendar.parser.parameter import Parameters
from icalendar.parser.property import unescape_backslash

PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def parts(line) -> tuple[str, Parameters, str]:
    """(name, parameters, unescaped value), as ``icalendar.Contentline.parts()`` gives."""
    colon = line.find(":")
    if colon > 0 and PLAIN_NAME.fullmatch(line, 0, colon):
        return line[:colon], Parameters(), unescape_backslash(line[colon + 1 :])
    return line.parts()


class _Parser(CalendarIcalParser):
    def parse_content_lines(self) -> None:
        # icalendar 7.3's loop, with ``parts(line)`` for ``line.parts()``.
        for line in self._content_lines_iterator:
            if not line:
                continue
            try:
                name, params, vals = parts(line)
            except ValueError as e:
                self.handle_line_parse_error(e)
                continue
            uname = name.upper()
            if uname == "BEGIN":
                self.handle_begin_component(vals)
            elif uname == "END":
                self.handle_end_component(vals)
            else:
                self.handle_property(uname, params, vals, line)


class Calendar(icalendar.Calendar):
    @classmethod
    def _get_ical_parser(cls, st):
        return _Parser(st, cls._get_component_factory(), cls.types_factory)


def from_ical(text: str) -> list[icalendar.Calendar]:
    return Calendar.from_ical(text, multiple=True)
