"""Views of the initiatives module, one module per surface: pages (list, detail, proposal,
edit, contact, votes), map (the map page and its embed), data (open-data downloads)."""
