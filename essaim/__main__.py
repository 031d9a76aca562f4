"""The ``essaim`` command: Django's management commands plus Essaim's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaim.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Essaim's commands use dashes (essaim import-initiatives); Django's modules cannot.
    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        # A bad setting is the operator's to fix: say which, without a traceback.
        sys.stderr.write(f"essaim: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
