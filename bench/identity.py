"""Issue "Identity and accountability" figures, measured in-process on a seeded demo database.

* staff sign-ins per second with the password hasher production uses (PBKDF2, Django's
  default cost), one process and one per core;
* the per-request cost of the jurisdiction check and of an access-log write: requests/s
  of the same workbench page with and without each (Django test client, no network);
* encrypt + decrypt throughput of the encrypted field: SM4-GCM and AES-256-GCM, values/s.

Run through bench/identity.sh, which prepares the database and settings.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from sihai.accounts import authentication as auth  # noqa: E402
from sihai.accounts.backends import DEMO_PASSWORD  # noqa: E402
from sihai.accounts.models import User  # noqa: E402
from sihai.areas import policies as area_policies  # noqa: E402
from sihai.audit import services as audit  # noqa: E402
from sihai.core import crypto  # noqa: E402


def rate(func: Callable[[], object], *, seconds: float) -> float:
    """Calls per second of ``func`` over about ``seconds`` (after one warm-up call)."""
    func()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        func()
        count += 1
    return count / (time.perf_counter() - started)


def login_once() -> None:
    user = auth.check_password_step(None, "wuhua_officer", DEMO_PASSWORD)
    assert user.username == "wuhua_officer"  # noqa: S101


def login_worker(seconds: float) -> float:
    django.db.connections.close_all()
    return rate(login_once, seconds=seconds)


def page_rate(path: str, *, seconds: float, patch: Callable[[], Any] | None = None) -> float:
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="wuhua_officer"))

    def get() -> None:
        if patch is not None:
            patch()
        response = client.get(path)
        assert response.status_code == 200, response.status_code  # noqa: S101

    return rate(get, seconds=seconds)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    results: dict[str, Any] = {"hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]}
    # The demo password was hashed by the seed with the configured hasher; make sure of its cost.
    User.objects.filter(username="wuhua_officer").update(password=make_password(DEMO_PASSWORD))

    results["logins_per_s_1_process"] = round(rate(login_once, seconds=seconds), 1)
    cores = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        per_process = pool.map(login_worker, [seconds] * cores)
    results["logins_per_s_all_cores"] = round(sum(per_process), 1)
    results["cores"] = cores

    page = "/workbench/areas/530102/"
    with_scope = [page_rate(page, seconds=seconds) for _ in range(3)]
    originals = (area_policies.can_browse, area_policies.browse_roots)
    area_policies.can_browse = lambda actor, code: True  # type: ignore[assignment]
    try:
        without_scope = [page_rate(page, seconds=seconds) for _ in range(3)]
    finally:
        area_policies.can_browse, area_policies.browse_roots = originals
    results["area_page_rps_with_scope_check"] = round(statistics.median(with_scope), 1)
    results["area_page_rps_without_scope_check"] = round(statistics.median(without_scope), 1)

    subject = User.objects.get(username="cuihu_worker")
    actor = User.objects.get(username="wuhua_officer")

    def write_access() -> None:
        audit.access(actor=actor, subject=subject, purpose="bench", fields=["display_name"])

    with_log = [page_rate(page, seconds=seconds, patch=write_access) for _ in range(3)]
    results["area_page_rps_with_access_log_write"] = round(statistics.median(with_log), 1)
    results["access_log_writes_per_s"] = round(rate(write_access, seconds=seconds), 1)

    value = "+8613912345678"
    for key_id in ("demo1", "demo2"):
        key = crypto.keyring().keys[key_id]

        def round_trip(key: crypto.FieldKey = key) -> None:
            token = crypto.encrypt(value, context="bench.column", key=key)
            crypto.decrypt(token, context="bench.column")

        results[f"{key.algorithm}_encrypt_decrypt_per_s"] = round(
            rate(round_trip, seconds=seconds), 0
        )
    results["blind_index_per_s"] = round(
        rate(lambda: crypto.blind_index(value, purpose="bench"), seconds=seconds), 0
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    with override_settings(SIHAI_STAFF_2FA="admins"):
        main()
