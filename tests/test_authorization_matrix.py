"""The authorization matrix: every route × every persona × (own, parent, sibling area).

Routes are read from the URL configuration, so a new route without a rule here
fails the suite. Each rule states the exact status every persona must get; out of
scope must answer exactly like missing (404), never 403, except in the admin site,
whose pages are Django's own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sihai.accounts.authentication import token_create
from sihai.accounts.models import Department, RoleAssignment, User
from sihai.applications import documents as application_documents
from sihai.applications.models import Application, ApplicationPart, ApplicationType, Document
from sihai.areas.models import AdministrativeArea
from sihai.cases.factories import request_in
from sihai.cases.models import ServiceCategory, ServiceRequest
from sihai.directory.models import Closure, Location, Organization, Service, ServiceAtLocation
from sihai.residents.models import Consent, DeletionRequest, HouseholdMember, Resident
from sihai.spreadsheets.models import ImportJob
from sihai.spreadsheets.services import file_store

pytestmark = pytest.mark.django_db

ANON = "anonymous"
PERSONAS = [
    ANON,
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
OWN = {
    ANON: "530102001001",
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
    "5301": "5301",  # the city has no sibling inside this deployment
    "530102": "530103",
    "530103": "530102",
    "530102001": "530102002",
    "530103004": "530103001",
    "530102001001": "530102001003",
    "530103004001": "530103004002",
}
VARIANTS = ("own", "parent", "sibling")
BROWSERS = {p for p in PERSONAS if p not in {ANON, "secadmin", "auditadmin"}}
COUNTER = {"huashan_officer", "lianmeng_officer", "cuihu_worker", "xiaoba_worker"}
RESIDENT_READERS = COUNTER | {"wuhua_officer", "panlong_officer", "city_officer"}
# Deletion requests are decided above the community: subdistrict, district, city.
ERASERS = {
    "huashan_officer",
    "lianmeng_officer",
    "wuhua_officer",
    "panlong_officer",
    "city_officer",
}
# Service points: every level manages its area's points; department officers only their
# department's (the probe points are workstations, run by ethnic and religious affairs).
DEPARTMENT_STAFF = {"edu_wuhua", "insurance_city"}
POINT_MANAGERS = RESIDENT_READERS | DEPARTMENT_STAFF
PLANNERS = {
    "city_officer",
    "wuhua_officer",
    "panlong_officer",
    "huashan_officer",
    "lianmeng_officer",
} | DEPARTMENT_STAFF


def area_for(persona: str, variant: str) -> str:
    own = OWN[persona]
    if variant == "parent":
        return {4: own, 6: own[:4], 9: own[:6], 12: own[:9]}[len(own)]
    if variant == "sibling":
        return SIBLING[own]
    return own


@dataclass
class Case:
    method: str
    url: str
    status: int
    data: dict[str, str] | None = None
    # A request made first with the same client, its answer not checked: e.g. opening a
    # record with a stated purpose before the pages that work on the opened record.
    prime: Case | None = None


@dataclass
class World:
    """Objects the rules point at, made once per test."""

    probes: dict[str, User]
    foreign_token_prefix: str
    department_id: int
    # A registered resident living in (a community under) each area the cases name.
    residents: dict[str, Resident]
    # A pending deletion request of each of those residents.
    deletions: dict[str, DeletionRequest]
    # An import job per (persona, variant): the persona's own in their area if they import,
    # else one of the probe account's there.
    import_jobs: dict[tuple[str, str], int]
    # A service request in each area the cases name, made when a rule first needs it.
    requests: dict[str, ServiceRequest] = field(default_factory=dict)


Rule = Callable[[str, str, World], Case]


def signed_in(persona: str) -> bool:
    return persona != ANON


def scoped(persona: str, code: str) -> bool:
    return persona in BROWSERS and code.startswith(OWN[persona])


ROLE_BY_LENGTH = {
    4: "city_officer",
    6: "district_officer",
    9: "subdistrict_officer",
    12: "community_worker",
}


def in_own_area(persona: str, resident: Resident) -> bool:
    return resident.community_id.startswith(OWN[persona])


def _open_first(w: World, code: str) -> Case:
    """Open the resident's record at the counter (the session remembers the purpose)."""
    return Case(
        "POST", f"/workbench/residents/{w.residents[code].pk}/", 200, {"purpose": "counter_visit"}
    )


def _on_record(path: str, method: str, ok: int, allowed: set[str]) -> Rule:
    """A page that works on an opened record: ``ok`` for allowed staff in scope, else 404."""

    def rule(p: str, v: str, w: World) -> Case:
        code = area_for(p, v)
        resident = w.residents[code]
        status = (
            302 if not signed_in(p) else ok if p in allowed and in_own_area(p, resident) else 404
        )
        url = f"/workbench/residents/{resident.pk}/{path.format(w=w, code=code)}"
        return Case(method, url, status, {}, prime=_open_first(w, code))

    return rule


