"""Views of the agenda: the listing (list, calendar, map, embed) and the event pages."""
