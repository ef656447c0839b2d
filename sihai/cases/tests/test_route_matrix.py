"""Every cases and Open311-key route × every persona: the exact status (404 outside scope).

The shared matrix (tests/test_authorization_matrix.py) needs rules for these routes at
merge; this file states them for the cases app.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from sihai.cases.factories import request_in
from sihai.cases.models import ServiceRequest

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
PERSONAS = [
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
CASE_STAFF = {
    "city_officer",
    "wuhua_officer",
    "panlong_officer",
    "huashan_officer",
    "lianmeng_officer",
    "cuihu_worker",
    "xiaoba_worker",
    "edu_wuhua",
    "insurance_city",
}
INTAKE = CASE_STAFF - {"edu_wuhua", "insurance_city"}
SEES_CUIHU = {"city_officer", "wuhua_officer", "huashan_officer", "cuihu_worker"}


@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_gets_exactly_its_status(
    username: str, client_as: Callable[..., Client]
) -> None:
    request = request_in(CUIHU)
    client = client_as(username)
    expected = {
        "/workbench/requests/": 200 if username in CASE_STAFF else 404,
        "/workbench/requests/rates/": 200 if username in CASE_STAFF else 404,
        "/workbench/requests/new/": 200 if username in INTAKE else 404,
        f"/workbench/requests/{request.pk}/": 200 if username in SEES_CUIHU else 404,
        "/workbench/open311-keys/": 200 if username == "secadmin" else 404,
    }
    got = {url: client.get(url).status_code for url in expected}
    assert got == expected
    moved = client.post(f"/workbench/requests/{request.pk}/move", {"to_state": "accepted"})
    assert moved.status_code == (302 if username in SEES_CUIHU else 404)
    state = ServiceRequest.objects.get(pk=request.pk).state
    assert state == ("accepted" if username in SEES_CUIHU else "submitted")


def test_visitors_are_sent_to_sign_in_and_the_portal_is_open(client: Client) -> None:
    assert client.get("/workbench/requests/").status_code == 302
    assert client.get("/requests/").status_code == 200
    assert client.get("/requests/new/policy_question/").status_code == 200
    assert client.get("/requests/new/nothing/").status_code == 404
    assert client.get("/requests/1/").status_code == 302  # sign in first
