"""The agenda's views, one module per topic."""
