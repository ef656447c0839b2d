"""The demo's partner system: one Open311 API key, published (make demo prints it)."""

from __future__ import annotations

from django.db import transaction

from sihai.core.seeding import SeedContext, seeder
from sihai.open311.models import ApiKey
from sihai.open311.services import api_key_issue

# Published like the demo password: accepted only because the demo seeded it.
DEMO_PARTNER = "昆明12345热线系统 (demo)"
DEMO_API_KEY = "o311_demo_km12345_partner_key"


@seeder("open311_partner", order=65)
@transaction.atomic
def seed_partner(ctx: SeedContext) -> None:
    if ApiKey.objects.filter(prefix=DEMO_API_KEY[:12]).exists():
        return
    api_key_issue(actor=None, name=DEMO_PARTNER, key=DEMO_API_KEY)
    ctx.note("Open311 partner keys", 1)