def fresh_member(w: World, code: str) -> int:
    return HouseholdMember.objects.create(
        resident=w.residents[code],
        relationship="spouse",
        name="配偶",
        birth_date=datetime.date(1990, 1, 1),
    ).pk


def fresh_consent(w: World, code: str) -> int:
    consent, _ = Consent.objects.get_or_create(
        resident=w.residents[code],
        purpose="event_contact",
        withdrawn_at=None,
        defaults={"channel": "counter", "evidence": "F-1"},
    )
    return consent.pk


def probe_role(w: World, code: str) -> int:
    """The probe account's role in ``code`` (given back if an earlier case revoked it)."""
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=w.probes[code], area_id=code, role=ROLE_BY_LENGTH[len(code)]
    )
    return assignment.pk


def _import_job(method: str, suffix: str, ok_status: int) -> Rule:
    """An import job's page: only its owner (a counter role, own area) gets ``ok_status``."""

    def rule(p: str, v: str, w: World) -> Case:
        url = f"/workbench/imports/{w.import_jobs[(p, v)]}/{suffix}"
        mine = p in COUNTER and v == "own"
        return Case(method, url, 302 if not signed_in(p) else ok_status if mine else 404)

    return rule


def _page(url: str, ok: Callable[[str], bool]) -> Rule:
    """A workbench page: 302 to sign in for visitors, 200 if allowed, else 404."""
    return lambda p, v, w: Case("GET", url, 302 if not signed_in(p) else 200 if ok(p) else 404)


def _admin(name: str, p: str, w: World) -> Case:  # noqa: PLR0911, PLR0912  (one branch per kind of page)
    kwargs: dict[str, object] = {}
    model = name.split(":")[1].rsplit("_", 1)[0]
    objects = {
        "accounts_department": w.department_id,
        "accounts_user": w.probes["5301"].pk,
        "areas_administrativearea": "5301",
        "django_tasks_database_dbtaskresult": "00000000-0000-0000-0000-000000000000",
        "auth_group": 1,
        "cases_servicecategory": ServiceCategory.objects.values_list("pk", flat=True).first(),
    }
    if name == "admin:app_list":
        kwargs = {"app_label": "accounts"}
    elif name == "admin:view_on_site":
        kwargs = {"content_type_id": 1, "object_id": 1}
    elif name == "admin:auth_user_password_change":
        kwargs = {"id": w.probes["5301"].pk}
    elif name.endswith(("_change", "_delete", "_history")) and model in objects:
        kwargs = {"object_id": objects[model]}
    url = reverse(name, kwargs=kwargs)
    if name == "admin:login":
        # Through the workbench sign-in (password, second factor, lockout); signed-in staff
        # who are not the system administrator are told "not found" rather than looped.
        return Case("GET", url, 302 if p in {ANON, "sysadmin"} else 404)
    if name == "admin:logout":
        return Case("POST", url, 302)
    if p != "sysadmin":
        # Everyone else is sent to the admin sign-in: the admin site is the operations desk only.
        return Case("GET", url, 302)
    viewable = {
        "accounts_department",
        "areas_administrativearea",
        "django_tasks_database_dbtaskresult",
    }
    if name in {
        "admin:index",
        "admin:jsi18n",
        "admin:password_change_done",
        "admin:app_list",
    }:
        return Case("GET", url, 200)
    if name == "admin:password_change":
        return Case("GET", url, 302)  # through the password service (history, audit, tokens)
    if name == "admin:autocomplete":
        return Case("GET", url, 403)
    if name == "admin:view_on_site":
        return Case("GET", url, 404)
    if name.endswith("_changelist"):
        return Case("GET", url, 200 if model in viewable else 403)
    if name.endswith(("_change", "_history")):
        if model == "django_tasks_database_dbtaskresult":
            return Case("GET", url, 302)  # no such task: back to the list
        return Case("GET", url, 200 if model in viewable else 403)
    # Add, delete, password change of another account: never from the admin site.
    return Case("GET", url, 403)


def probe_point(code: str) -> Location:
    """A published workstation in the first community under ``code`` (made once per test)."""
    community = AdministrativeArea.objects.filter(code__startswith=code, level="village").order_by(
        "code"
    )[0]
    found = Location.objects.filter(area=community, name="probe").first()
    if found is not None:
        return found
    organization, _ = Organization.objects.get_or_create(
        name=f"probe organization {code[:6]}",
        defaults={
            "area_id": code[:6],
            "department": Department.objects.get(code="ethnic_religious"),
        },
    )
    service, _ = Service.objects.get_or_create(
        organization=organization, need="registration_help", defaults={"name": "probe service"}
    )
    location = Location.objects.create(
        organization=organization,
        name="probe",
        kind="workstation",
        area=community,
        latitude=25.04,
        longitude=102.70,
        published=True,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    return location


def manages_point(persona: str, location: Location) -> bool:
    return (
        persona in POINT_MANAGERS
        and persona not in DEPARTMENT_STAFF
        and location.area_id.startswith(OWN[persona])
    )


def _point_page(suffix: str) -> Rule:
    def rule(p: str, v: str, w: World) -> Case:
        location = probe_point(area_for(p, v))
        status = 302 if not signed_in(p) else 200 if manages_point(p, location) else 404
        return Case("GET", f"/workbench/directory/{location.pk}/{suffix}", status)

    return rule


def _closure_remove(p: str, v: str, w: World) -> Case:
    location = probe_point(area_for(p, v))
    closure, _ = Closure.objects.get_or_create(
        location=location,
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 1, 2),
        defaults={"reason": "probe"},
    )
    status = 302 if not signed_in(p) or manages_point(p, location) else 404
    return Case("POST", f"/workbench/directory/{location.pk}/closures/{closure.pk}/remove", status)


