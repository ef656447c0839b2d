"""Deadlines in working hours, reminders before them, escalation up four levels after them.

Both sweeps are safe to run twice (and by two workers at once): a reminder is sent once
per deadline (``reminded_at``), and an escalation gives the next level a new deadline,
so a second run at the same moment finds nothing overdue.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from sihai.audit import services as audit
from sihai.cases.models import EventKind, RequestEvent, ServiceRequest
from sihai.cases.states import OPEN_STATES
from sihai.core.workcalendar import default_calendar

LEVELS = ("community", "subdistrict", "district", "city")
TOP_LEVEL = len(LEVELS) - 1
REMIND_BEFORE = datetime.timedelta(hours=2)
BATCH = 2000


Row = tuple[int, int, datetime.datetime, str, str, int]


def _batch(now: datetime.datetime, after: tuple[datetime.datetime, int] | None) -> list[Row]:
    qs = ServiceRequest.objects.filter(
        state__in=list(OPEN_STATES), due_at__lt=now, escalation_level__lt=TOP_LEVEL
    )
    if after is not None:
        qs = qs.filter(due_at__gte=after[0]).exclude(due_at=after[0], id__lte=after[1])
    qs = qs.order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    # due_at is never null here (filtered on it), so the rows are ``Row``s.
    rows: list[Row] = list(
        qs.values_list(  # type: ignore[arg-type]
            "id",
            "escalation_level",
            "due_at",
            "community_id",
            "category_code",
            "category__response_hours",
        )[:BATCH]
    )
    return rows


def escalation_sweep(*, now: datetime.datetime | None = None) -> int:
    """Escalate every open request whose deadline passed to the next level, with a new
    deadline (the category's response time, in working hours) for that level.

    Works in batches of 2,000, one transaction each (one summary audit entry per batch);
    returns how many requests were escalated.
    """
    now = now or timezone.now()
    calendar = default_calendar()
    total = 0
    after: tuple[datetime.datetime, int] | None = None
    deadlines: dict[int, datetime.datetime] = {}
    while True:
        with transaction.atomic():
            rows = _batch(now, after)
            if not rows:
                break
            after = (rows[-1][2], rows[-1][0])
            by_hours: dict[int, list[int]] = defaultdict(list)
            for pk, _level, _due, _community, _category, hours in rows:
                by_hours[hours].append(pk)
            for hours, ids in by_hours.items():
                if hours not in deadlines:
                    deadlines[hours] = calendar.add_working_hours(now, hours)
                ServiceRequest.objects.filter(pk__in=ids, due_at__lt=now).update(
                    escalation_level=F("escalation_level") + 1,
                    escalated_at=now,
                    due_at=deadlines[hours],
                    reminded_at=None,
                )
            RequestEvent.objects.bulk_create(
                [
                    RequestEvent(
                        request_id=pk,
                        at=now,
                        kind=EventKind.ESCALATED,
                        community_code=community,
                        category_code=category,
                        actor_label="system",
                        note=LEVELS[level + 1],
                        public=False,
                    )
                    for pk, level, _due, community, category, _hours in rows
                ],
                batch_size=1000,
            )
            audit.record(
                actor=None,
                action="cases.escalated",
                target_type="cases.servicerequest",
                target_id=f"{rows[0][0]}…{rows[-1][0]}",
                changes={
                    "count": len(rows),
                    "ids": [r[0] for r in rows][:50],
                    "at": now.isoformat(),
                },
            )
            total += len(rows)
    return total


@transaction.atomic
def reminder_sweep(*, now: datetime.datetime | None = None) -> int:
    """Mark (and tell the assignee of) open requests due within two hours; once per deadline."""
    from sihai.notifications import services as outbox  # noqa: PLC0415

    now = now or timezone.now()
    soon = ServiceRequest.objects.filter(
        state__in=list(OPEN_STATES),
        due_at__gte=now,
        due_at__lt=now + REMIND_BEFORE,
        reminded_at__isnull=True,
    ).select_related("assignee")[:5000]
    count = 0
    for request in soon:
        request.reminded_at = now
        request.save(update_fields=["reminded_at"])
        RequestEvent.objects.create(
            request=request,
            at=now,
            kind=EventKind.REMINDED,
            community_code=request.community_id,
            category_code=request.category_code,
            actor_label="system",
            public=False,
        )
        if request.assignee is not None and request.assignee.email:
            outbox.notify(
                key=f"case:{request.pk}:remind:{request.due_at:%Y%m%d%H%M}",
                channel_name="email",
                recipient=request.assignee.email,
                template="case_due_soon",
                params={"ref": request.reference},
                body=f"{request.reference}: {timezone.localtime(request.due_at):%Y-%m-%d %H:%M}",
            )
        count += 1
    return count
