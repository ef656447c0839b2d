"""The working calendar, the three rates, and the notification outbox."""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from sihai.cases.metrics import MIN_SAMPLE, CaseFacts, ranking, rates_by_unit, response_rate
from sihai.cases.models import ServiceRequest
from sihai.core.workcalendar import default_calendar
from sihai.notifications import services as outbox
from sihai.notifications.channels import DeliveryError
from sihai.notifications.models import Notification, OutboxMessage

TZ = ZoneInfo("Asia/Shanghai")


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_working_hours_skip_nights_weekends_and_the_spring_festival() -> None:
    calendar = default_calendar()
    # Friday 16:30 + 2 working hours: 17:30 closes, Monday 9:00 + 1 h.
    assert calendar.add_working_hours(_at(2026, 11, 27, 16, 30), 2) == _at(2026, 11, 30, 10, 0)
    # Lunch break: 11:00 + 2 h = 12:00 then 13:30 + 1 h.
    assert calendar.add_working_hours(_at(2026, 11, 30, 11, 0), 2) == _at(2026, 11, 30, 14, 30)
    # Spring Festival 2026 (15–23 Feb) is off; Saturday 14 Feb and 28 Feb are make-up days.
    assert calendar.is_working_day(datetime.date(2026, 2, 14))
    assert not calendar.is_working_day(datetime.date(2026, 2, 16))
    assert calendar.add_working_hours(_at(2026, 2, 14, 17, 0), 1) == _at(2026, 2, 24, 9, 30)
    assert calendar.is_working_day(datetime.date(2025, 9, 28))  # National Day make-up Sunday
    assert not calendar.is_working_day(datetime.date(2025, 10, 8))
    assert calendar.working_hours_between(_at(2026, 11, 30, 9, 0), _at(2026, 12, 1, 9, 0)) == 7.0


def _case(
    unit: str, *, answered: bool, on_time: bool, resolved: bool, rating: int | None
) -> CaseFacts:
    due = _at(2026, 11, 1, 12, 0)
    return CaseFacts(
        unit=unit,
        state="closed" if resolved else "in_progress",
        response_due=due,
        first_response_at=(
            due - datetime.timedelta(hours=1) if on_time else due + datetime.timedelta(hours=3)
        )
        if answered
        else None,
        resolved_at=due if resolved else None,
        rating=rating,
    )


def test_the_three_rates_and_the_minimum_sample_for_ranking() -> None:
    now = _at(2026, 12, 1, 12, 0)
    big = [
        _case(
            "A", answered=True, on_time=n % 10 != 0, resolved=n % 5 != 0, rating=5 if n % 4 else 2
        )
        for n in range(40)
    ]
    small = [_case("B", answered=True, on_time=True, resolved=True, rating=5) for _ in range(3)]
    rows = {r.unit: r for r in rates_by_unit(big + small, now=now)}
    assert (rows["A"].response.numerator, rows["A"].response.denominator) == (36, 40)
    assert (rows["A"].resolution.numerator, rows["A"].resolution.denominator) == (32, 40)
    assert (rows["A"].satisfaction.numerator, rows["A"].satisfaction.denominator) == (30, 40)
    assert rows["B"].response.value == 1.0
    assert not rows["B"].response.rankable
    assert MIN_SAMPLE == 30
    assert [r.unit for _n, r in ranking(rows.values(), rate="response")] == ["A"]
    unanswered_not_due = _case("C", answered=False, on_time=False, resolved=False, rating=None)
    early = _at(2026, 10, 1)
    assert response_rate([unanswered_not_due], now=early).denominator == 0


@pytest.mark.django_db
def test_the_outbox_is_idempotent_retries_with_back_off_and_delivers_once() -> None:
    first = outbox.notify(
        key="k1", channel_name="sms", recipient="+8613900000000", template="t", params={}, body="hi"
    )
    again = outbox.notify(
        key="k1", channel_name="sms", recipient="+8613900000000", template="t", params={}, body="hi"
    )
    assert first is not None
    assert again is not None
    assert first.pk == again.pk
    assert Notification.objects.count() == 1
    now = _at(2026, 12, 1, 9, 0)
    with mock.patch(
        "sihai.notifications.channels.ConsoleChannel.deliver", side_effect=DeliveryError("down")
    ):
        assert outbox.deliver_one(first.pk, now=now) == "retry"
    first.refresh_from_db()
    assert (first.attempts, first.state, first.next_attempt_at) == (
        1,
        "pending",
        now + datetime.timedelta(seconds=30),
    )
    assert outbox.deliver_due(now=now) == {}  # not due yet
    assert outbox.deliver_due(now=now + datetime.timedelta(seconds=31)) == {"sent": 1}
    assert outbox.deliver_one(first.pk) == "nothing to do"  # a second run sends nothing
    assert OutboxMessage.objects.filter(channel="sms").count() == 1


@pytest.mark.django_db
def test_the_sweep_command_runs_both_sweeps_and_queues_one_repeating_chain() -> None:
    import io  # noqa: PLC0415

    from django.core.management import call_command  # noqa: PLC0415

    from sihai.cases.factories import request_in  # noqa: PLC0415

    request = request_in("530102001001")
    ServiceRequest.objects.filter(pk=request.pk).update(
        due_at=_at(2026, 1, 5, 9, 0), response_due=_at(2026, 1, 5, 9, 0)
    )
    out = io.StringIO()
    call_command("cases_sweep", stdout=out)
    assert "escalated 1," in out.getvalue()
    assert ServiceRequest.objects.get(pk=request.pk).escalation_level == 1
