from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Small shared helpers: no domain, imports no Essaim app."""

    name = "essaim.common"
    label = "common"

    def ready(self):
        from essaim.common import pagecache

        pagecache.connect_signals()
