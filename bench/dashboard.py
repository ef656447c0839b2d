"""Insight figures: the city dashboard from rollups vs a full scan, rollup rebuild, exports.

Run from the repository root, against a **scratch PostgreSQL database** (it is wiped)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_insight \\
      .venv/bin/python bench/dashboard.py [--sizes 100000,1000000] [--renders 30] \\
      [--scan-renders 3] [--export-rows 1000000] [--xlsx-rows 200000]

For each size (cumulative number of events of the residents source; residents are
inserted by one ``INSERT … SELECT generate_series`` with registration times spread
over the last year and 1 % of them moved once):

1. **Rollup rebuild**: wall time of ``rollups_rebuild()`` for every registered source
   and the number of rollup rows it wrote;
2. **City dashboard from rollups**: ``GET /workbench/insight/5301/`` as ``city_officer``
   (Django test client, in process, warm), ``--renders`` times: p50 / p95 / max;
3. **The same page by a full scan**: the same requests inside ``rollups.full_scan()``,
   where every rollup-backed indicator reads its source's exact grouped query over the
   source tables instead of the rollup table: p50 / p95 (``--scan-renders`` times);
4. **Same figures**: the metrics API's JSON for the city and the year, from rollups and
   from the full scan, must be equal (the run stops otherwise).

Then **exports**: ``--export-rows`` synthetic rows through the CSV stream and
``--xlsx-rows`` through the write-only workbook: rows/s and the process's peak RSS
growth (``/proc/self/clear_refs`` resets the high-water mark before each).

Source-agnostic: every registered ``RollupSource`` is rebuilt and every indicator on
the city dashboard is rendered, so after the merge of service requests the same
command measures them as well (generate requests with the cases app's own seeder
first, then run with ``--no-generate``).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import io
import json
import os
import platform
import resource
import statistics
import subprocess
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
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from sihai.accounts.models import User  # noqa: E402
from sihai.reporting import exports, rollups  # noqa: E402
from sihai.reporting.models import DailyRollup, MonthlyRollup  # noqa: E402
from sihai.reporting.registry import sources  # noqa: E402

# What a server process does at start-up (config/wsgi.py), the garbage collector's tuning
# included: the renders below run in this process through the test client.
importlib.import_module("config.wsgi")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def prepare() -> None:
    """Migrate, load the area tree and the personas into the scratch database, empty."""
    call_command("migrate", verbosity=0)
    call_command("load_areas", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE residents_residencechange, residents_consent, residents_deletionrequest,"
            " residents_householdmember, residents_resident, reporting_dailyrollup,"
            " reporting_monthlyrollup, cases_requestevent, cases_referral, cases_servicerequest,"
            " reporting_rollupwatermark, reporting_monthlyreport RESTART IDENTITY CASCADE"
        )
    import random  # noqa: PLC0415

    from sihai.accounts.seed import seed_personas  # noqa: PLC0415
    from sihai.core.seeding import SCALES, SeedContext  # noqa: PLC0415

    seed_personas(SeedContext(SCALES["demo"], random.Random(1), io.StringIO()))


def generate(upto: int) -> float:
    """Residents up to ``upto`` rows (1 % moved once); returns seconds."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM residents_resident")
        have = cursor.fetchone()[0]
        if have >= upto:
            return 0.0
        cursor.execute(
            """
            WITH c AS (SELECT array_agg(code ORDER BY code) AS codes
                       FROM areas_administrativearea WHERE level = 'village')
            INSERT INTO residents_resident (id, created_at, updated_at, name, name_normalised,
                gender, birth_date, origin_code, address, occupation, languages, needs,
                registered_via, community_id)
            SELECT g,
                   now() - make_interval(days => ((g * 7) %% 365)::int, hours => (g %% 24)::int),
                   now(),
                   '', '', 'unstated', DATE '1990-01-01', '53', '', 'other', '[]', '[]',
                   'import', c.codes[1 + (g * 7919) %% array_length(c.codes, 1)]
            FROM generate_series(%s::bigint, %s::bigint) AS g, c
            """,
            [have + 1, upto],
        )
        cursor.execute(
            """
            WITH c AS (SELECT array_agg(code ORDER BY code) AS codes
                       FROM areas_administrativearea WHERE level = 'village')
            INSERT INTO residents_residencechange (resident_id, from_community_id,
                to_community_id, moved_on, recorded_at)
            SELECT r.id, r.community_id, c.codes[1 + (r.id * 104729) %% array_length(c.codes, 1)],
                   (r.created_at + interval '20 days')::date, now()
            FROM residents_resident r, c WHERE r.id > %s AND r.id %% 100 = 0
            """,
            [have],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('residents_resident', 'id'), %s)", [upto]
        )
        cursor.execute("ANALYZE residents_resident; ANALYZE residents_residencechange")
    return time.perf_counter() - started


