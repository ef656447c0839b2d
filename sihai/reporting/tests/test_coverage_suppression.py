"""The directory's coverage API publishes residents' counts through the one suppression rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.authentication import token_create
from sihai.accounts.models import User
from sihai.residents.factories import resident_in

CUIHU = "530102001001"
CUIHU_EAST = "530102001002"

pytestmark = pytest.mark.django_db


def test_small_counts_are_null_and_cannot_be_subtracted(persona: Callable[[str], User]) -> None:
    for _ in range(3):
        resident_in(CUIHU)
    for _ in range(30):
        resident_in(CUIHU_EAST)
    token = token_create(user=persona("huashan_officer"), name="t").plaintext
    report = (
        Client()
        .get(
            "/api/v1/directory/coverage?kind=insurance_point", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        .json()
    )
    by_code = {c["code"]: c["residents"] for c in report["communities"]}
    assert by_code[CUIHU] is None
    # 33 in the subdistrict is published, so the 30 must be hidden as well.
    assert by_code[CUIHU_EAST] is None
    assert report["total"]["residents"] == 33
    assert all(n == 0 for code, n in by_code.items() if code not in {CUIHU, CUIHU_EAST})
