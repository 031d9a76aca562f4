"""Signals of the initiatives module.

``initiatives_changed(sender=Initiative, ids=[…])`` is sent after writes that bypass model
signals (bulk imports, merges, bulk moderation): anything that keeps derived data (map
clusters, counters) listens to it. Single saves and deletes are caught by Django's
``post_save`` / ``post_delete`` / ``m2m_changed``.
"""

from django.dispatch import Signal

initiatives_changed = Signal()
