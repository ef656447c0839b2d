"""The staff inbox's first page as the request table grows to 10 million rows (PostgreSQL).

Run from the repository root against a **scratch PostgreSQL database** (it is emptied)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inbox \\
      .venv/bin/python bench/inbox_scale.py [--sizes 100000,1000000,10000000] [--template 20000]

``bench/cases.py`` grows the table through the cases synthesiser row by row (about 3,500
rows/s, so ten million would take most of an hour). This script makes ``--template``
synthetic requests that way (every state, realistic deadlines and escalations, spread over
the city's communities), then copies them inside PostgreSQL with
``INSERT … SELECT … CROSS JOIN generate_series`` until each size is reached: each copy gets
a new id and reference and its times shifted by a few minutes, so the deadlines the inbox
sorts by stay spread out. The distribution of states, communities and departments is the
template's. After each size, ``ANALYZE``, then 30 first pages (warm) of
``inbox_for_actor`` for the city officer, a community worker (翠湖西路社区) and the Wuhua
education bureau: p50 / p95, in process (no HTTP).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from sihai.cases.models import ServiceRequest  # noqa: E402


def prepare(template: int) -> None:
    import io  # noqa: PLC0415

    from sihai.accounts.seed import seed_personas  # noqa: PLC0415
    from sihai.cases.seed import category_facts, communities_for  # noqa: PLC0415
    from sihai.cases.synth import histories  # noqa: PLC0415
    from sihai.core.bulk import insert_rows  # noqa: PLC0415
    from sihai.core.seeding import SCALES, SeedContext  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    call_command("load_areas", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_requestevent, cases_referral, cases_servicerequest CASCADE")
    seed_personas(SeedContext(SCALES["demo"], random.Random(1), io.StringIO()))
    rows = (
        row
        for row, _events in histories(
            rng=random.Random(2026),
            count=template,
            first_pk=1,
            first_number=1,
            first_event_pk=1,
            communities=communities_for("city"),
            categories=category_facts(),
            now=timezone.now(),
            days=365,
        )
    )
    insert_rows(ServiceRequest, rows, batch=5000)


def grow(target: int, template: int) -> float:
    """Copies of the template rows until ``target`` rows; returns seconds."""
    have = ServiceRequest.objects.count()
    if have >= target:
        return 0.0
    fields = list(ServiceRequest._meta.concrete_fields)
    shifted = {
        "submitted_at", "first_response_at", "resolved_at", "closed_at", "response_due",
        "resolution_due", "due_at", "escalated_at", "rated_at", "created_at", "updated_at",
    }  # fmt: skip
    columns, values = [], []
    for f in fields:
        column = connection.ops.quote_name(f.column)
        columns.append(column)
        if f.column == "id":
            values.append(f"t.id + k * {template}")
        elif f.column == "reference":
            values.append(f"'B' || (t.id + k * {template})::text")
        elif f.column in {"idempotency_key", "open311_token"}:
            values.append("NULL")
        elif f.column in shifted:
            values.append(f"t.{column} - make_interval(mins => (k % 600))")
        else:
            values.append(f"t.{column}")
    first = have // template
    last = target // template - 1
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO cases_servicerequest ({', '.join(columns)}) "  # noqa: S608 (model names)
            f"SELECT {', '.join(values)} FROM cases_servicerequest t "
            f"CROSS JOIN generate_series({first}, {last}) k WHERE t.id <= {template}"
        )
        cursor.execute("ANALYZE cases_servicerequest")
    return time.perf_counter() - started


def first_pages() -> dict[str, Any]:
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.cases.selectors import inbox_for_actor  # noqa: PLC0415

    out: dict[str, Any] = {}
    for name in ("city_officer", "cuihu_worker", "edu_wuhua"):
        actor = User.objects.get(username=name)
        inbox_for_actor(actor=actor)  # warm
        times = []
        for _ in range(30):
            started = time.perf_counter()
            page = inbox_for_actor(actor=actor)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[name] = {
            "rows": len(page.rows),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--template", type=int, default=20_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a scratch PostgreSQL database")
    started = time.perf_counter()
    prepare(args.template)
    print(json.dumps({"template": args.template, "s": round(time.perf_counter() - started, 1)}))
    for size in [int(s) for s in args.sizes.split(",")]:
        grow_s = grow(size, args.template)
        row = {
            "size": ServiceRequest.objects.count(),
            "insert_s": round(grow_s, 1),
            "load": os.getloadavg(),
            **first_pages(),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
