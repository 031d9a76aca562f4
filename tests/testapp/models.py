# Test-only models live here; see tests/settings.py.
