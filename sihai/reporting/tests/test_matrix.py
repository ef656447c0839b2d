"""Every persona × (own area, the area above, a sibling) on every insight page: 200 or 404.

The same rules, ready for ``tests/test_authorization_matrix.py`` at the merge:
``INSIGHT = BROWSERS - {"sysadmin"}``; a dashboard, export or reports page answers 302 to
visitors, 200 when the area lies in the persona's area, else 404.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.reporting.models import DailyRollup, MonthlyReport

pytestmark = pytest.mark.django_db

OWN = {
    "city_officer": "5301",
    "wuhua_officer": "530102",
    "panlong_officer": "530103",
    "huashan_officer": "530102001",
    "lianmeng_officer": "530103004",
    "cuihu_worker": "530102001001",
    "xiaoba_worker": "530103004001",
    "edu_wuhua": "530102",
    "insurance_city": "5301",
    "sysadmin": "5301",
    "secadmin": "5301",
    "auditadmin": "5301",
}
SIBLING = {
    "5301": "5301",
    "530102": "530103",
    "530103": "530102",
    "530102001": "530102002",
    "530103004": "530103001",
    "530102001001": "530102001003",
    "530103004001": "530103004002",
}
# 三权分立: the administrators read no figures of the area's people.
INSIGHT = set(OWN) - {"sysadmin", "secadmin", "auditadmin"}
PAGES = ["", "export.csv", "export.xlsx", "reports/"]


def area_for(persona: str, variant: str) -> str:
    own = OWN[persona]
    if variant == "parent":
        return {4: own, 6: own[:4], 9: own[:6], 12: own[:9]}[len(own)]
    if variant == "sibling":
        return SIBLING[own]
    return own


@pytest.mark.parametrize("variant", ["own", "parent", "sibling"])
@pytest.mark.parametrize("username", sorted(OWN))
def test_every_persona_in_every_area(
    persona: Callable[[str], User], username: str, variant: str
) -> None:
    client = Client()
    client.force_login(persona(username))
    code = area_for(username, variant)
    allowed = username in INSIGHT and code.startswith(OWN[username])
    written = (
        DailyRollup.objects.count(),
        MonthlyReport.objects.count(),
        AuditEntry.objects.count(),
    )
    for page in PAGES:
        response = client.get(f"/workbench/insight/{code}/{page}")
        assert response.status_code == (200 if allowed else 404), (username, code, page)
    index = client.get("/workbench/insight/")
    assert index.status_code == (302 if username in INSIGHT else 404)
    written_after = (
        DailyRollup.objects.count(),
        MonthlyReport.objects.count(),
        AuditEntry.objects.count(),
    )
    assert written_after == written


def test_visitors_are_sent_to_sign_in() -> None:
    for page in PAGES:
        response = Client().get(f"/workbench/insight/5301/{page}")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
