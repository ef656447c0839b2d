"""Delivering the outbox in the task worker (`sihai db_worker`)."""

from __future__ import annotations

from django_tasks import task

from sihai.notifications import services


@task()
def deliver(notification_id: int) -> str:
    """Deliver one message; failures are left for :func:`deliver_due` at their next time."""
    return services.deliver_one(notification_id)


@task()
def deliver_due() -> dict[str, int]:
    """The retry sweep: every pending message whose next attempt is due."""
    return services.deliver_due()
