"""Intake from every channel: validate against the category, route, set deadlines, record."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ResidentAccount, User
from sihai.areas.codes import Level, level_of
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.cases.models import (
    CategoryAttribute,
    Channel,
    Datatype,
    EventKind,
    ReferenceCounter,
    RoutingRule,
    ServiceCategory,
    ServiceRequest,
)
from sihai.cases.policies import CASE_INTAKE
from sihai.cases.services.common import add_event, refresh_due, tell_requester
from sihai.core.crypto import blind_index
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.policy import grants_for
from sihai.core.workcalendar import default_calendar
from sihai.residents.models import Resident

MAX_DESCRIPTION = 4000
REFERENCE_PREFIX = "KM"


class RequestInvalid(InvalidInput):
    """One or more problems with a submission; nothing was written.

    ``errors`` lists every problem as ``(code, message)`` (Open311 returns them all).
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][1], code=errors[0][0])
        self.errors = errors


@dataclass
class RequestInput:
    category_code: str
    description: str
    community_code: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    address_string: str = ""
    lat: float | None = None
    long: float | None = None
    media_url: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    idempotency_key: str = ""


def media_url_clean(raw: str) -> tuple[str, bool]:
    """(the link, whether it points at a private or loopback host). Never fetched."""
    url = raw.strip()
    if not url:
        return "", False
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > 500:
        raise RequestInvalid(
            [("request.media_url", _("The photo link must be an http(s) address."))]
        )
    host = parts.hostname
    try:
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host == "localhost" or host.endswith((".local", ".internal", ".localhost"))
    return url, private


def _attribute_value(attr: CategoryAttribute, raw: Any) -> tuple[Any, str | None]:  # noqa: PLR0911  (one return per datatype)
    """The stored form of one answer, or an error message."""
    keys = {v["key"] for v in attr.values}
    if attr.datatype == Datatype.MULTIVALUELIST:
        values = raw if isinstance(raw, list) else [raw]
        values = [str(v).strip() for v in values if str(v).strip()]
        outside = [v for v in values if v not in keys]
        if outside:
            return None, _("“%(label)s”: choose from the list (not %(bad)s).") % {
                "label": attr.label,
                "bad": ", ".join(outside)[:100],
            }
        return values, None
    if isinstance(raw, list) and len(raw) > 1:
        return None, _("“%(label)s”: choose one answer.") % {"label": attr.label}
    value = str(raw[0] if isinstance(raw, list) and raw else raw).strip()
    if not value:
        return None, None
    if attr.datatype == Datatype.SINGLEVALUELIST and value not in keys:
        return None, _("“%(label)s”: choose from the list.") % {"label": attr.label}
    if attr.datatype == Datatype.NUMBER:
        try:
            return float(value), None
        except ValueError:
            return None, _("“%(label)s” must be a number.") % {"label": attr.label}
    if attr.datatype == Datatype.DATETIME:
        try:
            return datetime.datetime.fromisoformat(value).isoformat(), None
        except ValueError:
            return None, _("“%(label)s” must be a date and time.") % {"label": attr.label}
    limit = 4000 if attr.datatype == Datatype.TEXT else 200
    if len(value) > limit:
        return None, _("“%(label)s” is too long.") % {"label": attr.label}
    return value, None


