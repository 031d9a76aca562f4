"""Hypothesis profiles for the fuzz tests.

The default run keeps every property test small (see ``fuzz.bounded``) so that the suite
stays fast; ``pytest --hypothesis-profile=hardening tests/hardening`` runs twenty times
as many examples per test. No example database is written: a failure prints its example.
"""

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    # The database fixtures are function-scoped on purpose: every example runs in the
    # test's transaction and measures the row counts before and after itself.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],  # fmt: skip
}
settings.register_profile("essaim", **_COMMON)
settings.register_profile("hardening", **_COMMON)
settings.load_profile("essaim")
