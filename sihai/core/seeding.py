"""The demo-city generator's registry: each app seeds its own data.

An app declares a ``seed.py`` module with functions decorated by
:func:`seeder`; ``sihai seed-demo`` collects them by module discovery (so a new
app's data joins the demo city without editing the command) and runs them in order. A seeder must
be deterministic (use ``ctx.rng``) and idempotent (a second run reuses what
exists), and should bulk-insert at the city scale.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scale:
    """How much synthetic data to make. Later issues read their own numbers from here."""

    name: str
    # Synthetic staff beyond the personas: one worker per community, one officer per
    # subdistrict and district, one officer per department in each district.
    staff_everywhere: bool
    # Targets for the capabilities that land later (residents, requests…), kept in one place.
    residents: int
    requests: int


SCALES = {
    "demo": Scale("demo", staff_everywhere=False, residents=300, requests=1_000),
    "city": Scale("city", staff_everywhere=True, residents=1_000_000, requests=10_000_000),
}


@dataclass
class SeedContext:
    scale: Scale
    rng: random.Random
    # Where a seeder may report progress (a management command's stdout).
    out: Any
    # What each seeder made, for the summary line: {"staff accounts": 12, ...}.
    made: dict[str, int] = field(default_factory=dict)
    # `--cap N` bounds every bulk table (residents, requests, ...) for a quick run of a
    # scale's shape (tests, a laptop); None = the scale's own numbers.
    cap: int | None = None

    def note(self, what: str, count: int) -> None:
        self.made[what] = self.made.get(what, 0) + count

    def target(self, count: int) -> int:
        """How many rows a bulk seeder should reach: the scale's ``count``, within the cap."""
        return count if self.cap is None else min(count, self.cap)


SeedFunction = Callable[[SeedContext], None]


@dataclass(frozen=True)
class Seeder:
    name: str
    order: int
    run: SeedFunction


_seeders: dict[str, Seeder] = {}


def seeder(name: str, *, order: int) -> Callable[[SeedFunction], SeedFunction]:
    """Register ``func`` as a step of the demo city; lower ``order`` runs first."""

    def decorate(func: SeedFunction) -> SeedFunction:
        _seeders[name] = Seeder(name, order, func)
        return func

    return decorate


def seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda s: (s.order, s.name))
