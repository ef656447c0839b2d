"""Writes on applications: every one atomic, audited and put on the timeline together.

* ``facts_update`` — what the resident says about insurance, housing, work;
* ``application_type_update`` — a city officer edits a type (rules checked when saved);
* ``document_upload`` — a file kept once, encrypted, for any application that needs it;
* ``application_submit`` — one application, one part per deciding department;
* ``part_decide`` — a department decides its own part (approve / reject / more documents);
* ``documents_supplied`` — the resident answers a request for more documents.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import Department, ResidentAccount, User
from sihai.applications import deadlines, documents, eligibility, rules
from sihai.applications.models import (
    DECIDED_PART_STATES,
    Application,
    ApplicationPart,
    ApplicationType,
    Document,
    DocumentKind,
    Employment,
    Event,
    Housing,
    Insurance,
    PartState,
    ResidentFacts,
    State,
)
from sihai.applications.notify import notify_resident
from sihai.applications.policies import (
    APPLICATION_ASSIST,
    APPLICATION_DECIDE,
    APPLICATION_TYPE_MANAGE,
    parts,
)
from sihai.audit import services as audit
from sihai.core.crypto import sm3_hex
from sihai.core.errors import InvalidInput, NotAllowed, NotFound
from sihai.core.policy import grants_for
from sihai.directory.catalogue import Kind
from sihai.directory.models import Location
from sihai.residents.models import HouseholdMember, Resident
from sihai.residents.policies import residents

Actor = User | ResidentAccount


def _resident_for(actor: Actor, resident_id: int) -> Resident:
    """The resident acted for: one's own record, or one in the counter's area; else NotFound."""
    resident = (
        Resident.objects.select_for_update().filter(pk=resident_id, erased_at__isnull=True).first()
    )
    if resident is None:
        raise NotFound(NotFound.default_message())
    if isinstance(actor, ResidentAccount):
        if resident.account_id != actor.pk:
            raise NotFound(NotFound.default_message())
    elif not residents.can(actor, APPLICATION_ASSIST, resident):
        raise NotFound(NotFound.default_message())
    return resident


def _event(
    *,
    actor: Any,
    application: Application,
    kind: str,
    part: ApplicationPart | None = None,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    Event.objects.create(application=application, part=part, kind=kind, note=note)
    audit.record(
        actor=actor,
        action=f"applications.{kind}",
        target=part or application,
        area_code=application.area_code,
        changes={"reference": application.reference, **(changes or {})},
    )


# --- facts ---------------------------------------------------------------------------------


@dataclass
class FactsInput:
    insurance: str
    housing: str
    employment: str
    social_insurance_months: int
    has_residence_permit: bool


@transaction.atomic
def facts_update(*, actor: Actor, resident_id: int, data: FactsInput) -> ResidentFacts:
    resident = _resident_for(actor, resident_id)
    if (
        data.insurance not in Insurance.values
        or data.housing not in Housing.values
        or data.employment not in Employment.values
    ):
        raise InvalidInput(_("Choose from the listed options."), code="facts.choice")
    if not 0 <= data.social_insurance_months <= 600:
        raise InvalidInput(
            _("Give the months of contributions as a number from 0 to 600."), code="facts.months"
        )
    facts, _created = ResidentFacts.objects.get_or_create(resident=resident)
    values = {
        "insurance": data.insurance,
        "housing": data.housing,
        "employment": data.employment,
        "social_insurance_months": data.social_insurance_months,
        "has_residence_permit": data.has_residence_permit,
    }
    before = {name: getattr(facts, name) for name in values}
    diff = audit.field_changes(before, values)
    if diff or _created:
        for name, value in values.items():
            setattr(facts, name, value)
        facts.save()
        audit.record(
            actor=actor,
            action="applications.facts_updated",
            target=facts,
            area_code=resident.community_id,
            changes=diff,
        )
    return facts


# --- types -----------------------------------------------------------------------------------


@dataclass
class TypeInput:
    name_zh: str
    name_en: str
    summary_zh: str
    summary_en: str
    conditions_text: str
    documents: list[str]
    departments: list[str]
    sequential: bool
    decide_within_days: int
    active: bool


@transaction.atomic
def application_type_update(*, actor: User, type_id: int, data: TypeInput) -> ApplicationType:
    """Save a type; a rule with an unknown field (or any error) is refused with its position."""
    if not grants_for(actor, APPLICATION_TYPE_MANAGE):
        raise NotFound(NotFound.default_message())
    kind = ApplicationType.objects.select_for_update().filter(pk=type_id).first()
    if kind is None:
        raise NotFound(NotFound.default_message())
    try:
        conditions = rules.parse_conditions(data.conditions_text)
    except rules.RuleError as exc:
        raise InvalidInput(str(exc), code="rule.invalid") from exc
    if not data.name_zh.strip() or not data.name_en.strip():
        raise InvalidInput(_("Give the name in Chinese and in English."), code="type.name")
    if any(code not in DocumentKind.values for code in data.documents):
        raise InvalidInput(_("Choose from the listed options."), code="type.documents")
    known = set(Department.objects.values_list("code", flat=True))
    if not data.departments or any(code not in known for code in data.departments):
        raise InvalidInput(_("Choose at least one deciding department."), code="type.departments")
    if not 1 <= data.decide_within_days <= 60:
        raise InvalidInput(
            _("Give the working days as a number from 1 to 60."), code="type.deadline"
        )
    values: dict[str, Any] = {
        "name_zh": data.name_zh.strip()[:100],
        "name_en": data.name_en.strip()[:100],
        "summary_zh": data.summary_zh.strip(),
        "summary_en": data.summary_en.strip(),
        "conditions": [
            {"rule": c.rule, "why_not_zh": c.why_not_zh, "why_not_en": c.why_not_en}
            for c in conditions
        ],
        "documents": list(dict.fromkeys(data.documents)),
        "departments": list(dict.fromkeys(data.departments)),
        "sequential": data.sequential,
        "decide_within_days": data.decide_within_days,
        "active": data.active,
    }
    before = {name: getattr(kind, name) for name in values}
    diff = audit.field_changes(before, values)
    if diff:
        for name, value in values.items():
            setattr(kind, name, value)
        kind.save()
        audit.record(
            actor=actor,
            action="applications.type_updated",
            target=kind,
            area_code="5301",
            changes=diff,
        )
    return kind


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *, actor: Actor, resident_id: int, kind: str, data: bytes, original_name: str = ""
) -> Document:
    """Keep one document (checked by content, encrypted on disk); the same file twice is one."""
    resident = _resident_for(actor, resident_id)
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Choose which document this is."), code="document.kind")
    if len(data) > documents.max_bytes():
        raise documents.too_large_error()
    if not data:
        raise InvalidInput(_("The file is empty."), code="document.empty")
    content_type = documents.sniff(data)
    digest = sm3_hex(data)
    existing = Document.objects.filter(resident=resident, kind=kind, digest=digest).first()
    if existing is not None:
        return existing
    storage_name = documents.store(data)
    try:
        document = Document.objects.create(
            resident=resident,
            kind=kind,
            content_type=content_type,
            size=len(data),
            digest=digest,
            storage_name=storage_name,
            original_name=original_name[-200:],
        )
        audit.record(
            actor=actor,
            action="applications.document_uploaded",
            target=document,
            area_code=resident.community_id,
            changes={"kind": kind, "content_type": content_type, "size": len(data)},
        )
    except Exception:
        documents.remove(storage_name)
        raise
    return document


def _own_documents(resident: Resident, ids: list[int]) -> list[Document]:
    found = list(Document.objects.filter(resident=resident, pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(NotFound.default_message())
    return found


# --- applications --------------------------------------------------------------------------


@dataclass
class SubmitInput:
    type_code: str
    member_id: int | None = None
    school_id: str | None = None
    document_ids: tuple[int, ...] = ()


def _child(resident: Resident, member_id: int | None) -> HouseholdMember:
    member = (
        HouseholdMember.objects.filter(pk=member_id, resident=resident).first()
        if member_id
        else None
    )
    if member is None:
        raise InvalidInput(
            _("Choose the child this application is for (add them to your household first)."),
            code="application.child",
        )
    return member


def _school(school_id: str | None, area_code: str) -> Location | None:
    if not school_id:
        return None
    school = (
        Location.objects.filter(pk=school_id, kind=Kind.SCHOOL, published=True)
        .filter(area__code__startswith=area_code[:6])
        .first()
    )
    if school is None:
        raise InvalidInput(
            _("Choose a school from the list of schools in your district."),
            code="application.school",
        )
    return school


def _reference() -> str:
    return f"SH{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


@transaction.atomic
def application_submit(*, actor: Actor, resident_id: int, data: SubmitInput) -> Application:
    """One application with one part per deciding department; refused if not eligible."""
    resident = _resident_for(actor, resident_id)
    kind = ApplicationType.objects.filter(code=data.type_code, active=True).first()
    if kind is None:
        raise InvalidInput(_("This service is not open for applications."), code="application.type")
    today = timezone.localdate()
    facts = ResidentFacts.objects.filter(resident=resident).first()
    values = eligibility.resident_facts(
        birth_date=resident.birth_date,
        arrival_date=resident.arrival_date,
        has_id_number=bool(resident.id_number),
        facts=facts,
        children=resident.members.filter(relationship="child").count(),
        today=today,
    )
    member = None
    school = None
    if eligibility.is_child_type(kind):
        member = _child(resident, data.member_id)
        values |= eligibility.child_facts(
            birth_date=member.birth_date, stage=member.school_stage, today=today
        )
        age = values["child.age"]
        low, high = eligibility.SCHOOL_AGE
        if kind.assigns_school_seat and not low <= age <= high:
            raise InvalidInput(
                _(
                    "%(name)s is %(age)d on 31 August: a school seat is for children of "
                    "6 to 15. Check the date of birth in your household."
                )
                % {"name": member.name, "age": age},
                code="application.not_school_age",
            )
        if kind.assigns_school_seat:
            school = _school(data.school_id, resident.community_id)
    why_not = eligibility.evaluate(kind, values)
    if why_not:
        raise InvalidInput(
            _("Not eligible yet: %(reasons)s") % {"reasons": " ".join(why_not)},
            code="application.not_eligible",
        )
    open_before = Application.objects.filter(
        resident=resident,
        type=kind,
        member=member,
        state__in=[State.IN_REVIEW, State.NEEDS_DOCUMENTS],
    )
    if open_before.exists():
        raise InvalidInput(
            _("You already have this application being decided: %(ref)s.")
            % {"ref": open_before.first().reference},  # type: ignore[union-attr]
            code="application.duplicate",
        )
    attached = _own_documents(resident, list(data.document_ids))
    departments = {d.code: d for d in Department.objects.filter(code__in=kind.departments)}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    reference=_reference(),
                    type=kind,
                    resident=resident,
                    area_code=resident.community_id,
                    member=member,
                    preferred_school=school,
                    submitted_via="portal" if isinstance(actor, ResidentAccount) else "counter",
                )
            break
        except IntegrityError:  # pragma: no cover  (a reference drawn twice)
            continue
    else:  # pragma: no cover
        raise RuntimeError("no free reference number")
    application.documents.set(attached)
    due = deadlines.add_working_days(today, kind.decide_within_days)
    for step, code in enumerate(kind.departments, start=1):
        first = step == 1 or not kind.sequential
        ApplicationPart.objects.create(
            application=application,
            department=departments[code],
            area_code=resident.community_id,
            step=step,
            state=PartState.PENDING if first else PartState.WAITING,
            due_on=due if first else None,
        )
    _event(
        actor=actor,
        application=application,
        kind="submitted",
        changes={
            "type": kind.code,
            "departments": kind.departments,
            "documents": len(attached),
            "via": application.submitted_via,
        },
    )
    notify_resident(
        resident_id=resident.pk, reference=application.reference, message_code="submitted"
    )
    return application


# What an approval changes in the facts the rules read (the platform now holds the permit,
# the resident is insured here), so the next pre-check does not offer it again.
ON_APPROVAL: dict[str, dict[str, Any]] = {
    "residence_permit": {"has_residence_permit": True},
    "medical_insurance": {"insurance": Insurance.RESIDENT},
}


def _apply_approval(application: Application, kind: ApplicationType) -> dict[str, Any]:
    changes = ON_APPROVAL.get(kind.code, {})
    if changes:
        facts, _created = ResidentFacts.objects.get_or_create(resident_id=application.resident_id)
        for name, value in changes.items():
            setattr(facts, name, value)
        facts.save()
    return changes


def _settle(application: Application, kind: ApplicationType) -> None:
    """The application's one state from its parts; open the next part of a sequential type."""
    all_parts = list(application.parts.order_by("step", "pk"))
    if kind.sequential:
        rejected = any(p.state == PartState.REJECTED for p in all_parts)
        for part in all_parts:
            if part.state != PartState.WAITING:
                continue
            if rejected:
                part.state = PartState.CLOSED
                part.save(update_fields=["state", "updated_at"])
            elif all(p.state == PartState.APPROVED for p in all_parts if p.step < part.step):
                part.state = PartState.PENDING
                part.due_on = deadlines.add_working_days(
                    timezone.localdate(), kind.decide_within_days
                )
                part.save(update_fields=["state", "due_on", "updated_at"])
            break
    states = {p.state for p in all_parts}
    if PartState.MORE_DOCUMENTS in states:
        application.state = State.NEEDS_DOCUMENTS
    elif states <= set(DECIDED_PART_STATES):
        application.state = State.APPROVED if states == {PartState.APPROVED} else State.REJECTED
        application.decided_at = timezone.now()
        if application.state == State.APPROVED:
            _apply_approval(application, kind)
    else:
        application.state = State.IN_REVIEW
    application.save(update_fields=["state", "decided_at", "updated_at"])