def _hsds(url: Callable[[Location], str]) -> Rule:
    return lambda p, v, w: Case("GET", url(probe_point(area_for(p, v))), 200)


# --- service requests (sihai/cases) and Open311 (sihai/open311) ---------------------------------
# Every level handles the requests of its area; department officers see those routed to their
# department (the probe requests are policy questions, routed to the community workstation).
CASE_STAFF = BROWSERS - {"sysadmin"}
CASE_INTAKE = CASE_STAFF - DEPARTMENT_STAFF


def probe_request(w: World, code: str) -> ServiceRequest:
    """A request in (the first community under) ``code``, made through the intake service."""
    if code not in w.requests:
        community = AdministrativeArea.objects.filter(
            code__startswith=code, level="village"
        ).order_by("code")[0]
        w.requests[code] = request_in(community.code)
    return w.requests[code]


def _on_request(suffix: str, method: str, ok: int) -> Rule:
    """A workbench page on one request: ``ok`` for case staff in scope, else 404."""

    def rule(p: str, v: str, w: World) -> Case:
        request = probe_request(w, area_for(p, v))
        allowed = p in CASE_INTAKE and request.community_id.startswith(OWN[p])
        status = 302 if not signed_in(p) else ok if allowed else 404
        data = {"to_state": "accepted"} if suffix == "move" else {}
        return Case(method, f"/workbench/requests/{request.pk}/{suffix}", status, data)

    return rule


CASE_RULES: dict[str, Rule] = {
    "cases:inbox": _page("/workbench/requests/", lambda p: p in CASE_STAFF),
    "cases:rates": _page("/workbench/requests/rates/", lambda p: p in CASE_STAFF),
    "cases:intake": _page("/workbench/requests/new/", lambda p: p in CASE_INTAKE),
    "cases:assign": lambda p, v, w: Case(
        "POST",
        "/workbench/requests/assign",
        302 if not signed_in(p) or p in CASE_STAFF else 404,
        {},
    ),
    "cases:detail": _on_request("", "GET", 200),
    "cases:move": _on_request("move", "POST", 302),
    "cases:note": _on_request("note", "POST", 302),
    "cases:reroute": _on_request("reroute", "POST", 302),
    "cases:refer": _on_request("refer", "POST", 302),
    "cases:rate": _on_request("rate", "POST", 302),
    # No such referral on the request: not found for everyone who is signed in.
    "cases:decide": lambda p, v, w: Case(
        "POST",
        f"/workbench/requests/{probe_request(w, area_for(p, v)).pk}/referrals/999999/decide",
        302 if not signed_in(p) else 404,
        {},
    ),
    "cases_portal:home": lambda p, v, w: Case("GET", "/requests/", 200),
    "cases_portal:new": lambda p, v, w: Case("GET", "/requests/new/policy_question/", 200),
    "cases_portal:sent": lambda p, v, w: Case("GET", "/requests/sent/", 200),
    "cases_portal:follow": lambda p, v, w: Case("GET", "/requests/follow/", 200),
    # A requester's own pages need the resident's portal session; a staff session is not one.
    "cases_portal:detail": lambda p, v, w: Case(
        "GET", f"/requests/{probe_request(w, area_for(p, v)).pk}/", 302
    ),
    "cases_portal:rate": lambda p, v, w: Case(
        "POST", f"/requests/{probe_request(w, area_for(p, v)).pk}/rate", 302, {"rating": "5"}
    ),
    "cases_portal:reopen": lambda p, v, w: Case(
        "POST", f"/requests/{probe_request(w, area_for(p, v)).pk}/reopen", 302, {}
    ),
    "api:service_list": lambda p, v, w: Case("GET", "/api/v1/cases/services", 200),
    "api:my_requests": lambda p, v, w: Case("GET", "/api/v1/cases/mine", 401),
    "api:my_request": lambda p, v, w: Case(
        "GET", f"/api/v1/cases/mine/{probe_request(w, area_for(p, v)).pk}", 401
    ),
    "api:my_request_submit": lambda p, v, w: Case("POST", "/api/v1/cases/mine", 401, {}),
    # Staff APIs take an API token, not a browser session.
    "api:inbox": lambda p, v, w: Case("GET", "/api/v1/cases/inbox", 401),
    "api:request_move": lambda p, v, w: Case(
        "POST",
        f"/api/v1/cases/requests/{probe_request(w, area_for(p, v)).pk}/move",
        401,
        {"to_state": "accepted"},
    ),
    "open311:root": lambda p, v, w: Case("GET", "/open311/v2/", 200),
    "open311:discovery": lambda p, v, w: Case("GET", "/open311/v2/discovery.json", 200),
    "open311:services": lambda p, v, w: Case("GET", "/open311/v2/services.xml", 200),
    "open311:service": lambda p, v, w: Case(
        "GET", "/open311/v2/services/facility_broken.json", 200
    ),
    "open311:requests": lambda p, v, w: Case("GET", "/open311/v2/requests.json", 200),
    # The probe request is a private consultation: never public, whoever asks.
    "open311:request": lambda p, v, w: Case(
        "GET", f"/open311/v2/requests/{probe_request(w, area_for(p, v)).reference}.json", 404
    ),
    "open311:token": lambda p, v, w: Case("GET", "/open311/v2/tokens/nosuchtoken.json", 404),
    "open311_keys:list": _page("/workbench/open311-keys/", lambda p: p == "secadmin"),
    "open311_keys:revoke": lambda p, v, w: Case(
        "POST", "/workbench/open311-keys/999999/revoke", 302 if not signed_in(p) else 404
    ),
}


