"""The demo city's service requests: thousands, in every state, with their timelines.

Demo scale: 3,000 requests over the last 120 days, most in Wuhua and Panlong (where the
personas work); some overdue and escalated, some referred to a department. City scale:
``SCALES["city"].requests`` (10,000,000) through the same generator, in batches.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sihai.accounts.models import ResidentAccount, User
from sihai.areas.models import AdministrativeArea
from sihai.cases.models import (
    ConsentBasis,
    ReferenceCounter,
    Referral,
    RequestEvent,
    ServiceCategory,
    ServiceRequest,
)
from sihai.cases.synth import CategoryFacts, histories
from sihai.core.seeding import SeedContext, seeder

DEMO_MINIMUM = 3_000
BATCH = 5_000
ANSWERS: dict[str, dict[str, Any]] = {
    "policy_question": {"topic": "schooling"},
    "application_help": {"services": ["residence_permit"]},
    "school_seat": {"child_stage": "primary"},
    "medical_insurance": {"matter": "transfer"},
    "residence_permit": {"matter": "new"},
    "employment_help": {"matter": "wages"},
    "dispute": {"kind": "landlord"},
    "language_help": {"language": "yi"},
    "facility_broken": {"facility": "ramp"},
    "service_point_info": {"point_name": "翠湖西路社区一家亲工作站"},
}


def category_facts() -> list[CategoryFacts]:
    return [
        CategoryFacts(
            pk=c.pk,
            code=c.code,
            private=c.private,
            response_hours=c.response_hours,
            resolution_hours=c.resolution_hours,
            department=c.department.code if c.department_id and c.department else "",
            answers=dict(ANSWERS.get(c.code, {})),
        )
        for c in ServiceCategory.objects.select_related("department")
    ]


def communities_for(scale: str) -> list[str]:
    codes = list(AdministrativeArea.objects.filter(level="village").values_list("code", flat=True))
    if scale == "demo":
        near = [c for c in codes if c.startswith(("530102", "530103"))]
        cuihu = ["530102001001", "530103004001"]
        return cuihu * 40 + near * 4 + codes
    return codes


def insert_histories(
    *, rng: random.Random, count: int, communities: list[str], accounts: list[int] | None = None
) -> int:
    """Insert ``count`` synthetic requests with their events; returns how many."""
    from sihai.core.bulk import insert_rows, next_pk  # noqa: PLC0415

    now = timezone.now()
    year = timezone.localtime(now).year
    counter, _ = ReferenceCounter.objects.get_or_create(year=year)
    taken = ServiceRequest.objects.filter(reference__startswith=f"KM-{year}-").count()
    first_number = max(counter.last, taken) + 1
    first_pk, first_event = next_pk(ServiceRequest), next_pk(RequestEvent)
    categories = category_facts()
    made = 0
    stream = histories(
        rng=rng,
        count=count,
        first_pk=first_pk,
        first_number=first_number,
        first_event_pk=first_event,
        communities=communities,
        categories=categories,
        now=now,
        accounts=accounts,
    )
    while made < count:
        rows, events = [], []
        for row, row_events in stream:
            rows.append(row)
            events.extend(row_events)
            if len(rows) >= BATCH:
                break
        if not rows:
            break
        insert_rows(ServiceRequest, rows, batch=BATCH)
        insert_rows(RequestEvent, events, batch=BATCH * 4)
        made += len(rows)
    ReferenceCounter.objects.filter(year=year).update(last=first_number + made - 1)
    return made


@transaction.atomic
def _referrals(ctx: SeedContext) -> int:
    """A pending referral for each referred request (to its department, or to education)."""
    sender = User.objects.filter(username="cuihu_worker").first()
    if sender is None:
        return 0
    todo = ServiceRequest.objects.filter(state="referred").exclude(referrals__isnull=False)
    new = [
        Referral(
            request_id=pk,
            to_area_code=community[:6],
            to_department_code=department or "education",
            purpose="请协助办理并答复居民。",
            shared={"category": category, "description": description},
            consent_basis=ConsentBasis.NOT_PERSONAL,
            created_by=sender,
        )
        for pk, community, department, category, description in todo.values_list(
            "pk", "community_id", "department_code", "category_code", "description"
        )[:20000]
    ]
    Referral.objects.bulk_create(new, batch_size=1000)
    return len(new)


@seeder("requests", order=60)
def seed_requests(ctx: SeedContext) -> None:
    """Requests in every state with realistic timelines (bulk; no audit: synthetic history)."""
    target = ctx.target(max(ctx.scale.requests, DEMO_MINIMUM if ctx.scale.name == "demo" else 0))
    have = ServiceRequest.objects.count()
    if have < target:
        rng = random.Random(f"{ctx.rng.random()}-requests")
        accounts = list(ResidentAccount.objects.values_list("pk", flat=True)[:1000])
        made = insert_histories(
            rng=rng,
            count=target - have,
            communities=communities_for(ctx.scale.name),
            accounts=accounts,
        )
        ctx.note("service requests created", made)
    ctx.note("referrals created", _referrals(ctx))
    top = ServiceRequest.objects.aggregate(top=Max("pk"))["top"]
    if top:
        ctx.out.write(f"  requests: {ServiceRequest.objects.count()} (last id {top})")
