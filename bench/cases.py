"""Service requests: POST throughput (portal API, Open311) vs hello-world, inbox first page
as the table grows, and the escalation sweep.

Run from the repository root (``bash bench/cases.sh`` wraps this)::

    .venv/bin/python bench/cases.py [--db sqlite|postgres] [--duration 10] [--rounds 3]
        [--sizes 100000,300000,1000000] [--sweep-open 1000000] [--source worktree|clone]

1. A fresh database (SQLite file in a temporary directory, or a PostgreSQL database created
   and dropped here; ``PG_URL`` picks the server) is migrated and seeded with the demo city.
2. **POST.** Sihai (``gunicorn config.wsgi``, the flags of ``bench/http_rps.py``) and the
   bare hello-world are served on loopback; ``wrk`` POSTs requests through the portal API
   (``/api/v1/cases/mine``, a signed-in resident's session cookie and CSRF token, a fresh
   idempotency key per request) and through Open311 (``/open311/v2/requests.json`` with the
   demo partner's api_key), and GETs hello-world, interleaved, ``--rounds`` times. p95 comes
   from wrk's own latency histogram (a Lua ``done`` hook).
3. **Inbox.** Synthetic request histories (``sihai/cases/synth.py``) are bulk-inserted up to
   each size in ``--sizes``; at each size the first inbox page (50 rows, keyset, earliest
   deadline first) is read 30 times in process for three scopes: the whole city
   (``city_officer``), one community (``cuihu_worker``) and one department in one district
   (``edu_wuhua``); p50/p95 reported.
4. **Sweep.** Open, overdue requests are added until ``--sweep-open`` of them exist, then one
   escalation sweep runs over all of them (wall time), then a second (the idempotent re-run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import http_rps

REPO = Path(__file__).resolve().parent.parent
CSRF = "benchCSRFtoken0123456789abcdefAB"  # 32 alphanumerics: a valid unmasked CSRF secret

PORTAL_LUA = r"""
counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRFToken"] = "%(csrf)s"
wrk.headers["Cookie"] = "%(cookie)s=%(session)s; csrftoken=%(csrf)s"
wrk.headers["Referer"] = "http://127.0.0.1/"
request = function()
  counter = counter + 1
  local body = '{"service":"policy_question","description":"bench","answers":{"topic":"housing"},'
    .. '"idempotency_key":"' .. "%(run)s-" .. tostring(counter) .. "-"
    .. tostring(math.random(1e9)) .. '"}'
  return wrk.format(nil, "/api/v1/cases/mine", nil, body)
end
"""
OPEN311_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "api_key=%(key)s&service_code=facility_broken&address_id=530102001001"
  .. "&description=bench&attribute%%5Bfacility%%5D=ramp"
request = function() return wrk.format(nil, "/open311/v2/requests.json") end
"""
DONE_LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format("P95_US %%d\n", latency:percentile(95)))
end
"""


def wrk(url: str, script: Path | None, args: argparse.Namespace, duration: int) -> dict[str, float]:
    argv = [shutil.which("wrk") or "/usr/bin/wrk", f"-t{args.threads}", f"-c{args.connections}"]
    argv += [f"-d{duration}s", "--latency"]
    if script is not None:
        argv += ["-s", str(script)]
    done = subprocess.run(
        [*argv, url], capture_output=True, text=True, check=True, timeout=duration + 60
    )
    parsed = http_rps.parse_wrk(done.stdout)
    p95 = re.search(r"P95_US (\d+)", done.stdout)
    return {
        "rps": parsed.rps,
        "p50_ms": parsed.p50_ms,
        "p95_ms": int(p95.group(1)) / 1000 if p95 else float("nan"),
        "p99_ms": parsed.p99_ms,
        "errors": parsed.non_2xx_3xx + parsed.socket_errors,
    }


# --- steps run in a child process, with the benchmark database's settings ------------------


def _django() -> None:
    import django  # noqa: PLC0415

    django.setup()


def step_session() -> dict[str, Any]:
    """A signed-in resident (session row) and the demo partner's key."""
    _django()
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415

    from sihai.accounts.models import ResidentAccount  # noqa: PLC0415
    from sihai.accounts.resident_auth import SESSION_KEY  # noqa: PLC0415
    from sihai.open311.seed import DEMO_API_KEY  # noqa: PLC0415
    from sihai.residents.factories import resident_in  # noqa: PLC0415

    account = ResidentAccount.objects.create(phone="+8613999990000", created_via="self")
    resident_in("530102001001", account=account, phone=account.phone)
    store = SessionStore()
    store[SESSION_KEY] = account.pk
    store.create()
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": store.session_key,
        "key": DEMO_API_KEY,
    }