RULES: dict[str, Rule] = {
    "healthz": lambda p, v, w: Case("GET", "/healthz", 200),
    "readyz": lambda p, v, w: Case("GET", "/readyz", 200),
    "set_language": lambda p, v, w: Case("POST", "/prefs/language", 302, {"language": "en"}),
    "set_care_mode": lambda p, v, w: Case("POST", "/prefs/care-mode", 302, {"enabled": "1"}),
    "portal:home": lambda p, v, w: Case("GET", "/", 200),
    "portal:areas": lambda p, v, w: Case("GET", "/areas/", 200),
    "portal:area": lambda p, v, w: Case("GET", f"/areas/{area_for(p, v)}/", 200),
    "accounts:login": lambda p, v, w: Case("GET", "/accounts/login/", 302 if signed_in(p) else 200),
    "accounts:verify": lambda p, v, w: Case("GET", "/accounts/login/verify/", 302),
    "accounts:enrol": lambda p, v, w: Case("GET", "/accounts/login/enrol/", 302),
    "accounts:logout": lambda p, v, w: Case("POST", "/accounts/logout/", 302),
    "accounts:password_change": _page("/accounts/password/", lambda p: True),
    "workbench:home": _page("/workbench/", lambda p: True),
    "areas:index": lambda p, v, w: Case(
        "GET", "/workbench/areas/", 302 if not signed_in(p) or p in BROWSERS else 404
    ),
    "areas:detail": lambda p, v, w: Case(
        "GET",
        f"/workbench/areas/{area_for(p, v)}/",
        302 if not signed_in(p) else 200 if scoped(p, area_for(p, v)) else 404,
    ),
    "staff:list": _page("/workbench/staff/", lambda p: p == "secadmin"),
    "staff:detail": lambda p, v, w: Case(
        "GET",
        f"/workbench/staff/{w.probes[area_for(p, v)].pk}/",
        302 if not signed_in(p) else 200 if p == "secadmin" else 404,
    ),
    "staff:revoke": lambda p, v, w: Case(
        "POST",
        f"/workbench/staff/{w.probes[area_for(p, v)].pk}"
        f"/roles/{probe_role(w, area_for(p, v))}/revoke",
        302 if not signed_in(p) or p == "secadmin" else 404,
    ),
    "staff:totp_reset": lambda p, v, w: Case(
        "POST",
        f"/workbench/staff/{w.probes[area_for(p, v)].pk}/totp/reset",
        302 if not signed_in(p) or p == "secadmin" else 404,
    ),
    "tokens:list": _page("/workbench/tokens/", lambda p: True),
    "tokens:revoke": lambda p, v, w: Case(
        "POST",
        f"/workbench/tokens/{w.foreign_token_prefix}/revoke",
        302 if not signed_in(p) else 404,
    ),
    "resident_accounts:assist": _page(
        "/workbench/resident-accounts/assist/", lambda p: p in COUNTER
    ),
    "residents:search": _page("/workbench/residents/", lambda p: p in RESIDENT_READERS),
    "residents:register": _page("/workbench/residents/new/", lambda p: p in COUNTER),
    "residents:record": lambda p, v, w: Case(
        "POST",
        f"/workbench/residents/{w.residents[area_for(p, v)].pk}/",
        302
        if not signed_in(p)
        else 200
        if p in RESIDENT_READERS and w.residents[area_for(p, v)].community_id.startswith(OWN[p])
        else 404,
        {"purpose": "counter_visit"},
    ),
    "residents:edit": _on_record("edit/", "GET", 200, COUNTER),
    "residents:member_add": _on_record("members/new/", "GET", 200, COUNTER),
    # An empty form: the worker is sent back to the record with the message (nothing moves).
    "residents:move": _on_record("move", "POST", 302, COUNTER),
    "residents:consent_record": _on_record("consents/", "POST", 302, COUNTER),
    "residents:member_remove": lambda p, v, w: _on_record(
        f"members/{fresh_member(w, area_for(p, v))}/remove", "POST", 302, COUNTER
    )(p, v, w),
    "residents:consent_withdraw": lambda p, v, w: _on_record(
        f"consents/{fresh_consent(w, area_for(p, v))}/withdraw", "POST", 302, COUNTER
    )(p, v, w),
    "residents:deletions": _page("/workbench/residents/deletions/", lambda p: p in ERASERS),
    "residents:deletion": lambda p, v, w: Case(
        "GET",
        f"/workbench/residents/deletions/{w.deletions[area_for(p, v)].pk}/",
        302
        if not signed_in(p)
        else 200
        if p in ERASERS and in_own_area(p, w.residents[area_for(p, v)])
        else 404,
    ),
    "imports:index": _page("/workbench/imports/", lambda p: p in COUNTER),
    "imports:new": _page("/workbench/imports/new/residents/", lambda p: p in COUNTER),
    "imports:detail": _import_job("GET", "", 200),
    "imports:progress": _import_job("GET", "progress", 200),
    "imports:errors": _import_job("GET", "errors.xlsx", 200),
    # A finished job: the owner is sent back to the job with a message, nothing changes.
    "imports:map": _import_job("POST", "mapping", 302),
    "imports:start": _import_job("POST", "start", 302),
    "imports:cancel": _import_job("POST", "cancel", 302),
    "imports:resume": _import_job("POST", "resume", 302),
    "residents_me:home": lambda p, v, w: Case("GET", "/me/", 302),
    # A resident's own pages: staff sessions are not resident sessions, so always to sign-in.
    "my_data:data": lambda p, v, w: Case("GET", "/me/data/", 302),
    "my_data:register": lambda p, v, w: Case("GET", "/me/data/register/", 302),
    "my_data:download": lambda p, v, w: Case("GET", "/me/data/download.json", 302),
    "my_data:who_looked": lambda p, v, w: Case("GET", "/me/data/who-looked/", 302),
    "my_data:sensitive": lambda p, v, w: Case("GET", "/me/data/sensitive/", 302),
    "my_data:print": lambda p, v, w: Case("GET", "/me/data/print/", 302),
    "my_data:edit": lambda p, v, w: Case("GET", "/me/data/edit/", 302),
    "my_data:move": lambda p, v, w: Case("GET", "/me/data/move/", 302),
    "my_data:household": lambda p, v, w: Case("GET", "/me/data/household/", 302),
    "my_data:member_remove": lambda p, v, w: Case("POST", "/me/data/household/1/remove", 302),
    "my_data:deletion": lambda p, v, w: Case("GET", "/me/data/delete/", 302),
    "my_data:deletion_withdraw": lambda p, v, w: Case("POST", "/me/data/delete/1/withdraw", 302),
    "my_data:consent_give": lambda p, v, w: Case(
        "POST", "/me/data/consents/give", 302, {"purpose": "event_contact"}
    ),
    "my_data:consent_withdraw": lambda p, v, w: Case("POST", "/me/data/consents/1/withdraw", 302),
    "residents_me:sign_in": lambda p, v, w: Case("GET", "/me/sign-in/", 200),
    "residents_me:code": lambda p, v, w: Case("GET", "/me/sign-in/code/", 302),
    "residents_me:sign_out": lambda p, v, w: Case("POST", "/me/sign-out/", 302),
    "demo:outbox": lambda p, v, w: Case("GET", "/demo/outbox/", 200),
    "audit:log": _page("/workbench/audit/", lambda p: p == "auditadmin"),
    "audit:access": _page("/workbench/audit/access/", lambda p: p == "auditadmin"),
    "api:api-root": lambda p, v, w: Case("GET", "/api/v1/", 404),
    "api:openapi-json": lambda p, v, w: Case("GET", "/api/v1/openapi.json", 200),
    "api:openapi-view": lambda p, v, w: Case("GET", "/api/v1/docs", 200),
    "api:area_detail": lambda p, v, w: Case("GET", f"/api/v1/areas/{area_for(p, v)}", 200),
    "api:me": lambda p, v, w: Case("GET", "/api/v1/auth/me", 401),
    "api:token_issue": lambda p, v, w: Case("POST", "/api/v1/auth/token", 400, {}),
    # The resident's own API needs the resident's portal session; a staff session is not one.
    "api:my_profile": lambda p, v, w: Case("GET", "/api/v1/me/profile", 401),
    "api:my_profile_correct": lambda p, v, w: Case("PATCH", "/api/v1/me/profile", 401, {}),
    "api:my_consents": lambda p, v, w: Case("GET", "/api/v1/me/consents", 401),
    "api:my_consent_give": lambda p, v, w: Case(
        "POST", "/api/v1/me/consents", 401, {"purpose": "event_contact"}
    ),
    "api:my_consent_withdraw": lambda p, v, w: Case("POST", "/api/v1/me/consents/1/withdraw", 401),
    "api:my_access_log": lambda p, v, w: Case("GET", "/api/v1/me/access-log", 401),
    "api:my_data": lambda p, v, w: Case("GET", "/api/v1/me/data", 401),
    "api:my_household": lambda p, v, w: Case("GET", "/api/v1/me/household", 401),
    "api:my_household_add": lambda p, v, w: Case("POST", "/api/v1/me/household", 401, {}),
    "api:my_household_remove": lambda p, v, w: Case("DELETE", "/api/v1/me/household/1", 401),
    "api:my_deletion_request": lambda p, v, w: Case(
        "POST", "/api/v1/me/deletion-requests", 401, {}
    ),
    # The staff registry API takes a personal API token, not the workbench session.
    "api:residents_search": lambda p, v, w: Case(
        "POST", "/api/v1/residents/search", 401, {"phone": "13900000001"}
    ),
    "api:resident_open": lambda p, v, w: Case(
        "GET", f"/api/v1/residents/{w.residents[area_for(p, v)].pk}?purpose=counter_visit", 401
    ),
    "api:resident_correct": lambda p, v, w: Case(
        "PATCH", f"/api/v1/residents/{w.residents[area_for(p, v)].pk}", 401, {}
    ),
    "api:token_delete": lambda p, v, w: Case(
        "DELETE", f"/api/v1/auth/token/{w.foreign_token_prefix}", 401
    ),
    "services:find": lambda p, v, w: Case("GET", "/services/", 200),
    "services:point": _hsds(lambda loc: f"/services/points/{loc.pk}/"),
    "directory:list": _page("/workbench/directory/", lambda p: p in POINT_MANAGERS),
    "directory:create": _page("/workbench/directory/new/", lambda p: p in POINT_MANAGERS),
    "directory:export": _page("/workbench/directory/export.xlsx", lambda p: p in POINT_MANAGERS),
    "directory:import": _page("/workbench/directory/import/", lambda p: p in POINT_MANAGERS),
    "directory:edit": _point_page(""),
    "directory:hours": _point_page("hours/"),
    "directory:closures": _point_page("closures/"),
    "directory:closure_remove": _closure_remove,
    "coverage:index": _page("/workbench/coverage/", lambda p: p in PLANNERS),
    "coverage:placement": _page("/workbench/coverage/placement/", lambda p: p in PLANNERS),
    "hsds:index": lambda p, v, w: Case("GET", "/hsds/", 200),
    "hsds:openapi": lambda p, v, w: Case("GET", "/hsds/openapi.json", 200),
    "hsds:services": lambda p, v, w: Case("GET", "/hsds/services", 200),
    "hsds:service": _hsds(
        lambda loc: f"/hsds/services/{loc.service_at_locations.get().service_id}"
    ),
    "hsds:organizations": lambda p, v, w: Case("GET", "/hsds/organizations", 200),
    "hsds:organization": _hsds(lambda loc: f"/hsds/organizations/{loc.organization_id}"),
    "hsds:service_at_locations": lambda p, v, w: Case("GET", "/hsds/service_at_locations", 200),
    "hsds:service_at_location": _hsds(
        lambda loc: f"/hsds/service_at_locations/{loc.service_at_locations.get().pk}"
    ),
    "api:nearest": lambda p, v, w: Case("POST", "/api/v1/directory/nearest", 400, {}),
    "api:points": lambda p, v, w: Case("GET", "/api/v1/directory/points", 200),
    "api:point": _hsds(lambda loc: f"/api/v1/directory/points/{loc.pk}"),
    "api:coverage_report": lambda p, v, w: Case("GET", "/api/v1/directory/coverage", 401),
}


