"""The outbox: write a notification with the change, deliver it later, retry with back-off."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from sihai.notifications.channels import CHANNELS, DeliveryError, channel
from sihai.notifications.models import DeliveryState, Notification

# Seconds to wait after the n-th failed attempt; then the message is given up (FAILED).
BACKOFF = (30, 120, 600, 3600, 6 * 3600)


def notify(
    *, key: str, channel_name: str, recipient: str, template: str, params: dict[str, str], body: str
) -> Notification | None:
    """Queue one message (inside the caller's transaction); the same ``key`` twice is one.

    The delivery task is enqueued in the same transaction (django-tasks database
    backend), so it exists exactly when the change does.
    """
    if channel_name not in CHANNELS or not recipient:
        return None
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                key=key,
                channel=channel_name,
                recipient=recipient,
                template=template,
                params=params,
                body=body,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return Notification.objects.filter(key=key).first()
    from sihai.notifications.tasks import deliver  # noqa: PLC0415  (tasks import this module)

    transaction.on_commit(lambda: deliver.enqueue(note.pk))
    return note


def deliver_one(notification_id: int, *, now: datetime.datetime | None = None) -> str:
    """Try one pending message now; records success, or schedules the next attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, state=DeliveryState.PENDING)
            .first()
        )
        if note is None:
            return "nothing to do"  # delivered already, or given up: safe to run twice
        try:
            note.provider_id = channel(note.channel).deliver(
                recipient=note.recipient, template=note.template, params=note.params, body=note.body
            )[:100]
        except DeliveryError as exc:
            note.attempts += 1
            note.last_error = str(exc)[:300]
            if note.attempts > len(BACKOFF):
                note.state = DeliveryState.FAILED
            else:
                note.next_attempt_at = now + datetime.timedelta(seconds=BACKOFF[note.attempts - 1])
            note.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return "retry" if note.state == DeliveryState.PENDING else "failed"
        note.attempts += 1
        note.state, note.sent_at = DeliveryState.SENT, now
        note.save(update_fields=["attempts", "state", "sent_at", "provider_id"])
        return "sent"


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Every pending message whose time has come (the retry sweep; safe to run twice)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    due = Notification.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:limit]
    for pk in list(due):
        outcome = deliver_one(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