def _grow(target: int, seed: int) -> float:
    import random  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from sihai.cases.models import ServiceRequest  # noqa: PLC0415
    from sihai.cases.seed import category_facts, communities_for  # noqa: PLC0415
    from sihai.cases.synth import histories  # noqa: PLC0415
    from sihai.core.bulk import insert_rows, next_pk  # noqa: PLC0415

    have = ServiceRequest.objects.count()
    if have >= target:
        return 0.0
    started = time.perf_counter()
    stream = (
        row
        for row, _events in histories(
            rng=random.Random(seed),
            count=target - have,
            first_pk=next_pk(ServiceRequest),
            first_number=10_000_000 + have,
            first_event_pk=0,
            communities=communities_for("city"),
            categories=category_facts(),
            now=timezone.now(),
            days=365,
        )
    )
    insert_rows(ServiceRequest, stream, batch=5000)
    return time.perf_counter() - started


def step_inbox(sizes: list[int]) -> list[dict[str, Any]]:
    _django()
    from django.db import connection  # noqa: PLC0415

    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.cases.selectors import inbox_for_actor  # noqa: PLC0415

    actors = {
        u: User.objects.get(username=u) for u in ("city_officer", "cuihu_worker", "edu_wuhua")
    }
    out = []
    for size in sizes:
        grow_s = _grow(size, size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_servicerequest")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        row: dict[str, Any] = {"size": size, "insert_s": round(grow_s, 1)}
        for name, actor in actors.items():
            inbox_for_actor(actor=actor)  # warm
            times = []
            for _ in range(30):
                started = time.perf_counter()
                page = inbox_for_actor(actor=actor)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            row[name] = {
                "rows": len(page.rows),
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            }
        out.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return out


def step_sweep(open_target: int) -> dict[str, Any]:
    _django()
    import datetime  # noqa: PLC0415
    import itertools  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from sihai.cases.models import ServiceCategory, ServiceRequest  # noqa: PLC0415
    from sihai.cases.seed import communities_for  # noqa: PLC0415
    from sihai.cases.services import escalation_sweep  # noqa: PLC0415
    from sihai.cases.states import OPEN_STATES  # noqa: PLC0415
    from sihai.core.bulk import insert_rows, next_pk  # noqa: PLC0415

    now = timezone.now()
    overdue = ServiceRequest.objects.filter(
        state__in=list(OPEN_STATES), due_at__lt=now, escalation_level__lt=3
    ).count()
    started = time.perf_counter()
    missing = max(0, open_target - overdue)
    if missing:
        category = ServiceCategory.objects.get(code="policy_question")
        communities = communities_for("city")
        first = next_pk(ServiceRequest)
        base = now - datetime.timedelta(days=3)

        def rows() -> Any:
            for n in range(missing):
                due = base + datetime.timedelta(seconds=n % 86400)
                yield {
                    "id": first + n,
                    "reference": f"KM-2099-{first + n:08d}",
                    "category_id": category.pk,
                    "category_code": category.code,
                    "state": "in_progress",
                    "channel": "portal",
                    "community_id": communities[n % len(communities)],
                    "description": "bench",
                    "submitted_at": due - datetime.timedelta(days=2),
                    "first_response_at": due - datetime.timedelta(days=1),
                    "response_due": due - datetime.timedelta(days=1),
                    "resolution_due": due,
                    "due_at": due,
                    "idempotency_key": None,
                    "open311_token": None,
                }

        insert_rows(ServiceRequest, itertools.islice(rows(), missing), batch=5000)
    insert_s = time.perf_counter() - started
    total_open_overdue = overdue + missing
    started = time.perf_counter()
    escalated = escalation_sweep(now=now)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = escalation_sweep(now=now)
    second_s = time.perf_counter() - started
    return {
        "open_overdue": total_open_overdue,
        "table_rows": ServiceRequest.objects.count(),
        "insert_s": round(insert_s, 1),
        "escalated": escalated,
        "sweep_s": round(first_s, 1),
        "rerun_escalated": again,
        "rerun_s": round(second_s, 2),
    }


# --- the parent -----------------------------------------------------------------------------


def child(env: dict[str, str], src: Path, *args: str) -> Any:
    done = subprocess.run(
        [str(http_rps.BIN / "python"), str(REPO / "bench" / "cases.py"), *args],
        cwd=src,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=3600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def http_part(
    env: dict[str, str], src: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    facts = child(env, src, "--step", "session")
    portal, o311 = work / "portal.lua", work / "open311.lua"
    portal.write_text(
        PORTAL_LUA % {**facts, "csrf": CSRF, "run": uuid.uuid4().hex[:8]} + DONE_LUA % {}
    )
    o311.write_text(OPEN311_LUA % facts + DONE_LUA % {})
    hello_script = work / "hello.lua"
    hello_script.write_text(DONE_LUA % {})
    hello_env = {
        k: v for k, v in env.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    sihai_port, hello_port = http_rps.free_port(), http_rps.free_port()
    gunicorn = str(http_rps.BIN / "gunicorn")
    runs: dict[str, list[dict[str, float]]] = {"portal_post": [], "open311_post": [], "hello": []}
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
        targets = [
            ("portal_post", f"http://127.0.0.1:{sihai_port}/", portal),
            ("open311_post", f"http://127.0.0.1:{sihai_port}/", o311),
            ("hello", f"http://127.0.0.1:{hello_port}/", hello_script),
        ]
        for _name, url, script in targets:
            wrk(url, script, args, args.warmup)
        for round_no in range(1, args.rounds + 1):
            for name, url, script in targets:
                result = wrk(url, script, args, args.duration)
                runs[name].append(result)
                print(f"round {round_no} {name:<13} {json.dumps(result)}", flush=True)
    summary: dict[str, Any] = {}
    for name, results in runs.items():
        summary[name] = {
            key: round(statistics.median(r[key] for r in results), 2)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
        }
        summary[name]["errors"] = sum(r["errors"] for r in results)
    for name in ("portal_post", "open311_post"):
        summary[name]["ratio_to_hello"] = round(summary[name]["rps"] / summary["hello"]["rps"], 4)
    return summary


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915  (one scenario after another)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--sweep-open", type=int, default=1_000_000)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--source", choices=["clone", "worktree"], default="clone")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--step", choices=["session", "inbox", "sweep"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.step == "session":
        print(json.dumps(step_session()))
        return 0
    if args.step == "inbox":
        print(json.dumps(step_inbox(sizes)))
        return 0
    if args.step == "sweep":
        print(json.dumps(step_sweep(args.sweep_open)))
        return 0
    if not (
        1 <= args.duration <= 60 and 1 <= args.rounds <= 10 and max(sizes, default=0) <= 10_000_000
    ):
        parser.error("--duration 1..60, --rounds 1..10, sizes ≤ 10,000,000 (bounded load)")
    facts = http_rps.machine_facts()
    facts["python"] = platform.python_version()
    facts["db"] = args.db
    out: dict[str, Any] = {"facts": facts}
    with tempfile.TemporaryDirectory(prefix="sihai-cases-") as tmp:
        work = Path(tmp)
        src, facts["sihai"] = http_rps.sihai_source(args.source, work)
        for key, value in facts.items():
            print(f"{key}: {value}", flush=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.demo",
            "PYTHONPATH": str(src),
        }
        pg_db = ""
        if args.db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}?{http_rps.SQLITE_OPTIONS}"
        else:
            pg_db = f"sihai_bench_cases_{uuid.uuid4().hex[:8]}"
            base = args.pg_url.rsplit("/", 1)[0]
            subprocess.run(["psql", args.pg_url, "-qc", f"CREATE DATABASE {pg_db}"], check=True)
            env["DATABASE_URL"] = f"{base}/{pg_db}"
        try:
            started = time.perf_counter()
            http_rps.prepare_database(env, src)
            print(f"database ready in {time.perf_counter() - started:.1f} s", flush=True)
            if not args.skip_http:
                out["post"] = http_part(env, src, work, args)
                print(json.dumps(out["post"], indent=1), flush=True)
            out["inbox"] = child(env, src, "--step", "inbox", "--sizes", args.sizes)
            print(json.dumps(out["inbox"], indent=1), flush=True)
            out["sweep"] = child(env, src, "--step", "sweep", "--sweep-open", str(args.sweep_open))
            print(json.dumps(out["sweep"], indent=1), flush=True)
        finally:
            if pg_db:
                subprocess.run(
                    ["psql", args.pg_url, "-qc", f"DROP DATABASE IF EXISTS {pg_db}"], check=False
                )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