def attributes_clean(
    category: ServiceCategory, raw: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    answers: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for attr in category.attributes.all():
        supplied = raw.get(attr.code)
        value, error = (
            (None, None) if supplied in (None, "", []) else _attribute_value(attr, supplied)
        )
        if error:
            errors.append((f"attribute.{attr.code}", error))
        elif value in (None, []):
            if attr.required:
                errors.append(
                    (
                        f"attribute.{attr.code}",
                        _("“%(label)s” is required.") % {"label": attr.label},
                    )
                )
        else:
            answers[attr.code] = value
    return answers, errors


def route(category: ServiceCategory, community_code: str) -> str:
    """The department a request goes to ("" = the community workstation): area × category."""
    rules = {r.area_code: r.department_code for r in RoutingRule.objects.filter(category=category)}
    for length in (12, 9, 6, 4):
        code = community_code[:length]
        if code in rules:
            return rules[code]
    return category.department.code if category.department is not None else ""


def next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{REFERENCE_PREFIX}-{year}-{counter.last:06d}"


def follow_up_hash(reference: str, code: str) -> str:
    return blind_index(f"{reference}:{code}", purpose="case_follow_up")


def _idempotency(actor: Any, key: str) -> str | None:
    if not key.strip():
        return None
    who = "anon" if actor is None else ":".join(str(x) for x in actor.audit_identity()[:2])
    return hashlib.sha256(f"{who}|{key.strip()}".encode()).hexdigest()


@transaction.atomic
def request_submit(  # noqa: PLR0912, PLR0915  (every channel's checks, in one readable pass)
    *,
    actor: Any,
    data: RequestInput,
    channel: str,
    consent_evidence: str = "",
    resident: Resident | None = None,
    partner: str = "",
    partner_token: str | None = None,
) -> tuple[ServiceRequest, str]:
    """Record a request; returns it and (for anonymous consultations) the follow-up code.

    ``actor``: the resident's account (portal), ``None`` (anonymous consultation), a staff
    account (counter or phone, within their area), or a partner system (Open311). The
    same ``idempotency_key`` from the same actor returns the first request, unchanged.
    """
    key = _idempotency(actor, data.idempotency_key)
    if key is not None:
        existing = ServiceRequest.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, ""
    errors: list[tuple[str, str]] = []
    category = (
        ServiceCategory.objects.select_related("department")
        .prefetch_related("attributes")
        .filter(code=data.category_code, active=True)
        .first()
    )
    if category is None:
        raise NotFound(_("There is no such service."), code="service.not_found")
    description = (data.description or "").strip()
    if not description:
        errors.append(("request.description", _("Describe what you need.")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            ("request.description", _("The description can be at most 4,000 characters."))
        )
    answers, attr_errors = attributes_clean(category, data.attributes)
    errors += attr_errors
    try:
        media_url, _private_host = media_url_clean(data.media_url)
    except RequestInvalid as exc:
        errors += exc.errors
        media_url = ""
    if isinstance(actor, ResidentAccount) and resident is None:
        resident = Resident.objects.filter(account=actor, erased_at__isnull=True).first()
    community_code = data.community_code or (resident.community_id if resident else "")
    community = AdministrativeArea.objects.filter(code=community_code).first()
    if community is None or level_of(community.code) != Level.VILLAGE:
        errors.append(("request.community", _("Choose the community the request is about.")))
    if errors:
        raise RequestInvalid(errors)
    assert community is not None  # noqa: S101  (checked above)
    if isinstance(actor, User):
        if channel not in {Channel.COUNTER, Channel.PHONE}:
            raise InvalidInput(_("Staff enter requests at the counter or from a call."))
        if not any(g.covers(community.code) for g in grants_for(actor, CASE_INTAKE)):
            raise NotAllowed(
                _("You can enter requests only for communities in your area."),
                code="request.out_of_area",
            )
        if resident is not None and not consent_evidence.strip():
            raise InvalidInput(
                _("Record the reference of the consent form the resident signed."),
                code="request.consent_evidence",
            )
    now = timezone.now()
    calendar = default_calendar()
    request = ServiceRequest(
        reference=next_reference(timezone.localtime(now).year),
        category=category,
        category_code=category.code,
        channel=channel,
        community=community,
        department_code=route(category, community.code),
        private=category.private,
        resident=resident,
        # A request made for a registered resident shows in their portal too.
        account=actor
        if isinstance(actor, ResidentAccount)
        else (resident.account if resident is not None else None),
        contact_name=data.contact_name.strip()[:100],
        contact_phone=data.contact_phone.strip()[:30],
        description=description,
        attributes=answers,
        address_string=data.address_string.strip()[:200],
        lat=data.lat if not category.private else None,
        long=data.long if not category.private else None,
        media_url=media_url,
        consent_evidence=consent_evidence.strip()[:200],
        entered_by=actor if isinstance(actor, User) else None,
        partner=partner[:100],
        open311_token=partner_token,
        idempotency_key=key,
        submitted_at=now,
        response_due=calendar.add_working_hours(now, category.response_hours),
        resolution_due=calendar.add_working_hours(now, category.resolution_hours),
    )
    refresh_due(request)
    code = ""
    if channel == Channel.ANONYMOUS:
        code = f"{secrets.randbelow(10**8):08d}"
        request.follow_up_hash = follow_up_hash(request.reference, code)
    try:
        with transaction.atomic():
            request.save(force_insert=True)
    except IntegrityError:
        # The same form submitted twice at once: the other submission won; return it.
        existing = ServiceRequest.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, ""
    add_event(request, kind=EventKind.SUBMITTED, actor=actor, to_state=request.state, at=now)
    audit.record(
        actor=actor,
        action="cases.submitted",
        target=request,
        area_code=community.code,
        changes={
            "reference": request.reference,
            "category": category.code,
            "channel": channel,
            "routed_to": request.department_code or "workstation",
        },
    )
    tell_requester(request, event="submitted")
    return request, code
