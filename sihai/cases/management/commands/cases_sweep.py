"""``sihai cases-sweep``: remind and escalate now, or hand the sweep to the task worker.

Run it from cron or a systemd timer every few minutes (``--enqueue`` puts one sweep on the
queue for ``sihai db_worker``); ``--every N`` makes the queued sweep re-enqueue itself every
N seconds. Safe to run twice: a second sweep at the same moment changes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sihai.cases.services import escalation_sweep, reminder_sweep
from sihai.cases.tasks import sla_sweep
from sihai.notifications.services import deliver_due


def _repeating_sweep_queued() -> bool:
    """Is a sweep already waiting or running in the database queue (so `make demo`, run
    again, does not start a second chain)?"""
    try:
        from django_tasks_db.models import DBTaskResult  # noqa: PLC0415  (only that backend)
    except ImportError:  # pragma: no cover  (another backend: nothing to look at)
        return False
    return DBTaskResult.objects.filter(
        task_path="sihai.cases.tasks.sla_sweep", status__in=["READY", "RUNNING"]
    ).exists()


class Command(BaseCommand):
    help = "Send deadline reminders, escalate overdue requests, retry due notifications."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the sweep for a worker")
        parser.add_argument("--every", type=int, default=0, help="with --enqueue: repeat (seconds)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["every"] and _repeating_sweep_queued():
                self.stdout.write("a repeating sweep is already queued")
                return
            result = sla_sweep.enqueue(options["every"])
            self.stdout.write(f"sweep queued: {result.id}")
            return
        started = time.perf_counter()
        reminded = reminder_sweep()
        escalated = escalation_sweep()
        delivered = deliver_due()
        self.stdout.write(
            f"reminded {reminded}, escalated {escalated}, notifications {delivered} "
            f"in {time.perf_counter() - started:.2f} s"
        )