def render_times(client: Client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    return times


def _synthetic(n: int) -> Any:
    for i in range(n):
        yield [
            "residents.registered",
            "Residents registered",
            "people",
            "2026-11",
            f"5301{i:08d}",
            "社区",
            "",
            "",
            float(i % 97),
            f"{i % 97}",
            "",
        ]


def export_child(kind: str, rows: int) -> None:
    """In a fresh process: one export, then its wall time and peak RSS as JSON."""
    started = time.perf_counter()
    size = 0
    if kind == "csv":
        for line in exports.csv_stream(exports.headers(), _synthetic(rows)):
            size += len(line.encode())
    else:
        handle = exports.xlsx_file(None, title="bench", rows=_synthetic(rows))
        size = handle.seek(0, 2)
        handle.close()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "kind": kind,
                "rows": rows,
                "seconds": round(seconds, 1),
                "rows_per_s": round(rows / seconds),
                "mb": round(size / 1e6, 1),
                "peak_rss_mb": round(peak, 1),
            }
        )
    )


def export_figures(rows: int, xlsx_rows: int) -> dict[str, Any]:
    """Each export at a small and the full size, in fresh processes: peak RSS side by side."""
    out: dict[str, Any] = {}
    for kind, full in (("csv", rows), ("xlsx", xlsx_rows)):
        for n in (10_000, full):
            done = subprocess.run(
                [sys.executable, __file__, "--export-child", kind, str(n)],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            out[f"{kind}_{n}"] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def generate_requests(upto: int, seed: int = 2026) -> float:
    """Service requests up to ``upto`` rows, each with its timeline (the cases synthesiser)."""
    import random  # noqa: PLC0415

    from sihai.cases.models import RequestEvent, ServiceRequest  # noqa: PLC0415
    from sihai.cases.seed import category_facts, communities_for  # noqa: PLC0415
    from sihai.cases.synth import histories  # noqa: PLC0415
    from sihai.core.bulk import insert_rows, next_pk  # noqa: PLC0415

    have = ServiceRequest.objects.count()
    if have >= upto:
        return 0.0
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []

    def flush() -> None:  # requests first, then their timelines (foreign keys)
        insert_rows(ServiceRequest, iter(rows), batch=5000)
        insert_rows(RequestEvent, iter(events), batch=5000)
        rows.clear()
        events.clear()

    for row, timeline in histories(
        rng=random.Random(seed + have),
        count=upto - have,
        first_pk=next_pk(ServiceRequest),
        first_number=10_000_000 + have,
        first_event_pk=next_pk(RequestEvent),
        communities=communities_for("city"),
        categories=category_facts(),
        now=timezone.now(),
        days=365,
    ):
        rows.append(row)
        events.extend(timeline)
        if len(rows) >= 5000:
            flush()
    flush()
    return time.perf_counter() - started


def _copy_columns(model: Any, span: int, *, request_span: int = 0) -> tuple[str, str]:
    """Column list and SELECT list that copy ``model``'s template rows as copy ``k``.

    Ids move by ``k * span``; times move back by ``k % 600`` minutes; the community moves
    ``k`` places along the list of communities (``cmap``), so that the copies spread
    over the city instead of piling onto the template's cells.
    """
    shifted = {
        "submitted_at", "first_response_at", "resolved_at", "closed_at", "response_due",
        "resolution_due", "due_at", "escalated_at", "rated_at", "created_at", "updated_at",
        "reminded_at", "at",
    }  # fmt: skip
    columns, values = [], []
    for f in model._meta.concrete_fields:
        column = connection.ops.quote_name(f.column)
        columns.append(column)
        if f.column == "id":
            values.append(f"t.id + k * {span}")
        elif f.column == "request_id":
            values.append(f"t.request_id + k * {request_span}")
        elif f.column == "reference":
            values.append(f"'B' || (t.id + k * {span})::text")
        elif f.column in {"idempotency_key", "open311_token"}:
            values.append("NULL")
        elif f.column in {"community_id", "community_code"}:
            values.append("c2.code")
        elif f.column in shifted:
            values.append(f"t.{column} - make_interval(mins => (k % 600))")
        else:
            values.append(f"t.{column}")
    return ", ".join(columns), ", ".join(values)


def copy_requests(upto: int, template: int = 50_000, seed: int = 2026) -> dict[str, float]:
    """Requests up to ``upto`` by copying a synthesised template inside PostgreSQL.

    The synthesiser (``generate_requests``) makes ``template`` requests with their
    timelines; then each copy ``k`` is one ``INSERT … SELECT`` of the template's
    requests and one of their timeline entries (ids, times and communities moved as
    ``_copy_columns`` says). Foreign-key triggers are off for the copy
    (``session_replication_role = replica``): the copied ids are consistent by
    construction. Returns the seconds of each step.
    """
    from sihai.cases.models import RequestEvent, ServiceRequest  # noqa: PLC0415

    out: dict[str, float] = {}
    if ServiceRequest.objects.count() == 0:
        out["template_s"] = round(generate_requests(template, seed), 1)
    if ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first() != template:
        sys.exit("the copy needs the template alone in a fresh database")
    events = RequestEvent.objects.filter(request_id__lte=template).order_by("-pk")
    event_span = int(events.values_list("pk", flat=True).first() or 0)
    have = ServiceRequest.objects.count()
    first, last = have // template, upto // template - 1
    started = time.perf_counter()
    request_cols, request_values = _copy_columns(ServiceRequest, template)
    event_cols, event_values = _copy_columns(RequestEvent, event_span, request_span=template)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "CREATE TEMP TABLE cmap AS SELECT code, (row_number() OVER (ORDER BY code)) - 1 AS i"
            " FROM areas_administrativearea WHERE level = 'village'"
        )
        cursor.execute("SELECT count(*) FROM cmap")
        n = cursor.fetchone()[0]
        for k in range(first, last + 1):
            cursor.execute(
                f"INSERT INTO cases_servicerequest ({request_cols}) "  # noqa: S608 (model names)
                f"SELECT {request_values} FROM cases_servicerequest t "
                "JOIN cmap c1 ON c1.code = t.community_id "
                f"JOIN cmap c2 ON c2.i = (c1.i + {k}) % {n} "
                f"CROSS JOIN (SELECT {k} AS k) kk WHERE t.id <= {template}"
            )
            cursor.execute(
                f"INSERT INTO cases_requestevent ({event_cols}) "  # noqa: S608 (model names)
                f"SELECT {event_values} FROM cases_requestevent t "
                "JOIN cmap c1 ON c1.code = t.community_code "
                f"JOIN cmap c2 ON c2.i = (c1.i + {k}) % {n} "
                f"CROSS JOIN (SELECT {k} AS k) kk WHERE t.id <= {event_span}"
            )
            if k % 20 == 0:
                print(f"copy {k}/{last}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for table, column in (("cases_servicerequest", "id"), ("cases_requestevent", "id")):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"  # noqa: S608
                f" (SELECT max(id) FROM {table}))"
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("DROP TABLE cmap")
        cursor.execute("ANALYZE cases_servicerequest; ANALYZE cases_requestevent")
    out["copy_s"] = round(time.perf_counter() - started, 1)
    out["requests"] = ServiceRequest.objects.count()
    out["events"] = RequestEvent.objects.count()
    return out


def measure(
    size: int,
    *,
    officer: User,
    client: Client,
    year: str,
    args: argparse.Namespace,
    requests: int = 0,
) -> dict[str, Any]:
    """One size: generate, rebuild, render from rollups and by full scan, compare figures."""
    row: dict[str, Any] = {"events": size, "requests": requests}
    if not args.no_generate:
        row["generate_s"] = round(generate(size), 1)
        if requests and args.copy_template:
            row["copy_requests"] = copy_requests(requests, args.copy_template)
        elif requests:
            row["generate_requests_s"] = round(generate_requests(requests), 1)
    if args.generate_only:
        return row
    if not args.no_rebuild:
        started = time.perf_counter()
        rebuilt = rollups.rollups_rebuild()
        row["rebuild_s"] = round(time.perf_counter() - started, 2)
        row["rebuild_rows"] = {r.source: r.events for r in rebuilt}
    row["rollup_rows"] = DailyRollup.objects.count()
    row["monthly_rollup_rows"] = {
        str(d["digits"]): d["n"]
        for d in MonthlyRollup.objects.values("digits").annotate(n=Count("id")).order_by("digits")
    }
    row["timeline_entries"] = _count("cases_requestevent")
    url = "/workbench/insight/5301/"
    render_times(client, url, 2)  # warm: coverage cache, template loading
    # Built on every render (no reuse): what the first viewer after a rollup update waits.
    with override_settings(SIHAI_DASHBOARD_CACHE_SECONDS=0):
        cpu = time.process_time()
        cold = render_times(client, url, args.renders)
        row["built_each_time_ms"] = _summary(cold, time.process_time() - cpu)
    # As deployed: a built dashboard is reused while the watermarks stand still.
    cpu = time.process_time()
    fast = render_times(client, url, args.renders)
    row["rollups_ms"] = _summary(fast, time.process_time() - cpu)
    # The same two over real HTTP, from a gunicorn worker (what a browser waits for).
    row["http_built_each_time_ms"] = http_render_times(officer, args.renders, cache_seconds=0)
    row["http_reused_ms"] = http_render_times(officer, args.renders, cache_seconds=60)
    from sihai.accounts.authentication import token_create  # noqa: PLC0415

    token = token_create(user=officer, name=f"bench-{size}").plaintext
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    if args.no_scan:
        row["load"] = os.getloadavg()
        return row
    fast_figures, slow_figures = _scan(row, client, api_client, year, args)
    row["same_figures"] = fast_figures == slow_figures
    row["load"] = os.getloadavg()
    if not row["same_figures"]:
        print(json.dumps(row, indent=2))
        sys.exit("rollups and full scan disagree")
    return row


def _scan(
    row: dict[str, Any], client: Client, api_client: Client, year: str, args: argparse.Namespace
) -> tuple[Any, Any]:
    """The full scan's time (into ``row``) and the figures both ways, to compare."""
    url = "/workbench/insight/5301/"
    api = "/api/v1/metrics/areas/5301"
    if args.scan_via_api:
        # The same figures (the current month, every indicator) computed both ways through
        # the metrics API: the full scan is timed once and its answer compared.
        with override_settings(SIHAI_DASHBOARD_CACHE_SECONDS=0):
            started = time.perf_counter()
            fast_figures = api_client.get(api).json()
            row["api_from_rollups_ms"] = round((time.perf_counter() - started) * 1000, 1)
        started = time.perf_counter()
        with rollups.full_scan():
            slow_figures = api_client.get(api).json()
        row["full_scan_ms"] = {"api_once": round((time.perf_counter() - started) * 1000, 1)}
        row["speed_up_p95"] = round(
            row["full_scan_ms"]["api_once"] / row["built_each_time_ms"]["p95"], 1
        )
    else:
        with rollups.full_scan():
            slow = render_times(client, url, args.scan_renders)
        row["full_scan_ms"] = {
            "p50": round(statistics.median(slow), 1),
            "p95": round(percentile(slow, 0.95), 1),
        }
        row["speed_up_p95"] = round(
            row["full_scan_ms"]["p95"] / row["built_each_time_ms"]["p95"], 1
        )
        fast_figures = api_client.get(api, {"period": year}).json()
        with rollups.full_scan():
            slow_figures = api_client.get(api, {"period": year}).json()
    return fast_figures, slow_figures


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_render_times(
    officer: User, n: int, *, cache_seconds: float, warm: int = 5
) -> dict[str, float]:
    """The city dashboard over real HTTP: ``gunicorn config.wsgi`` (one worker, one thread)
    on a free loopback port, this database, signed in as ``officer`` (a session made by the
    test client's ``force_login``), ``n`` GETs after ``warm`` to warm up. The server is stopped
    (its process group) at the end."""
    import signal  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    session = Client()
    session.force_login(officer)
    cookie = f"sessionid={session.cookies['sessionid'].value}"
    port = _free_port()
    env = {**os.environ, "SIHAI_DASHBOARD_CACHE_SECONDS": str(cache_seconds)}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/workbench/insight/5301/"
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "en"})
    try:
        for _ in range(100):  # up to 10 s to start
            try:
                urllib.request.urlopen(request, timeout=30).read()
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(warm):  # a serving process is warm (psycopg prepares after 5 uses)
            urllib.request.urlopen(request, timeout=30).read()
        times = []
        for _ in range(n):
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                if response.status != 200:
                    sys.exit(f"{url} answered {response.status}")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(percentile(times, 0.95), 1),
        "max": round(max(times), 1),
    }


