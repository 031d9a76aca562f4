"""Views of the agenda, one module per topic: listing (list, calendar, map, embed), event
pages, registrations."""
