"""Reads: the pre-check, a resident's own applications, department queues, documents.

Staff reads of a resident's application (a part to decide, a document) are written to the
access log the resident reads; out of scope is "not found".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sihai.accounts.models import ResidentAccount
from sihai.applications import eligibility
from sihai.applications.models import (
    Application,
    ApplicationPart,
    ApplicationType,
    Document,
    PartState,
    ResidentFacts,
    State,
)
from sihai.applications.policies import APPLICATION_ASSIST, APPLICATION_DECIDE, parts
from sihai.audit import services as audit
from sihai.core.errors import NotFound
from sihai.core.policy import grants_for
from sihai.directory import selectors as directory
from sihai.directory.catalogue import Kind
from sihai.directory.models import Location
from sihai.residents.models import Relationship, Resident
from sihai.residents.policies import residents

PART_FIELDS = ["name", "birth_date", "community", "application", "member.name", "documents"]


def active_types() -> list[ApplicationType]:
    return list(ApplicationType.objects.filter(active=True).order_by("pk"))


def facts_of(resident: Resident) -> ResidentFacts | None:
    return ResidentFacts.objects.filter(resident=resident).first()


def held_document_kinds(resident: Resident, facts: ResidentFacts | None) -> set[str]:
    """What the platform already holds for the resident: no need to bring it again."""
    held = set(Document.objects.filter(resident=resident).values_list("kind", flat=True))
    if resident.id_number:
        held.add("id_card")
    if facts is not None and facts.has_residence_permit:
        held.add("residence_permit")
    return held


def precheck(
    resident: Resident, *, today: datetime.date | None = None
) -> list[eligibility.Verdict]:
    """For each open type (each child, for a school seat): likely eligible, or why not."""
    today = today or timezone.localdate()
    facts = facts_of(resident)
    children = [
        m
        for m in resident.members.order_by("birth_date", "pk")
        if m.relationship in (Relationship.CHILD, Relationship.GRANDCHILD)
    ]
    base = eligibility.resident_facts(
        birth_date=resident.birth_date,
        arrival_date=resident.arrival_date,
        has_id_number=bool(resident.id_number),
        facts=facts,
        children=len(children),
        today=today,
    )
    held = held_document_kinds(resident, facts)
    verdicts: list[eligibility.Verdict] = []
    for kind in active_types():
        bring, have = eligibility.documents_split(kind, held)
        if eligibility.is_child_type(kind):
            if not children:
                verdicts.append(eligibility.Verdict(kind, False, [], bring=bring, held=have))
                continue
            for child in children:
                values = base | eligibility.child_facts(
                    birth_date=child.birth_date, stage=child.school_stage, today=today
                )
                why = eligibility.evaluate(kind, values)
                verdicts.append(
                    eligibility.Verdict(
                        kind, not why, why, child.pk, child.name, bring=bring, held=have
                    )
                )
        else:
            why = eligibility.evaluate(kind, base)
            verdicts.append(eligibility.Verdict(kind, not why, why, bring=bring, held=have))
    return verdicts


def _with_parts(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("type", "member", "preferred_school").prefetch_related(
        Prefetch(
            "parts",
            queryset=ApplicationPart.objects.select_related("department", "seat_school").order_by(
                "step", "pk"
            ),
        )
    )


def applications_of(resident: Resident) -> list[Application]:
    """The resident's own applications, newest first (their own reads are not logged)."""
    return list(_with_parts(Application.objects.filter(resident=resident)))


def application_own_get(*, account: ResidentAccount, application_id: int) -> Application:
    found = _with_parts(
        Application.objects.filter(
            pk=application_id, resident__account=account, resident__erased_at__isnull=True
        )
    ).first()
    if found is None:
        raise NotFound(NotFound.default_message())
    return found


def application_for_counter(*, actor: Any, application_id: int) -> Application:
    """An application in the counter's area (for its receipt); out of scope = not found."""
    found = (
        _with_parts(Application.objects.filter(pk=application_id))
        .select_related("resident")
        .first()
    )
    if found is None or not residents.can(actor, APPLICATION_ASSIST, found.resident):
        raise NotFound(NotFound.default_message())
    return found


