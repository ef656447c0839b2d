"""Register import: rows/s end to end against the raw parse rate of the same file, peak memory.

    .venv/bin/python bench/import_register.py [--rows 100000] [--db sqlite|postgres|both]

1. A synthetic register of ``--rows`` people (``sihai.residents.imports.sample_register``,
   deterministic, plus its ten bad rows) is written to a temporary .xlsx.
2. **Raw parse**: a fresh process reads every row of it with openpyxl in ``read_only`` mode
   (``values_only``), nothing else: rows/s and its peak RSS.
3. **End to end**, on a fresh SQLite file and/or a fresh PostgreSQL database (migrated, areas
   loaded, demo personas seeded): a fresh process as ``cuihu_worker`` uploads the file
   (encrypted at rest), maps the suggested columns, runs the check pass and the import pass
   (validation, duplicate checks, SM4 encryption, blind indexes, bulk inserts, consents, one
   audit entry per batch, error workbook) exactly as the background task runs them.
   Rows/s = data rows / (check + import) seconds; ratio = that / the raw parse rate.
   Peak RSS of that process (``ru_maxrss``).

Every process, file and database it makes is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")
    import django  # noqa: PLC0415

    django.setup()


def child_generate(path: str, rows: int) -> dict[str, Any]:
    _django()
    from sihai.residents.imports import sample_register  # noqa: PLC0415

    started = time.perf_counter()
    register = sample_register(rows, seed=2026)
    Path(path).write_bytes(register.data)
    return {
        "rows": register.rows,
        "valid": register.valid,
        "bytes": len(register.data),
        "seconds": time.perf_counter() - started,
    }


def child_parse(path: str) -> dict[str, Any]:
    import openpyxl  # noqa: PLC0415

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "maxrss_mb": _maxrss_mb()}


def child_import(path: str) -> dict[str, Any]:
    _django()
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.spreadsheets import engine, services  # noqa: PLC0415
    from sihai.spreadsheets.models import ImportJob  # noqa: PLC0415

    worker = User.objects.get(username="cuihu_worker")
    data = Path(path).read_bytes()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    job, _created = services.job_upload(
        actor=worker, importer_key="residents", file_name="台账.xlsx", data=data
    )
    del data
    services.job_map_as_suggested(actor=worker, job_id=job.pk)
    timings["upload_and_mapping"] = time.perf_counter() - started
    job.refresh_from_db()
    mark = time.perf_counter()
    assert engine.run(job.pk, job.lease) == "finished"  # noqa: S101  (a bench checks its run)
    timings["check"] = time.perf_counter() - mark
    services.job_start(actor=worker, job_id=job.pk, evidence="bench forms")
    job.refresh_from_db()
    mark = time.perf_counter()
    assert engine.run(job.pk, job.lease) == "finished"  # noqa: S101
    timings["import"] = time.perf_counter() - mark
    job = ImportJob.objects.get(pk=job.pk)
    return {
        **timings,
        "rows": job.rows_done,
        "imported": job.rows_imported,
        "invalid": job.rows_invalid,
        "batches": job.batches.count(),
        "maxrss_mb": _maxrss_mb(),
    }


def _child(kind: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = subprocess.run(
        [PYTHON, __file__, "--child", kind, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{result.stderr[-4000:]}")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def _sihai(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "sihai"), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        timeout=900,
    )


def _prepare(url: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.demo",
        "DATABASE_URL": url,
        "SIHAI_LOG_LEVEL": "WARNING",
    }
    _sihai(env, "migrate", "--verbosity", "0")
    _sihai(env, "load-areas")
    _sihai(env, "seed-demo", "--quiet-personas", "--cap", "0")
    return env


def _end_to_end(label: str, url: str, path: str, raw_rate: float) -> dict[str, Any]:
    env = _prepare(url)
    result = _child("import", path, env=env)
    busy = result["check"] + result["import"]
    result["db"] = label
    result["rows_per_s"] = result["rows"] / busy
    result["import_rows_per_s"] = result["rows"] / result["import"]
    result["ratio"] = result["rows_per_s"] / raw_rate
    return result


def _postgres(pg_url: str) -> tuple[str, Any]:
    import psycopg  # noqa: PLC0415

    base = urlsplit(pg_url)
    name = f"sihai_bench_import_{uuid.uuid4().hex[:8]}"
    admin = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base._replace(path=f"/{name}").geturl(), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, *args = options.child
        if kind == "generate":
            print(json.dumps(child_generate(args[0], int(args[1]))))
        elif kind == "parse":
            print(json.dumps(child_parse(args[0])))
        else:
            print(json.dumps(child_import(args[0])))
        return
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as work:
        path = str(Path(work) / "register.xlsx")
        made = _child("generate", path, str(options.rows))
        print(
            f"register: {made['rows']:,} data rows ({made['valid']:,} valid), "
            f"{made['bytes'] / 1e6:.1f} MB, generated in {made['seconds']:.1f} s"
        )
        raw = _child("parse", path)
        raw_rate = raw["rows"] / raw["seconds"]
        print(
            f"raw parse (openpyxl read_only, values only): {raw['rows']:,} rows in "
            f"{raw['seconds']:.1f} s = {raw_rate:,.0f} rows/s, peak RSS {raw['maxrss_mb']:.0f} MB"
        )
        results = []
        if options.db in ("sqlite", "both"):
            results.append(_end_to_end("SQLite", f"sqlite:///{work}/bench.sqlite3", path, raw_rate))
        if options.db in ("postgres", "both"):
            url, drop = _postgres(options.pg_url)
            try:
                results.append(_end_to_end("PostgreSQL", url, path, raw_rate))
            finally:
                drop()
    print()
    print(
        "| database | check pass | import pass | rows/s end to end (check + import) "
        "| ratio to raw parse | import pass rows/s | imported | batches | peak RSS |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['db']} | {r['check']:.1f} s | {r['import']:.1f} s | {r['rows_per_s']:,.0f} | "
            f"{r['ratio']:.2f} | {r['import_rows_per_s']:,.0f} | {r['imported']:,} | "
            f"{r['batches']} | {r['maxrss_mb']:.0f} MB |"
        )
    load_after = os.getloadavg()
    print()
    print(
        f"machine: {os.cpu_count()} cores; load average before {load_before[0]:.2f} "
        f"{load_before[1]:.2f} {load_before[2]:.2f}, after {load_after[0]:.2f} "
        f"{load_after[1]:.2f} {load_after[2]:.2f}"
    )


if __name__ == "__main__":
    main()
