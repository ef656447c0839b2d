"""A worker killed (SIGKILL) in the middle of an import leaves whole batches, and resumes.

Real processes against a real database: a fresh SQLite file, and in the PostgreSQL pass
a fresh PostgreSQL database. `sihai db_worker` runs the import; the test kills it once
some batches are committed, checks that what is in the database is exactly a number of
whole batches (residents = consents = sum of the batches, one audit entry per batch,
the resume point after the last one), then `sihai imports resume` and a new worker
finish the job with every valid row imported once.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 6_000
BATCH = "100"


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.demo",
        "DATABASE_URL": database_url,
        "SIHAI_IMPORT_BATCH_ROWS": BATCH,
        "SIHAI_LOG_LEVEL": "WARNING",
    }


def _sihai(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sihai.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _shell(env: dict[str, str], code: str) -> Any:
    out = _sihai(env, "shell", "--no-imports", "-c", code)
    return json.loads(out.strip().splitlines()[-1]) if out.strip() else None


def _scenario(env: dict[str, str], count_batches: Callable[[int], int]) -> None:
    _sihai(env, "migrate", "--verbosity", "0")
    _sihai(env, "load-areas")
    _sihai(env, "seed-demo", "--quiet-personas", "--cap", "0")
    prepared = _shell(
        env, f"from sihai.spreadsheets.tests.scenario import prepare; prepare({ROWS})"
    )
    job, valid = prepared["job"], prepared["valid"]
    _sihai(env, "db_worker", "--batch", "--interval", "0.1")  # the check pass
    _shell(env, f"from sihai.spreadsheets.tests.scenario import start; start({job})")
    report = f"from sihai.spreadsheets.tests.scenario import report; report({job})"

    worker = subprocess.Popen(
        [sys.executable, "-m", "sihai.cli", "db_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while (seen := count_batches(job)) < 3:
            assert worker.poll() is None, "the worker ended before it could be killed"
            assert time.monotonic() < deadline, "no batch committed in time"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    killed = _shell(env, report)
    assert killed["state"] == "importing"
    batches = killed["batches"]
    # Every batch seen committed before the kill is still there (and maybe one more).
    assert seen <= len(batches) < ROWS // int(BATCH), (seen, batches)
    created = sum(b[2] for b in batches)
    # Whole batches only: every resident belongs to a committed batch, with its consent
    # and its batch's audit entry, and the resume point is right after the last batch.
    assert killed["residents"] == killed["rows_imported"] == created
    assert killed["consents"] == created
    assert killed["audited"] == sum(1 for b in batches if b[2])
    assert killed["next_row"] == batches[-1][1] + 1
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(batches))

    resumed = _sihai({**env, "SIHAI_IMPORT_STALE_SECONDS": "0"}, "imports", "resume")
    assert f"resumed import {job} from row {killed['next_row']}" in resumed
    _sihai(env, "db_worker", "--batch", "--interval", "0.1")
    done = _shell(env, report)
    assert done["state"] == "done"
    assert done["residents"] == done["rows_imported"] == done["distinct_ids"] == valid
    assert done["consents"] == valid
    assert done["batches"][: len(batches)] == batches  # nothing committed was redone


def test_a_killed_worker_on_sqlite_leaves_whole_batches_and_resumes(tmp_path: Path) -> None:
    database = tmp_path / "kill.sqlite3"

    def count(job: int) -> int:
        """Batches of this job committed so far (the demo seed has an import of its own)."""
        if not database.exists():
            return 0
        with closing(sqlite3.connect(database, timeout=5)) as connection:
            try:
                query = "SELECT count(*) FROM spreadsheets_importbatch WHERE job_id = ?"
                return int(connection.execute(query, (job,)).fetchone()[0])
            except sqlite3.OperationalError:
                return 0

    _scenario(_env(f"sqlite:///{database}"), count)


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    import psycopg  # noqa: PLC0415

    base = urlsplit(os.environ["DATABASE_URL"])
    name = f"sihai_kill_{uuid.uuid4().hex[:8]}"
    admin = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the PostgreSQL pass",
)
def test_a_killed_worker_on_postgresql_leaves_whole_batches_and_resumes(
    fresh_postgres: str,
) -> None:
    import psycopg  # noqa: PLC0415

    def count(job: int) -> int:
        with psycopg.connect(fresh_postgres) as connection:
            try:
                row = connection.execute(
                    "SELECT count(*) FROM spreadsheets_importbatch WHERE job_id = %s", (job,)
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                return 0
        return int(row[0]) if row else 0

    _scenario(_env(fresh_postgres), count)
