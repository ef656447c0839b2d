"""Background work of insight (django-tasks; ``sihai db_worker`` runs it).

``rollups_update_task`` adds new events to the daily rollups; enqueue it from cron
or a systemd timer every few minutes (``sihai rollups update --enqueue``), or let it
re-enqueue itself. ``monthly_reports_task`` writes each area's report for a month.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from sihai.reporting import reports, rollups


@task()
def rollups_update_task() -> dict[str, int]:
    """Add every settled event past each source's watermark: {source: events added}."""
    return {r.source: r.events for r in rollups.rollups_update()}


@task()
def monthly_reports_task(month: str, levels: list[str] | None = None) -> int:
    """Write the monthly report of every area of the given levels for ``month`` (YYYY-MM)."""
    first = datetime.date.fromisoformat(f"{month}-01")
    rollups.rollups_update()
    return reports.monthly_reports_generate(month=first, levels=levels)
