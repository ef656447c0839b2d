"""Test and seed helpers: a parent with a child, department officers, a school."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sihai.accounts.models import Department, RoleAssignment, User
from sihai.accounts.roles import Role
from sihai.applications.models import ResidentFacts
from sihai.residents.models import HouseholdMember, Resident


def officer(username: str, area: str, department: str) -> User:
    """A department officer of ``department`` in ``area`` (made once)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": f"{department} {area}"}
    )
    if created:
        RoleAssignment.objects.create(
            user=user,
            area_id=area,
            role=Role.DEPARTMENT_OFFICER,
            department=Department.objects.get(code=department),
        )
    return user


def facts_for(resident: Resident, **values: object) -> ResidentFacts:
    defaults: dict[str, object] = {
        "insurance": "none",
        "housing": "renting",
        "employment": "employed",
        "social_insurance_months": 12,
        "has_residence_permit": True,
    }
    defaults.update(values)
    facts, _created = ResidentFacts.objects.update_or_create(resident=resident, defaults=defaults)
    return facts


def child_of(resident: Resident, *, age: int = 8, name: str = "阿力") -> HouseholdMember:
    today = timezone.localdate()
    born = datetime.date(today.year - age, 3, 1)
    return HouseholdMember.objects.create(
        resident=resident, relationship="child", name=name, birth_date=born, school_stage="primary"
    )
