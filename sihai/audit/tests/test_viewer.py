from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client

from sihai.accounts.models import User
from sihai.audit import services as audit

pytestmark = pytest.mark.django_db


def _entries(persona: Callable[[str], User]) -> None:
    with transaction.atomic():
        audit.record(
            actor=persona("secadmin"),
            action="accounts.role_granted",
            area_code="530102",
            changes={"role": "x"},
        )
        audit.record(actor=persona("secadmin"), action="accounts.role_revoked", area_code="530103")
    audit.access(
        actor=persona("cuihu_worker"),
        subject=persona("xiaoba_worker"),
        purpose="service_delivery",
        fields=["phone"],
    )


def test_the_audit_administrator_searches_the_log(
    client_as: Callable[..., Client], persona: Callable[[str], User]
) -> None:
    _entries(persona)
    client = client_as("auditadmin")
    body = client.get("/workbench/audit/", {"action": "accounts.role_granted"}).content.decode()
    assert "accounts.role_granted" in body
    assert "accounts.role_revoked" not in body
    access = client.get("/workbench/audit/access/", {"actor": "cuihu"}).content.decode()
    assert "service_delivery" in access


def test_a_reversed_date_range_gets_a_clear_error(client_as: Callable[..., Client]) -> None:
    response = client_as("auditadmin").get(
        "/workbench/audit/", {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "开始日期晚于结束日期" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["secadmin", "sysadmin", "city_officer", "cuihu_worker", "insurance_city"]
)
def test_only_the_audit_administrator_reads_the_logs(
    client_as: Callable[..., Client], who: str
) -> None:
    client = client_as(who)
    assert client.get("/workbench/audit/").status_code == 404
    assert client.get("/workbench/audit/access/").status_code == 404
