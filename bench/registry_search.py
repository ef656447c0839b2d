"""Registry search latency by ID number, on a database seeded with `seed-demo --scale city`.

Run by bench/seed_city.sh after seeding (or by hand, with DATABASE_URL and
DJANGO_SETTINGS_MODULE=config.settings.demo pointing at a seeded database):

    .venv/bin/python bench/registry_search.py [--lookups 2000]

For ``--lookups`` ID numbers of registered residents (read and decrypted once, outside
the timing), it times ``resident_search_for_actor(actor=..., id_number=...)`` — the
selector behind the workbench search and ``POST /api/v1/residents/search``: digit
folding and GB 11643 check, HMAC-SM3 blind index, one indexed query scoped by the
actor's jurisdiction, decryption of the matches' phone numbers for the masked column
— and the same through the API in-process (Django test client, token auth, JSON),
as the city officer (every match in scope) and as a community worker (almost none
in scope: the same index probe, then the scope filter). Prints p50/p95/p99 and
searches per second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")

import django

django.setup()

from django.test import Client  # noqa: E402

from sihai.accounts.authentication import token_create  # noqa: E402
from sihai.accounts.models import User  # noqa: E402
from sihai.core.identity import mask_phone  # noqa: E402
from sihai.residents.models import Resident  # noqa: E402
from sihai.residents.selectors import resident_search_for_actor  # noqa: E402


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(label: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    total = sum(samples)
    print(
        f"  {label}: n={len(ms)} p50 {_pct(ms, 0.50):.2f} ms, p95 {_pct(ms, 0.95):.2f} ms, "
        f"p99 {_pct(ms, 0.99):.2f} ms, mean {statistics.fmean(ms):.2f} ms, "
        f"{len(ms) / total:,.0f} searches/s (one thread)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    total = Resident.objects.count()
    with_id = Resident.objects.filter(id_number_index__isnull=False).count()
    print(f"  residents: {total:,} ({with_id:,} with an ID number)")
    rng = random.Random(11)
    top = Resident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = sorted({rng.randrange(1, top + 1) for _ in range(args.lookups * 2)})
    ids = [
        r.id_number
        for r in Resident.objects.filter(pk__in=picks, id_number_index__isnull=False).only(
            "id_number"
        )
    ][: args.lookups]
    rng.shuffle(ids)
    print(f"  ID numbers to look up: {len(ids):,} (random registered residents)")
    city = User.objects.get(username="city_officer")
    worker = User.objects.get(username="cuihu_worker")
    for who, actor in (("city_officer", city), ("cuihu_worker", worker)):
        resident_search_for_actor(actor=actor, id_number=ids[0])  # warm caches
        samples, found = [], 0
        for id_number in ids:
            started = time.perf_counter()
            matches = resident_search_for_actor(actor=actor, id_number=id_number)
            masked = [mask_phone(r.phone) for r in matches if r.phone]  # what the page shows
            samples.append(time.perf_counter() - started)
            found += len(matches)
            del masked
        _report(f"selector as {who} ({found:,} matches in scope)", samples)
    token = token_create(user=city, name="bench").plaintext
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    samples = []
    for id_number in ids[:1000]:
        body = json.dumps({"id_number": id_number})
        started = time.perf_counter()
        response = client.post("/api/v1/residents/search", body, content_type="application/json")
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content  # noqa: S101
    _report("POST /api/v1/residents/search in-process as city_officer", samples)


if __name__ == "__main__":
    main()