def _summary(times: list[float], cpu_seconds: float) -> dict[str, float]:
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(percentile(times, 0.95), 1),
        "max": round(max(times), 1),
        "python_cpu_per_render": round(cpu_seconds * 1000 / len(times), 1),
    }


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a fixed name)
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--scan-renders", type=int, default=3)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--no-generate", action="store_true")
    # Service requests (with their timelines) to have at each size, e.g. 100000,1000000.
    parser.add_argument("--requests", default="")
    # Make the requests by copying a synthesised template of this many inside PostgreSQL
    # (10 million requests in minutes instead of hours); see copy_requests.
    parser.add_argument("--copy-template", type=int, default=0)
    # Only fill the scratch database (measure later with --no-generate).
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-exports", action="store_true")
    # Measure the database as it is (rollups already rebuilt).
    parser.add_argument("--no-rebuild", action="store_true")
    # Time the full scan once, through the metrics API (at 10 M requests a scan takes minutes).
    parser.add_argument("--scan-via-api", action="store_true")
    # Renders only (the full scan was measured in an earlier run on the same data).
    parser.add_argument("--no-scan", action="store_true")
    # Only the two HTTP measurements, on the database as it is.
    parser.add_argument("--http-only", action="store_true")
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--export-child", nargs=2, metavar=("KIND", "ROWS"), default=None)
    args = parser.parse_args()
    if args.export_child:
        export_child(args.export_child[0], int(args.export_child[1]))
        return
    if args.http_only:
        setup_test_environment()
        officer = User.objects.get(username="city_officer")
        print(
            json.dumps(
                {
                    "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "load_before": os.getloadavg(),
                    "http_built_each_time_ms": http_render_times(
                        officer, args.renders, cache_seconds=0
                    ),
                    "http_reused_ms": http_render_times(officer, args.renders, cache_seconds=60),
                    "load_after": os.getloadavg(),
                }
            )
        )
        return
    if args.export_only:
        print(json.dumps(export_figures(args.export_rows, args.xlsx_rows), indent=2))
        return
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a scratch PostgreSQL database")
    setup_test_environment()
    if not args.no_generate:
        prepare()
    officer = User.objects.get(username="city_officer")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    year = f"{timezone.localdate():%Y}"
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            check=False,
            text=True,
            cwd=REPO,
        ).stdout.strip(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "load_before": os.getloadavg(),
        "sources": [s.name for s in sources()],
        "sizes": [],
    }
    sizes = [int(s) for s in args.sizes.split(",")] if not args.no_generate else [0]
    wanted = [int(n) for n in args.requests.split(",")] if args.requests else [0] * len(sizes)
    for size, requests in zip(sizes, wanted, strict=True):
        row = measure(size, officer=officer, client=client, year=year, args=args, requests=requests)
        results["sizes"].append(row)
        print(json.dumps(row), flush=True)
    if not (args.no_exports or args.generate_only):
        results["exports"] = export_figures(args.export_rows, args.xlsx_rows)
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
