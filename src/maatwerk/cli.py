"""The `maatwerk` console script: Django's manage.py with Maatwerk's settings.

`maatwerk demo` is a management command too (migrate + loaddemo + runserver); when it is
called without DEBUG in the environment it runs in development mode, because the demo
serves plain http on 127.0.0.1.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.settings")
    if len(argv) > 1 and argv[1] in {"demo", "runserver"}:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":  # pragma: no cover
    main()
