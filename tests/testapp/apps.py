from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models used only by the tests of shared mechanisms."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self):
        # As a module does: declare its moderated types from ready().
        from essaim.moderation import registry
        from tests.testapp.models import Proposal

        registry.register(Proposal)