# --- applications (sihai/applications) --------------------------------------------------------
APPLICATION_COUNTER = COUNTER  # application.assist: community workers and subdistrict officers


def probe_application(code: str, w: World) -> Application:
    """A medical-insurance application of the probe resident of ``code``, with an education part
    and a document (made once per test)."""
    resident = w.residents[code]
    found = Application.objects.filter(resident=resident).first()
    if found is not None:
        return found
    application = Application.objects.create(
        reference=f"SHPROBE{resident.pk:06d}",
        type=ApplicationType.objects.get(code="school_seat"),
        resident=resident,
        area_code=resident.community_id,
    )
    ApplicationPart.objects.create(
        application=application,
        department=Department.objects.get(code="education"),
        area_code=resident.community_id,
    )
    document = Document.objects.create(
        resident=resident,
        kind="id_card",
        content_type="application/pdf",
        size=8,
        digest="0" * 64,
        storage_name=application_documents.store(b"%PDF-1.4"),
    )
    application.documents.add(document)
    return application


def _counter_case(method: str, url: Callable[[Application], str], ok: int) -> Rule:
    def rule(p: str, v: str, w: World) -> Case:
        code = area_for(p, v)
        application = probe_application(code, w)
        allowed = p in APPLICATION_COUNTER and in_own_area(p, w.residents[code])
        return Case(method, url(application), 302 if not signed_in(p) else ok if allowed else 404)

    return rule


