"""`maatwerk rules list | show ID | decide FILE.json --regulation ID [--format json|table]`.

The command line of the pure rules engine (maatwerk.rules.cli); no database is touched. Exit codes:
0 all decided, 2 bad input.
"""

import argparse
import sys

from django.core.management.base import BaseCommand

from maatwerk.rules.cli import main


class Command(BaseCommand):
    help = "Regelingen tonen en uitslagen bepalen met de regelmotor (zie docs/rules.md)."

    def add_arguments(self, parser):
        parser.add_argument("rules_args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv):
        # Hand the arguments to the engine's own parser, with its exit codes.
        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):
        code = main(list(options.get("rules_args") or args))
        if code:
            sys.exit(code)
