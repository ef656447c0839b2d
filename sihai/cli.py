"""The ``sihai`` console command: Django management with the project's names.

``sihai migrate``, ``sihai load-areas``, ``sihai seed-demo --scale demo``: hyphenated
names map to the management commands (``load_areas``), so operators type what the
docs say.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, defaulting to the local settings."""
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "sihai"
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (after env)

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
