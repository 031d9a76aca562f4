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
# The suite's default run is derandomised: the same examples every time, so that CI is
# never red on a draw nobody can replay. Exploring new inputs is the "hardening" profile's
# job (random; a failure prints the example and a @reproduce_failure line).
settings.register_profile("essaim", derandomize=True, **_COMMON)
settings.register_profile("hardening", **_COMMON)
settings.load_profile("essaim")
