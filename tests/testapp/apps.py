from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models used only by the tests of shared mechanisms."""

    name = "tests.testapp"
    label = "testapp"
