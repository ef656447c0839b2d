"""Test and seed helpers: registered residents without going through a form.

``resident_with_account`` gives a resident who can act in the portal (their own
``ResidentAccount``); ``resident_in`` a plain record in a community.
"""

from __future__ import annotations

import datetime
import itertools

from sihai.accounts.models import ResidentAccount
from sihai.residents.models import Consent, RegisteredVia, Resident

_phones = itertools.count(13700000000)


def resident_in(community: str, **fields: object) -> Resident:
    """A registered resident of ``community`` with the service-delivery consent."""
    values: dict[str, object] = {
        "name": "测试居民",
        "birth_date": datetime.date(1990, 5, 4),
        "registered_via": RegisteredVia.IMPORT,
        "community_id": community,
    }
    values.update(fields)
    resident = Resident.objects.create(**values)
    Consent.objects.create(
        resident=resident, purpose="service_delivery", channel="counter", evidence="F-0"
    )
    return resident


def resident_with_account(community: str, **fields: object) -> tuple[Resident, ResidentAccount]:
    """A resident registered through their own portal account."""
    phone = f"+86{next(_phones)}"
    account = ResidentAccount.objects.create(phone=phone, created_via="self")
    resident = resident_in(
        community, account=account, phone=phone, registered_via=RegisteredVia.SELF, **fields
    )
    return resident, account
