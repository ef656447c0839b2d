"""The SLA sweeps in the task worker (`sihai db_worker`).

There is no periodic scheduler in django-tasks: a cron job or systemd timer runs
``sihai cases-sweep --enqueue`` every few minutes (docs/subsystems/cases.md), or each
sweep re-enqueues itself (``--every``). Both sweeps are safe to run twice.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from sihai.cases.services import escalation_sweep, reminder_sweep


@task()
def sla_sweep(every_seconds: int = 0) -> dict[str, int]:
    """Remind, then escalate; with ``every_seconds`` it schedules its next run."""
    result = {"reminded": reminder_sweep(), "escalated": escalation_sweep()}
    if every_seconds > 0:
        sla_sweep.using(
            run_after=timezone.now() + datetime.timedelta(seconds=every_seconds)
        ).enqueue(every_seconds)
    return result