DECISIONS = ("approve", "reject", "more_documents")


@transaction.atomic
def part_decide(
    *,
    actor: User,
    part_id: int,
    decision: str,
    reason: str = "",
    seat_school_id: str | None = None,
) -> ApplicationPart:
    """A department decides its own part; someone else's part is "not found", nothing written."""
    part = parts.get_for_actor(
        actor,
        APPLICATION_DECIDE,
        ApplicationPart.objects.select_for_update().select_related("department"),
        pk=part_id,
    )
    application = Application.objects.select_for_update().get(pk=part.application_id)
    kind = application.type
    if part.state in DECIDED_PART_STATES:
        raise NotAllowed(
            _("This part was decided already (%(state)s): a decision is final.")
            % {"state": part.get_state_display()},
            code="application.part_decided",
        )
    if part.state == PartState.WAITING:
        raise NotAllowed(
            _("The department before yours has not decided yet."), code="application.part_waiting"
        )
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose approve, reject or ask for documents."), code="part.decision")
    reason = reason.strip()
    if decision in ("reject", "more_documents") and not reason:
        raise InvalidInput(_("Say why, in words the resident will understand."), code="part.reason")
    seat = None
    if decision == "approve" and kind.assigns_school_seat and part.department.code == "education":
        seat = _school(seat_school_id, application.area_code)
        if seat is None:
            raise InvalidInput(
                _("Choose the school where the child has a seat."), code="part.seat_school"
            )
    part.state = {
        "approve": PartState.APPROVED,
        "reject": PartState.REJECTED,
        "more_documents": PartState.MORE_DOCUMENTS,
    }[decision]
    part.reason = reason[:2000]
    part.seat_school = seat
    if decision != "more_documents":
        part.decided_at, part.decided_by = timezone.now(), actor
    part.save()
    _settle(application, kind)
    _event(
        actor=actor,
        application=application,
        part=part,
        kind=f"part_{part.state}",
        note=reason,
        changes={
            "department": part.department.code,
            "state": part.state,
            "seat_school": str(seat.pk) if seat else None,
            "application_state": application.state,
            "facts": ON_APPROVAL.get(kind.code, {}) if application.state == State.APPROVED else {},
        },
    )
    notify_resident(
        resident_id=application.resident_id,
        reference=application.reference,
        message_code=f"part_{part.state}",
        event_id=str(part.pk),
    )
    return part


@transaction.atomic
def documents_supplied(
    *, actor: Actor, application_id: int, document_ids: list[int]
) -> Application:
    """The resident gives the documents asked for: the parts asking go back to the department."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound(NotFound.default_message())
    resident = _resident_for(actor, application.resident_id)
    if application.state != State.NEEDS_DOCUMENTS:
        raise NotAllowed(_("No documents were asked for."), code="application.no_request")
    attached = _own_documents(resident, document_ids)
    if not attached:
        raise InvalidInput(_("Choose or upload the documents asked for."), code="application.docs")
    application.documents.add(*attached)
    due = deadlines.add_working_days(timezone.localdate(), application.type.decide_within_days)
    application.parts.filter(state=PartState.MORE_DOCUMENTS).update(
        state=PartState.PENDING, due_on=due, updated_at=timezone.now()
    )
    _settle(application, application.type)
    _event(
        actor=actor,
        application=application,
        kind="documents_supplied",
        changes={"documents": len(attached)},
    )
    return application
