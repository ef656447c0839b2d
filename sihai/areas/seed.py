"""The demo city's areas: the real Kunming tree, loaded from the shipped NBS file."""

from sihai.areas.services import areas_load_file
from sihai.core.seeding import SeedContext, seeder


@seeder("areas", order=0)
def seed_areas(ctx: SeedContext) -> None:
    report = areas_load_file()
    ctx.note("areas created", report.created)