def _part_case(p: str, v: str, w: World) -> Case:
    code = area_for(p, v)
    part = probe_application(code, w).parts.get()
    allowed = p == "edu_wuhua" and in_own_area(p, w.residents[code])
    status = 302 if not signed_in(p) else 200 if allowed else 404
    return Case("GET", f"/workbench/applications/parts/{part.pk}/", status)


def _application_document(p: str, v: str, w: World) -> Case:
    code = area_for(p, v)
    document = probe_application(code, w).documents.get()
    resident = w.residents[code]
    allowed = (p in APPLICATION_COUNTER or p == "edu_wuhua") and in_own_area(p, resident)
    status = 302 if not signed_in(p) else 200 if allowed else 404
    return Case("GET", f"/workbench/applications/documents/{document.pk}", status)


def _type_edit(p: str, v: str, w: World) -> Case:
    kind = ApplicationType.objects.get(code="residence_permit")
    status = 302 if not signed_in(p) else 200 if p == "city_officer" else 404
    return Case("GET", f"/workbench/applications/types/{kind.pk}/", status)


APPLICATION_RULES: dict[str, Rule] = {
    "applications_me:precheck": lambda p, v, w: Case("GET", "/me/applications/", 302),
    "applications_me:apply": lambda p, v, w: Case(
        "GET", "/me/applications/apply/school_seat/", 302
    ),
    "applications_me:detail": lambda p, v, w: Case("GET", "/me/applications/1/", 302),
    "applications_me:supply": lambda p, v, w: Case("POST", "/me/applications/1/documents", 302),
    "applications_me:documents": lambda p, v, w: Case("GET", "/me/applications/documents/", 302),
    "applications_me:document": lambda p, v, w: Case("GET", "/me/applications/documents/1", 302),
    "applications:queue": _page("/workbench/applications/", lambda p: p in DEPARTMENT_STAFF),
    "applications:decide": _part_case,
    "applications:document": _application_document,
    "applications:counter": _page(
        "/workbench/applications/counter/", lambda p: p in APPLICATION_COUNTER
    ),
    "applications:counter_resident": _counter_case(
        "GET", lambda a: f"/workbench/applications/counter/{a.resident_id}/", 200
    ),
    "applications:counter_upload": _counter_case(
        "POST", lambda a: f"/workbench/applications/counter/{a.resident_id}/documents", 302
    ),
    "applications:counter_supply": _counter_case(
        "POST", lambda a: f"/workbench/applications/counter/applications/{a.pk}/documents", 302
    ),
    "applications:counter_done": _counter_case(
        "GET", lambda a: f"/workbench/applications/counter/done/{a.pk}/", 200
    ),
    "applications:receipt": _counter_case(
        "GET", lambda a: f"/workbench/applications/receipts/{a.pk}.pdf", 200
    ),
    "applications:seats": _page("/workbench/applications/seats/", lambda p: p in PLANNERS),
    "applications:types": _page("/workbench/applications/types/", lambda p: p == "city_officer"),
    "applications:type_edit": _type_edit,
    "api:application_types": lambda p, v, w: Case("GET", "/api/v1/applications/types", 200),
    "api:application_precheck": lambda p, v, w: Case("GET", "/api/v1/applications/precheck", 401),
    "api:application_facts": lambda p, v, w: Case("PUT", "/api/v1/applications/facts", 401, {}),
    "api:applications_mine": lambda p, v, w: Case("GET", "/api/v1/applications/mine", 401),
    "api:application_submit": lambda p, v, w: Case("POST", "/api/v1/applications/", 401, {}),
    # Staff take a personal API token, not the workbench session.
    "api:application_queue": lambda p, v, w: Case("GET", "/api/v1/applications/queue", 401),
    "api:application_part_decide": lambda p, v, w: Case(
        "POST", "/api/v1/applications/parts/1/decision", 401, {}
    ),
}

