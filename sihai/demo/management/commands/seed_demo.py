"""`sihai seed-demo --scale demo|city`: the deterministic demo city.

Each app contributes its own step (its ``seed.py``); this command runs them in
order, reports what was made and how long it took, and prints the personas.
Idempotent: a second run reuses what exists.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import autodiscover_modules

from sihai.accounts.backends import DEMO_PASSWORD
from sihai.accounts.seed import DEMO_TOTP_SECRET, PERSONAS
from sihai.core.seeding import SCALES, SeedContext, seeders


class Command(BaseCommand):
    help = "Seed the demo city (synthetic data only). Refused where the demo is disabled."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument(
            "--seed", type=int, default=20260101, help="random seed (same seed, same city)"
        )
        parser.add_argument(
            "--quiet-personas", action="store_true", help="do not print the personas"
        )
        parser.add_argument(
            "--cap",
            type=int,
            default=None,
            help="at most N rows in each bulk table (residents, requests...): a quick run",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SIHAI_DEMO_ENABLED:
            msg = (
                "The demo city is disabled in these settings (SIHAI_DEMO_ENABLED is false): "
                "it would create accounts with a published password."
            )
            raise CommandError(msg)
        autodiscover_modules("seed")
        ctx = SeedContext(
            scale=SCALES[options["scale"]],
            rng=random.Random(options["seed"]),
            out=self.stdout,
            cap=options["cap"],
        )
        started = time.perf_counter()
        for step in seeders():
            step_started = time.perf_counter()
            step.run(ctx)
            self.stdout.write(f"  {step.name}: {time.perf_counter() - step_started:.2f} s")
        made = ", ".join(f"{what} {n}" for what, n in ctx.made.items())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"demo city ({ctx.scale.name}) ready in {elapsed:.1f} s: {made}")
        )
        if not options["quiet_personas"]:
            self._print_personas()

    def _print_personas(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"Demo personas (password for all: {DEMO_PASSWORD}, accepted only by demo settings):"
        )
        for p in PERSONAS:
            dept = f" / {p.department}" if p.department else ""
            self.stdout.write(f"  {p.username:<18} {p.area_code:<13} {p.role.value}{dept}")
        self.stdout.write(
            f"Administrators also need a TOTP code: authenticator key {DEMO_TOTP_SECRET} "
            "(any TOTP app, 6 digits, 30 s)."
        )
        self.stdout.write("Sign in at /accounts/login/ ; the resident portal is at / .")
        from sihai.open311.seed import DEMO_API_KEY, DEMO_PARTNER  # noqa: PLC0415

        self.stdout.write(
            f"Open311 partner system {DEMO_PARTNER}: api_key={DEMO_API_KEY} "
            "(POST /open311/v2/requests.json)."
        )
