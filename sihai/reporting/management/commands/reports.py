"""``sihai reports monthly [--month YYYY-MM] [--levels city,county,township] [--enqueue]``.

Writes each area's monthly report (last month by default). Cron or a systemd timer runs
``sihai reports monthly --enqueue`` on the first of each month; the task worker writes them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sihai.core.errors import InvalidInput
from sihai.reporting.periods import add_months, current_month, parse_period
from sihai.reporting.reports import DEFAULT_LEVELS, monthly_reports_generate
from sihai.reporting.tasks import monthly_reports_task

LEVELS = ("city", "county", "township", "village")


class Command(BaseCommand):
    help = "Write the monthly reports of every area (city, districts, subdistricts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["monthly"])
        parser.add_argument("--month", default="", help="YYYY-MM (default: last month)")
        parser.add_argument("--levels", default=",".join(DEFAULT_LEVELS))
        parser.add_argument("--enqueue", action="store_true", help="hand it to the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        month = options["month"] or f"{add_months(current_month(), -1):%Y-%m}"
        try:
            period = parse_period(month)
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        if period.is_year:
            msg = "give a month (YYYY-MM), not a year"
            raise CommandError(msg)
        levels = [level.strip() for level in options["levels"].split(",") if level.strip()]
        unknown = sorted(set(levels) - set(LEVELS))
        if unknown:
            msg = f"unknown levels {unknown}; known: {', '.join(LEVELS)}"
            raise CommandError(msg)
        if options["enqueue"]:
            queued = monthly_reports_task.enqueue(month, levels)
            self.stdout.write(f"enqueued {queued.id}")
            return
        written = monthly_reports_generate(month=period.months[0], levels=levels)
        self.stdout.write(f"{written} monthly reports written for {month}")
