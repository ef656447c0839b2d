"""Service directory figures: nearest-point queries, city-wide coverage, placement.

Run from the repository root (``bash bench/directory.sh`` wraps this)::

    .venv/bin/python bench/directory.py [--duration 10] [--rounds 3] [--city-db FILE]

1. **Nearest point, in process.** A fresh SQLite database (demo settings, ``seed-demo --scale
   demo``) is filled up to 1,000 published points; ``selectors.nearest`` is then called for
   ``--queries`` random origins in the city's centre and random needs: p50/p95 latency and
   queries per second (one thread, warm).
2. **Nearest point over HTTP.** Sihai (``gunicorn config.wsgi``) and the bare hello-world of
   ``bench/hello/`` are served with the flags of ``bench/http_rps.py``; ``wrk`` POSTs random
   ``/api/v1/directory/nearest`` bodies (a Lua script) to Sihai and GETs hello-world ``/``, in
   interleaved rounds; the median requests/s of each and their ratio.
3. **Coverage of the whole city** at ``--scale city`` (1,738 communities, 1,000,000 registered
   residents, 306 points): wall time of ``coverage(roots=["5301"])`` for all eight kinds (first
   call and median of 5), the Python heap peak during the call (tracemalloc) and the process's
   peak RSS. ``--city-db`` reuses an already seeded city database; otherwise one is seeded
   (several minutes: a million residents with encrypted identifiers).
4. **Placement of 10 new points** (medical-insurance points and workstations, city-wide):
   greedy and exact (HiGHS), covered residents and solve time of each.

Everything runs on 127.0.0.1 with bounded durations; servers run in their own process groups
and are stopped by group id; the temporary directory is removed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import http_rps  # noqa: E402  (the foundation's machinery: servers, wrk parsing, facts)

NEEDS = ["medical_insurance", "registration_help", "school_place", "health_care", "employment"]
LUA = """
math.randomseed(20261201)
local needs = {"medical_insurance", "registration_help", "school_place",
               "health_care", "employment"}