def queue_for_actor(*, actor: Any, include_decided: bool = False) -> list[ApplicationPart]:
    """The parts waiting for the actor's department in their area, nearest deadline first.

    Only the reference, type, community and deadline are shown: no personal data is read.
    """
    found = parts.visible_to(
        actor,
        APPLICATION_DECIDE,
        ApplicationPart.objects.select_related("application__type", "department"),
    )
    if not include_decided:
        found = found.filter(state__in=[PartState.PENDING, PartState.MORE_DOCUMENTS])
    else:
        found = found.exclude(state=PartState.WAITING)
    return list(found.order_by("due_on", "pk")[:200])


def part_get_for_actor(*, actor: Any, part_id: int) -> ApplicationPart:
    """One part to decide, with its application; opening it reads personal data: logged."""
    part = parts.get_for_actor(
        actor,
        APPLICATION_DECIDE,
        ApplicationPart.objects.select_related(
            "department",
            "seat_school",
            "application__type",
            "application__resident__community",
            "application__member",
            "application__preferred_school",
        ),
        pk=part_id,
    )
    resident = part.application.resident
    audit.access(
        actor=actor,
        subject=resident,
        purpose="service_delivery",
        fields=PART_FIELDS,
        subject_area=resident.community_id,
    )
    return part


def document_get_for_actor(*, actor: Any, document_id: int) -> Document:
    """A document for the resident who gave it, or staff whose part or counter it serves.

    Every staff read is logged against the resident; anyone else is told "not found".
    """
    document = Document.objects.select_related("resident").filter(pk=document_id).first()
    if document is None:
        raise NotFound(NotFound.default_message())
    resident = document.resident
    if isinstance(actor, ResidentAccount):
        if resident.account_id != actor.pk:
            raise NotFound(NotFound.default_message())
        return document
    routed = parts.visible_to(
        actor,
        APPLICATION_DECIDE,
        ApplicationPart.objects.filter(application__documents=document),
    ).exists()
    if not routed and not residents.can(actor, APPLICATION_ASSIST, resident):
        raise NotFound(NotFound.default_message())
    audit.access(
        actor=actor,
        subject=resident,
        purpose="service_delivery",
        fields=[f"document.{document.kind}"],
        subject_area=resident.community_id,
    )
    return document


def documents_of(resident: Resident) -> list[Document]:
    return list(Document.objects.filter(resident=resident))


def schools_near(area_code: str) -> list[Location]:
    """Published schools of the resident's district, from the service directory."""
    return list(directory.public_location_list(kind=Kind.SCHOOL, area_code=area_code[:6])[:200])


def can_decide(actor: Any) -> bool:
    return bool(grants_for(actor, APPLICATION_DECIDE))


def open_states() -> list[str]:
    return [State.IN_REVIEW, State.NEEDS_DOCUMENTS]


def seat_rows(*, today: datetime.date | None = None) -> list[Any]:
    """One row per child of a registered household (district, age, seat?), for ``metrics``.

    Reads only the district, a birth date turned into an age, and whether a seat was
    assigned: nothing leaves this function that names a person.
    """
    from sihai.applications.metrics import ChildRow  # noqa: PLC0415
    from sihai.residents.models import HouseholdMember  # noqa: PLC0415

    today = today or timezone.localdate()
    cutoff = eligibility.school_year_cutoff(today)
    seated = set(
        ApplicationPart.objects.filter(
            application__state=State.APPROVED,
            application__type__assigns_school_seat=True,
            seat_school__isnull=False,
        ).values_list("application__member_id", flat=True)
    )
    rows = HouseholdMember.objects.filter(
        relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD],
        resident__erased_at__isnull=True,
    ).values_list("pk", "birth_date", "resident__community_id")
    return [
        ChildRow(str(community)[:6], eligibility.age_on(born, cutoff), pk in seated)
        for pk, born, community in rows
    ]


def resident_at_counter(*, actor: Any, resident_id: int) -> None:
    """NotFound unless the resident is live and in the counter's area (reads no personal field)."""
    found = (
        Resident.objects.filter(pk=resident_id, erased_at__isnull=True)
        .only("pk", "community_id")
        .first()
    )
    if found is None or not residents.can(actor, APPLICATION_ASSIST, found):
        raise NotFound(NotFound.default_message())