# --- insight (sihai/reporting): workers, officers, department staff; no administrator --------
INSIGHT = BROWSERS - {"sysadmin"}
COMPARERS = {"city_officer", "wuhua_officer", "panlong_officer"}


def _insight(suffix: str) -> Rule:
    return lambda p, v, w: Case(
        "GET",
        f"/workbench/insight/{area_for(p, v)}/{suffix}",
        302
        if not signed_in(p)
        else 200
        if p in INSIGHT and area_for(p, v).startswith(OWN[p])
        else 404,
    )


INSIGHT_RULES: dict[str, Rule] = {
    "insight:index": lambda p, v, w: Case(
        "GET", "/workbench/insight/", 302 if not signed_in(p) or p in INSIGHT else 404
    ),
    "insight:dashboard": _insight(""),
    "insight:export_csv": _insight("export.csv"),
    "insight:export_xlsx": _insight("export.xlsx"),
    "insight:reports": _insight("reports/"),
    # No report exists in the matrix's world: missing answers like out of scope.
    "insight:report_xlsx": lambda p, v, w: Case(
        "GET",
        f"/workbench/insight/{area_for(p, v)}/reports/2026-01.xlsx",
        302 if not signed_in(p) else 404,
    ),
    # The registered residents' published figures: entered by the districts and the city.
    "insight:comparisons": lambda p, v, w: Case(
        "GET",
        "/workbench/insight/comparisons/",
        302 if not signed_in(p) else 200 if p in COMPARERS else 404,
    ),
    # No figure exists in the matrix's world: missing answers like out of scope.
    "insight:comparison_remove": lambda p, v, w: Case(
        "POST", "/workbench/insight/comparisons/999999/remove/", 302 if not signed_in(p) else 404
    ),
    "transparency:index": lambda p, v, w: Case("GET", "/transparency/", 200),
    # The registry is public; figures need a staff token (the matrix's clients have none).
    "api:indicator_list": lambda p, v, w: Case("GET", "/api/v1/metrics/indicators", 200),
    "api:area_figures": lambda p, v, w: Case("GET", "/api/v1/metrics/areas/5301", 401),
}

