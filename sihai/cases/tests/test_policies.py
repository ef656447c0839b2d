"""Who sees which request: the persona matrix, department routing, referral receivers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sihai.accounts.models import User
from sihai.cases import policies, selectors, services
from sihai.cases.factories import request_in
from sihai.cases.policies import CASE_HANDLE, CASE_VIEW

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
SEES_CUIHU = {"city_officer", "wuhua_officer", "huashan_officer", "cuihu_worker"}
EVERYONE = [
    "city_officer",
    "wuhua_officer",
    "panlong_officer",
    "huashan_officer",
    "lianmeng_officer",
    "cuihu_worker",
    "xiaoba_worker",
    "edu_wuhua",
    "insurance_city",
    "sysadmin",
    "secadmin",
    "auditadmin",
]


@pytest.mark.parametrize("username", EVERYONE)
def test_a_workstation_request_is_seen_only_up_its_area_chain(
    username: str, persona: Callable[[str], User]
) -> None:
    request = request_in(CUIHU)
    actor = persona(username)
    assert policies.can(actor, CASE_VIEW, request) is (username in SEES_CUIHU)
    assert policies.visible_to(actor, CASE_VIEW).filter(pk=request.pk).exists() is (
        username in SEES_CUIHU
    )


def test_a_department_category_reaches_that_departments_officers_only(
    persona: Callable[[str], User],
) -> None:
    request = request_in(CUIHU, category="school_seat")
    assert policies.can(persona("edu_wuhua"), CASE_HANDLE, request)
    assert not policies.can(persona("insurance_city"), CASE_HANDLE, request)
    assert policies.can(persona("cuihu_worker"), CASE_HANDLE, request)  # the workstation too


def test_a_referral_to_another_community_opens_it_to_that_workstation(
    persona: Callable[[str], User],
) -> None:
    request = request_in(CUIHU)
    worker = persona("cuihu_worker")
    xiaoba = persona("xiaoba_worker")
    services.request_transition(actor=worker, request_id=request.pk, to_state="accepted")
    assert not policies.can(xiaoba, CASE_VIEW, request)
    referral = services.referral_create(
        actor=worker,
        request_id=request.pk,
        purpose="居民已搬到小坝",
        fields=["description"],
        to_community_code="530103004001",
    )
    assert policies.can(xiaoba, CASE_VIEW, request)
    assert [r.pk for r in selectors.referrals_to_actor(actor=xiaoba)] == [referral.pk]
    # The subdistrict above Xiaoba sees it but is not the addressee.
    assert not policies.addressed_to(persona("lianmeng_officer"), referral)
    services.referral_decide(
        actor=xiaoba, referral_id=referral.pk, accept=False, reason="不在本社区"
    )
    request.refresh_from_db()
    assert request.state == "in_progress"
    assert not policies.can(xiaoba, CASE_VIEW, request)  # declined: no longer theirs
