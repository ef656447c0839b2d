"""`sihai load-areas [--file PATH]`: load the NBS area tree, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sihai.areas.services import DIVISIONS_CSV, AreaDataError, areas_load_file


class Command(BaseCommand):
    help = "Load (or reload) administrative areas from a CSV file; a bad row loads nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=DIVISIONS_CSV, help="CSV: code,name,level,parent_code"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = areas_load_file(path=options["file"])
        except AreaDataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(str(exc.message)) from exc
        levels = ", ".join(f"{level} {n}" for level, n in report.by_level.items())
        self.stdout.write(
            f"areas: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged ({levels})"
        )