request = function()
  local lat = 24.95 + math.random() * 0.20
  local lon = 102.60 + math.random() * 0.25
  local body = string.format(
    '{"need":"%s","latitude":%.5f,"longitude":%.5f,"limit":10}',
    needs[math.random(#needs)], lat, lon)
  return wrk.format("POST", "/api/v1/directory/nearest",
    {["Content-Type"] = "application/json"}, body)
end
"""


def _django() -> None:
    import django  # noqa: PLC0415

    django.setup()


def fill_points(target: int) -> int:
    """Add published points (all kinds in turn, near random communities) up to ``target``."""
    _django()
    from sihai.accounts.models import Department  # noqa: PLC0415
    from sihai.areas.models import AdministrativeArea  # noqa: PLC0415
    from sihai.directory.catalogue import KIND_DEPARTMENT, NEED_KINDS, Kind  # noqa: PLC0415
    from sihai.directory.centroids import synthetic_centroid  # noqa: PLC0415
    from sihai.directory.models import (  # noqa: PLC0415
        Location,
        Organization,
        Schedule,
        Service,
        ServiceAtLocation,
    )
    from sihai.directory.services import DEPARTMENT_SUFFIX, NEED_SERVICE  # noqa: PLC0415

    rng = random.Random(5)
    have = Location.objects.filter(published=True).count()
    codes = list(AdministrativeArea.objects.filter(level="village").values_list("code", flat=True))
    organizations: dict[str, Organization] = {}
    for kind in Kind.values:
        department = Department.objects.get(code=KIND_DEPARTMENT[kind])
        organization, _ = Organization.objects.get_or_create(
            name=f"基准测试{DEPARTMENT_SUFFIX[department.code]}",
            defaults={"area_id": "5301", "department": department},
        )
        organizations[kind] = organization
        for need, kinds in NEED_KINDS.items():
            if kind in kinds:
                Service.objects.get_or_create(
                    organization=organization, need=need, defaults={"name": NEED_SERVICE[need][0]}
                )
    services = {
        s.need: s for s in Service.objects.filter(organization__name__startswith="基准测试")
    }
    every_kind = list(Kind.values)
    new = []
    for n in range(max(0, target - have)):
        kind = every_kind[n % len(every_kind)]
        code = rng.choice(codes)
        lat, lon = synthetic_centroid(code)
        new.append(
            Location(
                organization=organizations[kind],
                name=f"基准点 {n}",
                kind=kind,
                area_id=code,
                latitude=lat + rng.uniform(-0.003, 0.003),
                longitude=lon + rng.uniform(-0.003, 0.003),
                published=True,
            )
        )
    Location.objects.bulk_create(new, batch_size=500)
    Schedule.objects.bulk_create(
        [
            Schedule(
                location=loc,
                weekdays=[1, 2, 3, 4, 5],
                opens_at=datetime.time(9, 0),
                closes_at=datetime.time(17, 0),
            )
            for loc in new
        ],
        batch_size=500,
    )
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=services[need], location=loc)
            for loc in new
            for need, kinds in NEED_KINDS.items()
            if loc.kind in kinds
        ],
        batch_size=500,
    )
    return Location.objects.filter(published=True).count()


def measure_nearest(queries: int) -> dict[str, float]:
    _django()
    from sihai.directory import selectors  # noqa: PLC0415
    from sihai.directory.models import Location  # noqa: PLC0415

    rng = random.Random(11)
    points = Location.objects.filter(published=True).count()
    origins = [
        (24.95 + rng.random() * 0.20, 102.60 + rng.random() * 0.25, rng.choice(NEEDS))
        for _ in range(queries)
    ]
    for lat, lon, need in origins[:50]:  # warm-up
        selectors.nearest(latitude=lat, longitude=lon, need=need, limit=10)
    timings = []
    started = time.perf_counter()
    for lat, lon, need in origins:
        t0 = time.perf_counter()
        selectors.nearest(latitude=lat, longitude=lon, need=need, limit=10)
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "points": points,
        "queries": queries,
        "p50_ms": timings[len(timings) // 2],
        "p95_ms": timings[int(len(timings) * 0.95)],
        "qps": queries / elapsed,
    }


def measure_coverage() -> dict[str, Any]:
    import resource  # noqa: PLC0415
    import tracemalloc  # noqa: PLC0415

    _django()
    from sihai.directory.coverage import coverage  # noqa: PLC0415
    from sihai.directory.models import Location  # noqa: PLC0415
    from sihai.directory.placement import placement  # noqa: PLC0415
    from sihai.residents.models import Resident  # noqa: PLC0415

    facts: dict[str, Any] = {
        "residents": Resident.objects.count(),
        "points": Location.objects.filter(published=True).count(),
    }
    tracemalloc.start()
    t0 = time.perf_counter()
    report = coverage(roots=["5301"])
    facts["first_call_s"] = time.perf_counter() - t0
    facts["heap_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        report = coverage(roots=["5301"])
        runs.append(time.perf_counter() - t0)
    facts["median_s"] = statistics.median(runs)
    facts["communities"] = len(report.communities)
    facts["kinds"] = {
        kind: {
            "points": k.points,
            "communities_covered": k.total.covered_communities,
            "residents_covered": k.total.covered_residents,
            "residents": k.total.residents,
        }
        for kind, k in report.kinds.items()
    }
    facts["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    facts["placement"] = {}
    for kind in ("insurance_point", "workstation"):
        result = placement(kind=kind, budget=10, roots=["5301"])
        facts["placement"][kind] = {
            "candidates": result.candidates,
            "uncovered": result.uncovered,
            "greedy_covered": result.greedy.covered_residents,
            "greedy_s": result.greedy.seconds,
            "exact_covered": result.exact.covered_residents,
            "exact_s": result.exact.seconds,
            "exact_status": result.exact.status,
            "gap_percent": result.gap_percent,
        }
    return facts


def _child(env: dict[str, str], src: Path, *args: str) -> Any:
    done = subprocess.run(
        [str(http_rps.BIN / "python"), str(REPO / "bench" / "directory.py"), *args],
        cwd=src,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_wrk_script(url: str, script: Path | None, args: argparse.Namespace) -> http_rps.WrkResult:
    argv = [shutil.which("wrk") or "/usr/bin/wrk", f"-t{args.threads}", f"-c{args.connections}"]
    argv += [f"-d{args.duration}s", "--latency"]
    if script is not None:
        argv += ["-s", str(script)]
    done = subprocess.run(
        [*argv, url], capture_output=True, text=True, check=True, timeout=args.duration + 60
    )
    return http_rps.parse_wrk(done.stdout)


def http_ratio(
    env: dict[str, str], src: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    script = work / "nearest.lua"
    script.write_text(LUA)
    hello_env = {
        k: v for k, v in env.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    sihai_port, hello_port = http_rps.free_port(), http_rps.free_port()
    gunicorn = str(http_rps.BIN / "gunicorn")
    results: dict[str, list[http_rps.WrkResult]] = {"nearest": [], "hello": []}
    with (
        (work / "sihai.log").open("wb") as sihai_log,
        (work / "hello.log").open("wb") as hello_log,
        http_rps.serving(
            [
                gunicorn,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{sihai_port}",
                *http_rps.GUNICORN_FLAGS,
            ],
            cwd=src,
            env=env,
            ready_url=f"http://127.0.0.1:{sihai_port}/readyz",
            log=sihai_log,
        ),
        http_rps.serving(
            [
                gunicorn,
                "hello:application",
                "--bind",
                f"127.0.0.1:{hello_port}",
                *http_rps.GUNICORN_FLAGS,
            ],
            cwd=http_rps.HELLO_DIR,
            env=hello_env,
            ready_url=f"http://127.0.0.1:{hello_port}/",
            log=hello_log,
        ),
    ):
        nearest_url = f"http://127.0.0.1:{sihai_port}/"
        hello_url = f"http://127.0.0.1:{hello_port}/"
        warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
        run_wrk_script(nearest_url, script, warm)
        run_wrk_script(hello_url, None, warm)
        for round_no in range(1, args.rounds + 1):
            for name, url, lua in (("nearest", nearest_url, script), ("hello", hello_url, None)):
                result = run_wrk_script(url, lua, args)
                results[name].append(result)
                print(
                    f"round {round_no} {name:<8} {result.rps:9.1f} rps p50 {result.p50_ms:.2f} ms "
                    f"p99 {result.p99_ms:.2f} ms non-2xx {result.non_2xx_3xx} "
                    f"socket errors {result.socket_errors}",
                    flush=True,
                )
    summary: dict[str, Any] = {}
    for name, runs in results.items():
        summary[name] = {
            "rps": statistics.median(r.rps for r in runs),
            "p50_ms": statistics.median(r.p50_ms for r in runs),
            "p99_ms": statistics.median(r.p99_ms for r in runs),
            "errors": sum(r.non_2xx_3xx + r.socket_errors for r in runs),
        }
    summary["ratio"] = summary["nearest"]["rps"] / summary["hello"]["rps"]
    return summary


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915  (one scenario after another)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--queries", type=int, default=2000, help="in-process nearest queries")
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--city-db", type=Path, help="an SQLite file seeded with --scale city")
    parser.add_argument("--source", choices=["clone", "worktree"], default="clone")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--json", type=Path)
    # Internal steps, run in a child process with the benchmark's database settings.
    parser.add_argument("--step", choices=["fill", "nearest", "coverage"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "fill":
        print(json.dumps({"points": fill_points(args.points)}))
        return 0
    if args.step == "nearest":
        print(json.dumps(measure_nearest(args.queries)))
        return 0
    if args.step == "coverage":
        print(json.dumps(measure_coverage()))
        return 0
    if not (1 <= args.duration <= 60 and 1 <= args.rounds <= 10 and args.queries <= 20000):
        parser.error("--duration 1..60, --rounds 1..10, --queries ≤ 20000 (bounded load)")

    facts = http_rps.machine_facts()
    facts["python"] = platform.python_version()
    out: dict[str, Any] = {"facts": facts}
    with tempfile.TemporaryDirectory(prefix="sihai-directory-") as tmp:
        work = Path(tmp)
        src, facts["sihai"] = http_rps.sihai_source(args.source, work)
        for key, value in facts.items():
            print(f"{key}: {value}")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.demo",
            "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}?{http_rps.SQLITE_OPTIONS}",
            "PYTHONPATH": str(src),
        }
        print("preparing the demo database…", flush=True)
        http_rps.prepare_database(env, src)
        out["fill"] = _child(env, src, "--step", "fill", "--points", str(args.points))
        out["nearest"] = _child(env, src, "--step", "nearest", "--queries", str(args.queries))
        print(f"nearest in process: {out['nearest']}", flush=True)
        if not args.skip_http:
            out["http"] = http_ratio(env, src, work, args)
            print(f"nearest over HTTP: {out['http']}", flush=True)
        city_db = args.city_db
        if city_db is None:
            city_db = work / "city.sqlite3"
            city_env = {**env, "DATABASE_URL": f"sqlite:///{city_db}?{http_rps.SQLITE_OPTIONS}"}
            print("seeding the city (--scale city: a million residents; minutes)…", flush=True)
            started = time.perf_counter()
            sihai = str(http_rps.BIN / "sihai")
            for step in (
                [sihai, "migrate", "--verbosity", "0"],
                [sihai, "load-areas"],
                [sihai, "seed-demo", "--scale", "city", "--quiet-personas"],
            ):
                subprocess.run(
                    step, cwd=src, env=city_env, check=True, timeout=3600, stdout=subprocess.DEVNULL
                )
            out["city_seed_s"] = time.perf_counter() - started
        city_env = {**env, "DATABASE_URL": f"sqlite:///{city_db}?{http_rps.SQLITE_OPTIONS}"}
        out["coverage"] = _child(city_env, src, "--step", "coverage")
        print(
            f"coverage and placement: {json.dumps(out['coverage'], ensure_ascii=False)}", flush=True
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
