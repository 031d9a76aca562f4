"""Demo content: each app may have a ``demo`` module with ``load_demo(out)``.

``essaim demo`` calls them in INSTALLED_APPS order (territories before the modules that
use them). Every ``load_demo`` is idempotent: running the demo twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def demo_loaders():
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith("essaim.") and find_spec(module_name):
            loader = getattr(import_module(module_name), "load_demo", None)
            if loader:
                yield config.label, loader