RULES.update(APPLICATION_RULES)
RULES.update(CASE_RULES)
RULES.update(INSIGHT_RULES)


def _named_routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


ROUTES = sorted(set(_named_routes(get_resolver().url_patterns)))


def test_every_route_has_a_rule() -> None:
    missing = [r for r in ROUTES if r not in RULES and not r.startswith("admin:")]
    assert missing == [], f"add these routes to the authorization matrix: {missing}"
    stale = [r for r in RULES if r not in ROUTES]
    assert stale == [], f"these rules name routes that no longer exist: {stale}"


@pytest.fixture
def world() -> World:
    probes = {}
    for code in {area_for(p, v) for p in PERSONAS for v in VARIANTS}:
        user = User.objects.create(username=f"probe_{code}")
        role = {
            4: "city_officer",
            6: "district_officer",
            9: "subdistrict_officer",
            12: "community_worker",
        }[len(code)]
        RoleAssignment.objects.create(user=user, area_id=code, role=role)
        probes[code] = user
    foreign = token_create(user=probes["5301"], name="probe token")
    residents = {}
    for n, code in enumerate(sorted(probes)):
        community = AdministrativeArea.objects.filter(
            code__startswith=code, level="village"
        ).order_by("code")[0]
        residents[code] = Resident.objects.create(
            name=f"居民{n}",
            birth_date=datetime.date(1990, 1, 1),
            community=community,
            registered_via="import",
        )
    deletions = {
        code: DeletionRequest.objects.create(resident=r, due_on=datetime.date(2027, 1, 1))
        for code, r in residents.items()
    }
    jobs: dict[tuple[str, str], int] = {}
    for who in PERSONAS:
        for variant in VARIANTS:
            code = area_for(who, variant)
            owner = (
                User.objects.get(username=who)
                if who in COUNTER and variant == "own"
                else probes[code]
            )
            job = ImportJob.objects.create(
                importer="residents",
                owner=owner,
                area_id=code,
                file_name="台账.xlsx",
                file_kind="xlsx",
                file_hash=f"{who}-{variant}",
                state="done",
            )
            file_store(job, "errors", b"PK\x03\x04 error workbook")
            jobs[(who, variant)] = job.pk
    return World(
        probes,
        foreign.token.prefix,
        Department.objects.get(code="education").pk,
        residents,
        deletions,
        jobs,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_route_answers_every_persona_as_the_matrix_says(
    route: str, world: World, persona: Callable[[str], User]
) -> None:
    failures = []
    for who in PERSONAS:
        for variant in VARIANTS:
            case = (
                _admin(route, who, world)
                if route.startswith("admin:")
                else RULES[route](who, variant, world)
            )
            client = Client()
            if who != ANON:
                client.force_login(persona(who))
            if case.prime is not None:
                getattr(client, case.prime.method.lower())(case.prime.url, case.prime.data or {})
            send = getattr(client, case.method.lower())
            if case.method == "GET":
                response = send(case.url)
            elif route.startswith("api:"):
                response = send(case.url, case.data or {}, content_type="application/json")
            else:
                response = send(case.url, case.data or {})
            if response.status_code != case.status:
                failures.append(
                    f"{who}/{variant} {case.method} {case.url}: "
                    f"{response.status_code} != {case.status}"
                )
            if route.startswith("admin:"):
                break  # admin pages take no area
    assert failures == []
