"""``sihai rollups update|rebuild [--source NAME]``: maintain the daily rollups.

``update`` adds the events past each source's watermark (what the task worker does;
``--enqueue`` hands it to the worker instead); ``rebuild`` replaces a source's rows
with its exact grouped rebuild, e.g. nightly or after a restore.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sihai.reporting import rollups
from sihai.reporting.registry import source, sources


class Command(BaseCommand):
    help = "Maintain the daily rollups behind the dashboards: update or rebuild."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["update", "rebuild", "status"])
        parser.add_argument("--source", default=None, help="one source (default: all)")
        parser.add_argument(
            "--enqueue", action="store_true", help="update: hand it to the task worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["source"]
        if name and source(name) is None:
            known = ", ".join(s.name for s in sources())
            msg = f"no rollup source {name!r}; known: {known}"
            raise CommandError(msg)
        action = options["action"]
        if action == "status":
            from sihai.reporting.models import DailyRollup, RollupWatermark  # noqa: PLC0415

            marks = dict(RollupWatermark.objects.values_list("source", "last_id"))
            for s in sources():
                rows = DailyRollup.objects.filter(source=s.name).count()
                self.stdout.write(
                    f"{s.name}: watermark {marks.get(s.name, 0)}, newest {s.max_id()}, {rows} rows"
                )
            return
        if action == "update" and options["enqueue"]:
            from sihai.reporting.tasks import rollups_update_task  # noqa: PLC0415

            queued = rollups_update_task.enqueue()
            self.stdout.write(f"enqueued {queued.id}")
            return
        started = time.perf_counter()
        run = rollups.rollups_rebuild if action == "rebuild" else rollups.rollups_update
        for result in run(source_name=name):
            what = "rows" if action == "rebuild" else "events added"
            self.stdout.write(
                f"{result.source}: {result.events} {what}, watermark {result.watermark}"
            )
        self.stdout.write(f"{action} took {time.perf_counter() - started:.2f} s")
