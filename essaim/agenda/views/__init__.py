"""Views of the agenda, one module per topic."""
