"""The S3 stand-in of tests/common, for the deployment tests."""

from tests.common.conftest import moto_s3  # noqa: F401 (a fixture, used by name)
