"""Synthetic request histories for the demo city and the benchmarks.

Each request gets a plausible life: submitted, answered (mostly on time), worked on,
sometimes referred or waiting for the resident, resolved, rated and closed — or still
open, some of them overdue and escalated. Rows are plain dicts for
:func:`sihai.core.bulk.insert_rows`; nothing here goes through the services (no audit),
so it is for seeding and benchmarks only.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sihai.cases.measures import elapsed, event_measure
from sihai.cases.states import OPEN_STATES, State
from sihai.core.workcalendar import default_calendar

# How a request's life ends up (weights): most are closed, a realistic tail is open.
OUTCOMES: list[tuple[str, int]] = [
    (State.CLOSED, 44),
    (State.RESOLVED, 10),
    (State.REJECTED, 3),
    (State.IN_PROGRESS, 11),
    (State.ACCEPTED, 8),
    (State.SUBMITTED, 8),
    (State.WAITING, 6),
    (State.REFERRED, 6),
    (State.REOPENED, 4),
]
RATINGS = [5] * 50 + [4] * 25 + [3] * 12 + [2] * 8 + [1] * 5
LEVEL_NAMES = ("community", "subdistrict", "district", "city")
DESCRIPTIONS: dict[str, list[str]] = {
    "policy_question": [
        "外地户籍的孩子在昆明上学需要什么条件？",
        "居住证满一年后可以享受哪些服务？",
    ],
    "application_help": ["想办理居住证，不会填表，能帮忙吗？", "帮我看看公租房的材料齐不齐。"],
    "school_seat": ["孩子明年上小学，需要准备哪些材料？", "转学到五华区的学校怎么办理？"],
    "medical_insurance": ["医保异地就医备案怎么办？", "住院费用报销需要什么材料？"],
    "residence_permit": ["居住证快到期了，在哪里签注？", "首次申领居住证需要租房合同吗？"],
    "employment_help": ["工地拖欠三个月工资，想咨询怎么办。", "想参加电工技能培训。"],
    "rental_housing": ["想申请公租房，外地户籍可以吗？"],
    "dispute": ["和房东因押金发生纠纷，希望社区调解。", "楼上漏水，邻居不愿意修。"],
    "legal_aid": ["被公司辞退没有补偿，想申请法律援助。"],
    "language_help": [
        "办事需要彝语翻译，周三上午可以吗？",
        "I need an interpreter for the hospital visit.",
    ],
    "facility_broken": ["工作站门口的无障碍坡道破损了。", "实践中心卫生间的灯坏了。"],
    "service_point_info": ["服务点电话打不通，开放时间写错了。"],
}


@dataclass(frozen=True)
class CategoryFacts:
    pk: int
    code: str
    private: bool
    response_hours: int
    resolution_hours: int
    department: str
    answers: dict[str, Any]


def _outcome(rng: random.Random) -> str:
    roll = rng.randrange(sum(w for _s, w in OUTCOMES))
    for state, weight in OUTCOMES:
        if roll < weight:
            return state
        roll -= weight
    return State.CLOSED


def histories(  # noqa: PLR0912, PLR0915  (one request's life, told in order)
    *,
    rng: random.Random,
    count: int,
    first_pk: int,
    first_number: int,
    first_event_pk: int,
    communities: list[str],
    categories: list[CategoryFacts],
    now: datetime.datetime,
    days: int = 120,
    accounts: list[int] | None = None,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(request row, its event rows), ``count`` times."""
    calendar = default_calendar()
    year = now.year
    event_pk = first_event_pk
    deadline_cache: dict[tuple[int, int], datetime.datetime] = {}
    for n in range(count):
        category = categories[rng.randrange(len(categories))]
        community = communities[rng.randrange(len(communities))]
        # More recent requests are more common (a growing service).
        age = datetime.timedelta(minutes=int((rng.random() ** 1.6) * days * 24 * 60))
        submitted = (now - age).replace(microsecond=0)
        bucket = int(submitted.timestamp()) // 1800  # deadlines computed per half hour
        key = (bucket, category.response_hours)
        if key not in deadline_cache:
            deadline_cache[key] = calendar.add_working_hours(submitted, category.response_hours)
        response_due = deadline_cache[key]
        key = (bucket, category.resolution_hours)
        if key not in deadline_cache:
            deadline_cache[key] = calendar.add_working_hours(submitted, category.resolution_hours)
        resolution_due = deadline_cache[key]
        state = _outcome(rng)
        events: list[tuple[datetime.datetime, str, str, str, str, bool]] = []

        def at(fraction: float, base: datetime.datetime) -> datetime.datetime:
            moment = base + (now - base) * fraction
            return min(moment, now)

        events.append((submitted, "submitted", "", State.SUBMITTED, "", True))
        first_response = resolved = closed = None
        rating = None
        current = State.SUBMITTED
        if state != State.SUBMITTED:
            late = rng.random() < 0.12
            span = (response_due - submitted) * (
                rng.uniform(1.05, 2.0) if late else rng.uniform(0.05, 0.9)
            )
            first_response = min(submitted + span, now)
            to = State.REJECTED if state == State.REJECTED else State.ACCEPTED
            note = "不属于本平台受理范围，已告知居民拨打12345。" if to == State.REJECTED else ""
            events.append((first_response, "moved", current, to, note, True))
            current = to
            if to == State.REJECTED:
                closed = first_response
        last = first_response or submitted
        if state in {
            State.IN_PROGRESS,
            State.WAITING,
            State.REFERRED,
            State.RESOLVED,
            State.CLOSED,
            State.REOPENED,
        }:
            moment = at(rng.uniform(0.02, 0.2), last)
            events.append((moment, "moved", current, State.IN_PROGRESS, "", True))
            current, last = State.IN_PROGRESS, moment
        if state == State.WAITING:
            moment = at(rng.uniform(0.05, 0.3), last)
            events.append((moment, "moved", current, State.WAITING, "请补充工作证明。", True))
            current, last = State.WAITING, moment
        if state == State.REFERRED:
            moment = at(rng.uniform(0.05, 0.3), last)
            events.append((moment, "referred", current, State.REFERRED, "请协助办理。", True))
            current, last = State.REFERRED, moment
        if state in {State.RESOLVED, State.CLOSED, State.REOPENED}:
            moment = at(rng.uniform(0.1, 0.6), last)
            events.append((moment, "moved", current, State.RESOLVED, "已答复居民。", True))
            current, last, resolved = State.RESOLVED, moment, moment
            if state == State.CLOSED:
                moment = at(rng.uniform(0.05, 0.4), last)
                rating = rng.choice(RATINGS) if rng.random() < 0.8 else None
                kind = "rated" if rating else "moved"
                events.append(
                    (moment, kind, current, State.CLOSED, f"{rating}/5" if rating else "", True)
                )
                current, closed = State.CLOSED, moment
            if state == State.REOPENED:
                moment = at(rng.uniform(0.05, 0.4), last)
                events.append((moment, "moved", current, State.REOPENED, "问题没有解决。", True))
                current, resolved = State.REOPENED, None
        if current in OPEN_STATES:
            due = response_due if current == State.SUBMITTED else resolution_due
        else:
            due = None
        level = 0
        escalated_at = None
        if due is not None and due < now:
            # Overdue: the sweep already took it up one level per missed deadline.
            overdue_days = (now - due).days
            level = min(3, 1 + overdue_days // 5)
            for step in range(level):
                moment = min(due + datetime.timedelta(days=5 * step, hours=1), now)
                events.append((moment, "escalated", "", "", LEVEL_NAMES[step + 1], False))
                escalated_at = moment
            due = (
                calendar.add_working_hours(escalated_at or now, category.response_hours)
                if level < 3
                else due
            )
        row = {
            "id": first_pk + n,
            "reference": f"KM-{year}-{first_number + n:06d}",
            "category_id": category.pk,
            "category_code": category.code,
            "state": current,
            "channel": rng.choice(
                ["portal", "portal", "portal", "anonymous", "counter", "phone", "phone"]
            ),
            "community_id": community,
            "department_code": category.department,
            "escalation_level": level,
            "private": category.private,
            "account_id": accounts[rng.randrange(len(accounts))]
            if accounts and rng.random() < 0.2
            else None,
            "description": rng.choice(DESCRIPTIONS.get(category.code, ["请帮忙。"])),
            "attributes": category.answers,
            "submitted_at": submitted,
            "first_response_at": first_response,
            "resolved_at": resolved,
            "closed_at": closed,
            "response_due": response_due,
            "resolution_due": resolution_due,
            "due_at": due,
            "escalated_at": escalated_at,
            "rating": rating,
            "rated_at": closed if rating else None,
            "rating_comment": "",
            "idempotency_key": None,
            "open311_token": None,
        }
        event_rows = []
        for when, kind, from_state, to_state, note, public in sorted(events, key=lambda e: e[0]):
            event_rows.append(
                {
                    "id": event_pk,
                    "request_id": row["id"],
                    "at": when,
                    "kind": kind,
                    "from_state": from_state,
                    "to_state": to_state,
                    "community_code": community,
                    "category_code": category.code,
                    "actor_label": "system" if kind == "escalated" else "",
                    "note": note,
                    "public": public,
                    "measure": event_measure(
                        kind=kind,
                        to_state=to_state,
                        at=when,
                        first_response=first_response is not None and when == first_response,
                        response_due=response_due,
                        resolution_due=resolution_due,
                        rating=rating if kind == "rated" else None,
                        referral_department=category.department if kind == "referred" else None,
                    ),
                    "elapsed_seconds": elapsed(when, submitted),
                }
            )
            event_pk += 1
        yield row, event_rows
