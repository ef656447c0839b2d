"""Phone numbers of seeded residents never appear in clear in the database's files or dumps.

The demo city is seeded into a fresh database by the real commands, then the raw
SQLite file (with its write-ahead log), or a `pg_dump` of a fresh PostgreSQL
database, is searched for every seeded number in every common spelling.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_PHONES = (
    "import json; from sihai.accounts.models import ResidentAccount; "
    "from sihai.residents.models import Resident; "
    "print(json.dumps([a.phone for a in ResidentAccount.objects.all()] "
    "+ [r.phone for r in Resident.objects.exclude(phone_index=None)]))"
)
PRINT_IDS = (
    "import json; from sihai.residents.models import Resident; "
    "print(json.dumps([r.id_number for r in Resident.objects.exclude(id_number_index=None)]))"
)


def _sihai(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sihai.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def _printed(env: dict[str, str], program: str) -> list[str]:
    values: list[str] = json.loads(
        _sihai(env, "shell", "--no-imports", "-c", program).strip().splitlines()[-1]
    )
    return values


def _seed(env: dict[str, str]) -> list[str]:
    """Seed the demo city; every phone and ID number it holds, as plaintext to look for."""
    _sihai(env, "migrate", "--verbosity", "0")
    _sihai(env, "seed-demo", "--quiet-personas")
    phones, ids = _printed(env, PRINT_PHONES), _printed(env, PRINT_IDS)
    # 40 synthetic accounts and two README residents' accounts; 300 registered residents.
    assert len(phones) >= 340
    assert len(ids) >= 200
    return phones + ids


def _spellings(value: str) -> list[str]:
    if not value.startswith("+86"):  # an ID number, as stored and with a lowercase x
        return [value, value.lower()]
    national = value.removeprefix("+86")
    return [value, national, f"{national[:3]} {national[3:7]} {national[7:]}", f"86{national}"]


def _assert_no_plaintext(blob: bytes, phones: list[str]) -> None:
    for phone in phones:
        for spelling in _spellings(phone):
            assert spelling.encode() not in blob, f"{spelling} found in clear"


def test_the_sqlite_file_holds_no_plaintext_phone_number(tmp_path: Path) -> None:
    database = tmp_path / "dump.sqlite3"
    phones = _seed({"DATABASE_URL": f"sqlite:///{database}"})
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("dump.sqlite3"))
    assert b"accounts_residentaccount" in blob  # we are reading the right file
    _assert_no_plaintext(blob, phones)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the PostgreSQL pass",
)
def test_a_pg_dump_holds_no_plaintext_phone_number() -> None:
    pg_dump, psql = shutil.which("pg_dump"), shutil.which("psql")
    assert pg_dump, "pg_dump is needed for this check"
    assert psql, "psql is needed for this check"
    base = urlsplit(os.environ["DATABASE_URL"])
    name = f"sihai_dump_{uuid.uuid4().hex[:8]}"
    admin = base._replace(path="/postgres").geturl()
    subprocess.run([psql, admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        url = base._replace(path=f"/{name}").geturl()
        phones = _seed({"DATABASE_URL": url})
        dump = subprocess.run([pg_dump, url], check=True, capture_output=True, timeout=120).stdout
        assert b"accounts_residentaccount" in dump
        _assert_no_plaintext(dump, phones)
    finally:
        subprocess.run(
            [psql, admin, "-qc", f"DROP DATABASE IF EXISTS {name}"],
            check=False,
            capture_output=True,
        )
