"""Demo applications: every state of every type, and 阿依's school-seat story.

Everything goes through the audited services (submitted at the Huashan counter, decided by
the Wuhua department officers), and is skipped when it is there already.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password

from sihai.core.seeding import SeedContext, seeder

# Department officers of Wuhua besides the README's edu_wuhua and insurance_city.
OFFICERS = [
    ("hr_wuhua", "五华区人力资源和社会保障局 · 王军", "human_resources"),
    ("housing_wuhua", "五华区住房和城乡建设局 · 孙丽", "housing"),
    ("police_wuhua", "五华区公安分局居住证窗口 · 何勇", "public_security"),
    ("civil_wuhua", "五华区民政局 · 周婷", "civil_affairs"),
]
STATES = ["in_review", "needs_documents", "approved", "rejected"]
DEMO_PDF = b"%PDF-1.4\n% Sihai demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@seeder("application_officers", order=70)
def seed_application_officers(ctx: SeedContext) -> None:
    from sihai.accounts.backends import DEMO_PASSWORD  # noqa: PLC0415
    from sihai.accounts.models import Department, RoleAssignment, User  # noqa: PLC0415
    from sihai.accounts.roles import Role  # noqa: PLC0415

    password = make_password(DEMO_PASSWORD)
    for username, display, department in OFFICERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "password": password}
        )
        if created:
            RoleAssignment.objects.create(
                user=user,
                area_id="530102",
                role=Role.DEPARTMENT_OFFICER,
                department=Department.objects.get(code=department),
            )
            ctx.note("department officers", 1)


def _decide(application: object, state: str) -> None:
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.applications import services  # noqa: PLC0415
    from sihai.applications.models import Application, PartState  # noqa: PLC0415
    from sihai.applications.selectors import schools_near  # noqa: PLC0415

    assert isinstance(application, Application)  # noqa: S101
    by_department = {
        "education": "edu_wuhua",
        "medical_insurance": "insurance_city",
        "human_resources": "hr_wuhua",
        "housing": "housing_wuhua",
        "public_security": "police_wuhua",
        "civil_affairs": "civil_wuhua",
    }
    if state == "in_review":
        return
    for part in application.parts.select_related("department").order_by("step"):
        part.refresh_from_db()
        if part.state != PartState.PENDING:
            continue
        actor = User.objects.get(username=by_department[part.department.code])
        last = part.step == application.parts.count()
        if state == "needs_documents":
            services.part_decide(
                actor=actor,
                part_id=part.pk,
                decision="more_documents",
                reason="请补充近 6 个月的租房合同。",
            )
            return
        if state == "rejected" and last:
            services.part_decide(
                actor=actor,
                part_id=part.pk,
                decision="reject",
                reason="材料显示不符合申请条件，可咨询窗口。",
            )
            return
        seat = None
        if part.department.code == "education" and application.type.assigns_school_seat:
            schools = schools_near(application.area_code)
            seat = str(application.preferred_school_id or (schools[0].pk if schools else ""))
        services.part_decide(actor=actor, part_id=part.pk, decision="approve", seat_school_id=seat)


@seeder("applications", order=72)
def seed_applications(ctx: SeedContext) -> None:
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.applications import services  # noqa: PLC0415
    from sihai.applications.factories import child_of, facts_for  # noqa: PLC0415
    from sihai.applications.models import Application, ApplicationType  # noqa: PLC0415
    from sihai.applications.selectors import schools_near  # noqa: PLC0415
    from sihai.residents.factories import resident_in  # noqa: PLC0415

    _ayi_story(ctx)
    _guli_family(ctx)
    if Application.objects.filter(submitted_via="counter").exists():
        return
    counter = User.objects.get(username="huashan_officer")
    community = "530102001001"
    schools = schools_near(community)
    for kind in ApplicationType.objects.order_by("pk"):
        if kind.assigns_school_seat and not schools:
            continue  # a seed without the directory (or its schools) has no seat to assign
        for n, state in enumerate(STATES):
            resident = resident_in(
                community,
                name=f"演示居民{kind.pk}{n}",
                birth_date=datetime.date(1988, 1 + n, 10),
                arrival_date=datetime.date(2022, 3, 1),
            )
            facts_for(
                resident,
                employment="seeking" if kind.code == "employment_assistance" else "employed",
                has_residence_permit=kind.code != "residence_permit",
            )
            member_id, school_id = None, None
            if kind.subject == "child":
                member_id = child_of(resident, age=7 + n, name=f"演示孩子{n}").pk
                school_id = str(schools[n % len(schools)].pk) if schools else None
            application = services.application_submit(
                actor=counter,
                resident_id=resident.pk,
                data=services.SubmitInput(kind.code, member_id=member_id, school_id=school_id),
            )
            _decide(application, state)
            ctx.note(f"applications ({state})", 1)


def _ayi_story(ctx: SeedContext) -> None:
    """阿依 (README): employment help decided by two departments, a birth certificate kept, and
    her son 阿力's school seat ready to apply for (the browser journey applies for it)."""
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.applications import services  # noqa: PLC0415
    from sihai.applications.factories import facts_for  # noqa: PLC0415
    from sihai.applications.models import Application  # noqa: PLC0415
    from sihai.residents.seed import KNOWN_PHONES, _known  # noqa: PLC0415

    ayi = _known(KNOWN_PHONES[0])
    if ayi.account is None or Application.objects.filter(resident=ayi).exists():
        return
    facts_for(ayi, employment="flexible", has_residence_permit=True, social_insurance_months=18)
    document = services.document_upload(
        actor=ayi.account, resident_id=ayi.pk, kind="birth_certificate", data=DEMO_PDF
    )
    application = services.application_submit(
        actor=ayi.account,
        resident_id=ayi.pk,
        data=services.SubmitInput("employment_assistance", document_ids=(document.pk,)),
    )
    for part in application.parts.select_related("department"):
        username = "hr_wuhua" if part.department.code == "human_resources" else "civil_wuhua"
        services.part_decide(
            actor=User.objects.get(username=username), part_id=part.pk, decision="approve"
        )
    ctx.note("applications (阿依's story)", 1)


