"""Eligibility figures: pre-check latency for a household, and rule throughput city-wide.

Run from the repository root, against a seeded database (``seed-demo``)::

    DATABASE_URL=postgres://... DJANGO_SETTINGS_MODULE=config.settings.local \
        .venv/bin/python bench/eligibility.py [--calls 500] [--residents 1000000]

1. **Pre-check for a household, in process.** ``selectors.precheck(resident)`` for residents
   who have a household (a child or more) and the demo applicants, ``--calls`` times (random
   order, warm): p50/p95/max in milliseconds. This is what the portal page and the counter
   page call (queries for the facts, the household, held documents and the five types).
2. **Rule evaluation over a city.** ``--residents`` synthetic residents (default 1,000,000)
   are generated in memory in batches (ages, months in the city, insurance, housing, work,
   contributions, permit, 0–2 children with ages) with a fixed seed; the five shipped types'
   compiled conditions (``rules.compile_rule``, the same closures the pre-check uses) are
   evaluated for each resident (each child for the school seat), and the residents who
   "might be eligible for at least one service but have not applied" for it are counted
   (3% of each type drawn as "already applied"). Generation time is excluded: only
   evaluation is timed. Evaluations/s counts one resident (or child) against one type.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django  # noqa: PLC0415

    django.setup()


def precheck_latency(calls: int) -> dict[str, Any]:
    from sihai.applications import selectors  # noqa: PLC0415
    from sihai.applications.models import Application  # noqa: PLC0415
    from sihai.residents.models import Resident  # noqa: PLC0415

    ids = set(
        Resident.objects.filter(members__isnull=False, erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    ids |= set(Application.objects.values_list("resident_id", flat=True))
    residents = list(Resident.objects.filter(pk__in=ids))
    if not residents:
        msg = "no households: run seed-demo first"
        raise SystemExit(msg)
    rng = random.Random(7)
    for resident in residents[:5]:  # warm the compiled-rule cache and the connection
        selectors.precheck(resident)
    times = []
    for _ in range(calls):
        resident = rng.choice(residents)
        start = time.perf_counter()
        verdicts = selectors.precheck(resident)
        times.append((time.perf_counter() - start) * 1000)
        assert verdicts  # noqa: S101
    times.sort()
    return {
        "households": len(residents),
        "calls": calls,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
        "max_ms": round(times[-1], 2),
    }


def page_latency(calls: int) -> dict[str, Any]:
    """The portal page ``/me/applications/`` for signed-in residents with households, through
    Django's whole stack in process (middleware, session, selectors, template), no network."""
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import setup_test_environment  # noqa: PLC0415

    from sihai.accounts.resident_auth import SESSION_KEY  # noqa: PLC0415
    from sihai.residents.models import Resident  # noqa: PLC0415

    setup_test_environment()
    accounts = list(
        Resident.objects.filter(account__isnull=False, erased_at__isnull=True)
        .values_list("account_id", flat=True)
        .distinct()
    )
    clients = []
    for account_id in accounts:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        session = client.session
        session[SESSION_KEY] = account_id
        session.save()
        clients.append(client)
    rng = random.Random(11)
    for client in clients:
        client.get("/me/applications/")
    times = []
    for _ in range(calls):
        client = rng.choice(clients)
        start = time.perf_counter()
        response = client.get("/me/applications/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200  # noqa: S101
    times.sort()
    return {
        "residents_with_accounts": len(clients),
        "calls": calls,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
    }


def _batch(rng: random.Random, size: int) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    insurance = ["none", "employee", "resident", "elsewhere"]
    housing = ["own", "renting", "dormitory", "with_family", "none"]
    employment = ["employed", "flexible", "self_employed", "seeking", "none"]
    out = []
    for _ in range(size):
        base = {
            "resident.age": rng.randint(16, 75),
            "resident.residence_months": rng.randint(0, 120),
            "resident.insurance": rng.choice(insurance),
            "resident.housing": rng.choice(housing),
            "resident.employment": rng.choice(employment),
            "resident.social_insurance_months": rng.randint(0, 60),
            "resident.has_residence_permit": rng.random() < 0.4,
            "resident.has_id_number": True,
        }
        kids = [
            {"child.age": rng.randint(0, 17), "child.stage": "primary"}
            for _ in range(rng.choice((0, 0, 1, 1, 2)))
        ]
        base["resident.children"] = len(kids)
        out.append((base, kids))
    return out


def city_throughput(residents: int, batch: int = 100_000) -> dict[str, Any]:
    from sihai.applications import rules  # noqa: PLC0415
    from sihai.applications.catalogue import TYPES  # noqa: PLC0415

    compiled = [
        (
            kind["code"],
            kind["subject"] == "child",
            [rules.compile_rule(c["rule"]) for c in kind["conditions"]],
        )
        for kind in TYPES
    ]
    rng = random.Random(2026)
    evaluations = 0
    might_not_applied = 0
    eligible_by_type = dict.fromkeys([k[0] for k in compiled], 0)
    elapsed = 0.0
    done = 0
    while done < residents:
        size = min(batch, residents - done)
        people = _batch(rng, size)
        applied = [{code for code, _c, _p in compiled if rng.random() < 0.03} for _ in range(size)]
        start = time.perf_counter()
        for (base, kids), has_applied in zip(people, applied, strict=True):
            found = False
            for code, is_child, predicates in compiled:
                subjects = [base | kid for kid in kids] if is_child else [base]
                for facts in subjects:
                    evaluations += 1
                    if all(p(facts) for p in predicates):
                        eligible_by_type[code] += 1
                        if code not in has_applied:
                            found = True
                        break
            might_not_applied += found
        elapsed += time.perf_counter() - start
        done += size
    return {
        "residents": residents,
        "evaluations": evaluations,
        "seconds": round(elapsed, 2),
        "evaluations_per_s": round(evaluations / elapsed),
        "residents_per_s": round(residents / elapsed),
        "might_be_eligible_not_applied": might_not_applied,
        "eligible_by_type": eligible_by_type,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--residents", type=int, default=1_000_000)
    args = parser.parse_args()
    _setup()
    from django.db import connection  # noqa: PLC0415

    print(f"date {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine {platform.machine()} {os.cpu_count()} cpus, load {os.getloadavg()}")
    print(f"database {connection.vendor}")
    print("precheck", precheck_latency(args.calls))
    print("page", page_latency(min(args.calls, 300)))
    print("city", city_throughput(args.residents))


if __name__ == "__main__":
    main()