# A second family for the school-seat walk-through (README, browser journey): 古丽 and her
# daughter 努尔, who is starting primary school; nothing applied for yet.
GULI_PHONE = "13900000006"


def _guli_family(ctx: SeedContext) -> None:
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.applications.factories import facts_for  # noqa: PLC0415
    from sihai.residents import services as residents  # noqa: PLC0415
    from sihai.residents.models import Occupation, Resident  # noqa: PLC0415
    from sihai.residents.seed import _portal_account  # noqa: PLC0415

    if Resident.objects.filter(
        phone_index=residents.blind_index("phone", f"+86{GULI_PHONE}")
    ).exists():
        return
    worker = User.objects.get(username="cuihu_worker")
    guli = residents.resident_register(
        actor=worker,
        data=residents.ResidentInput(
            name="古丽·阿不都",
            birth_date=datetime.date(1992, 6, 18),
            gender="female",
            phone=GULI_PHONE,
            community_code="530102001001",
            arrival_date=datetime.date(2024, 2, 20),
            occupation=Occupation.SERVICES,
            languages=["维吾尔语", "普通话"],
        ),
        consent_evidence="DEMO-FORM-GULI",
    )
    today = datetime.date(2026, 11, 1)
    residents.household_member_add(
        actor=worker,
        resident_id=guli.pk,
        data=residents.MemberInput(
            relationship="child",
            name="努尔·阿不都",
            birth_date=today.replace(year=today.year - 6, month=3),
            gender="female",
            school_stage="kindergarten",
        ),
        guardian_evidence="监护人同意书-GULI",
    )
    _portal_account(guli)
    facts_for(guli, employment="employed", has_residence_permit=False, social_insurance_months=9)
    ctx.note("application families", 1)
