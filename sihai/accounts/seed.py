"""The demo city's staff: the documented personas, and at city scale staff everywhere."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sihai.accounts.backends import DEMO_PASSWORD
from sihai.accounts.models import Department, RoleAssignment, TOTPDevice, User
from sihai.accounts.roles import ADMIN_ROLES, Role
from sihai.areas.codes import Level
from sihai.areas.models import AdministrativeArea
from sihai.core.seeding import SeedContext, seeder
from sihai.core.synth import person_name, phone_number

# The demo administrators' authenticator key (published, like the demo password): add it to
# any TOTP app, or run `python -c "import pyotp; print(pyotp.TOTP('<key>').now())"`.
DEMO_TOTP_SECRET = "SIHAIDEMOADMINSXJBSWY3DPEHPK3PXP"  # noqa: S105  (demo only, published)

# Django's marker for "no password can match" (see make_password(None)).
UNUSABLE = "!"


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    area_code: str
    role: Role
    department: str | None = None
    is_staff_admin_site: bool = False


PERSONAS: list[Persona] = [
    Persona("city_officer", "昆明市 · 市级干部 周明", "5301", Role.CITY_OFFICER),
    Persona("wuhua_officer", "五华区 · 区干部 李红", "530102", Role.DISTRICT_OFFICER),
    Persona("panlong_officer", "盘龙区 · 区干部 赵刚", "530103", Role.DISTRICT_OFFICER),
    Persona("huashan_officer", "华山街道 · 街道干部 王芳", "530102001", Role.SUBDISTRICT_OFFICER),
    Persona("lianmeng_officer", "联盟街道 · 街道干部 陈杰", "530103004", Role.SUBDISTRICT_OFFICER),
    Persona("cuihu_worker", "翠湖西路社区 · 社工 杨丽", "530102001001", Role.COMMUNITY_WORKER),
    Persona("xiaoba_worker", "小坝社区 · 社工 马燕", "530103004001", Role.COMMUNITY_WORKER),
    Persona("edu_wuhua", "五华区教育体育局 · 张静", "530102", Role.DEPARTMENT_OFFICER, "education"),
    Persona(
        "insurance_city",
        "昆明市医疗保障局 · 刘洋",
        "5301",
        Role.DEPARTMENT_OFFICER,
        "medical_insurance",
    ),
    # Only the system administrator uses the admin site (operations); the other two work in
    # the workbench, where roles and the audit log live.
    Persona("sysadmin", "系统管理员", "5301", Role.SYSTEM_ADMIN, None, True),
    Persona("secadmin", "安全管理员", "5301", Role.SECURITY_ADMIN),
    Persona("auditadmin", "审计管理员", "5301", Role.AUDIT_ADMIN),
]


@seeder("personas", order=10)
@transaction.atomic
def seed_personas(ctx: SeedContext) -> None:
    """Create or reset the documented personas with exactly their documented role."""
    departments = {d.code: d for d in Department.objects.all()}
    password = make_password(DEMO_PASSWORD)
    created = 0
    for persona in PERSONAS:
        user, was_created = User.objects.get_or_create(
            username=persona.username,
            defaults={"display_name": persona.display_name, "password": password},
        )
        if was_created:
            created += 1
        user.display_name = persona.display_name
        # Admin-site access follows the system administrator's role (sihai/accounts/admin.py);
        # the flag is kept true only so Django's admin templates show the right links.
        user.is_staff = persona.is_staff_admin_site
        user.is_active = True
        user.password_changed_at = timezone.now()
        user.save(update_fields=["display_name", "is_staff", "is_active", "password_changed_at"])
        if persona.role in ADMIN_ROLES:
            # Administrators always need a second factor; the demo publishes their TOTP key.
            TOTPDevice.objects.update_or_create(
                user=user, defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": timezone.now()}
            )
        department = departments[persona.department] if persona.department else None
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=user, area_id=persona.area_code, role=persona.role, department=department
        )
        RoleAssignment.objects.filter(user=user).exclude(pk=assignment.pk).delete()
    ctx.note("personas created", created)


@seeder("staff", order=20)
@transaction.atomic
def seed_staff_everywhere(ctx: SeedContext) -> None:
    """At city scale: a worker in every community, an officer in every subdistrict and
    district, and an officer of every department in every district. Bulk-inserted; they
    cannot sign in (unusable password) — only the personas can."""
    if not ctx.scale.staff_everywhere:
        return
    areas = list(
        AdministrativeArea.objects.exclude(level=Level.CITY)
        .values_list("code", "level")
        .order_by("code")
    )
    departments = list(Department.objects.order_by("code"))
    role_for_level = {
        Level.COUNTY: Role.DISTRICT_OFFICER,
        Level.TOWNSHIP: Role.SUBDISTRICT_OFFICER,
        Level.VILLAGE: Role.COMMUNITY_WORKER,
    }
    planned: list[tuple[str, str, Role, Department | None]] = []
    for code, level in areas:
        planned.append((f"staff_{code}", code, role_for_level[Level(level)], None))
        if level == Level.COUNTY:
            planned.extend(
                (f"staff_{code}_{dept.code}", code, Role.DEPARTMENT_OFFICER, dept)
                for dept in departments
            )
    existing = set(
        User.objects.filter(username__startswith="staff_").values_list("username", flat=True)
    )
    todo = [p for p in planned if p[0] not in existing]
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                display_name=person_name(ctx.rng),
                password=UNUSABLE,
                is_active=True,
            )
            for username, _code, _role, _dept in todo
        ],
        batch_size=1000,
    )
    by_name = {u.username: u for u in users}
    if any(u.pk is None for u in users):
        # Backends that do not return primary keys from bulk inserts: read them back.
        by_name = {u.username: u for u in User.objects.filter(username__in=list(by_name))}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=by_name[username], area_id=code, role=role, department=dept)
            for username, code, role, dept in todo
        ],
        batch_size=1000,
    )
    ctx.note("synthetic staff created", len(todo))


RESIDENT_ACCOUNTS = {"demo": 40, "city": 20_000}


@seeder("resident_accounts", order=30)
@transaction.atomic
def seed_resident_accounts(ctx: SeedContext) -> None:
    """Residents' sign-in accounts with synthetic phone numbers (encrypted, blind-indexed).

    A quarter were opened at the Cuihu West Road counter by cuihu_worker.
    """
    from sihai.accounts.models import ResidentAccount  # noqa: PLC0415  (keeps the persona list light)
    from sihai.accounts.resident_auth import phone_index  # noqa: PLC0415

    rng = random.Random(f"{ctx.rng.random()}-residents")
    phones = [phone_number(rng) for _ in range(ctx.target(RESIDENT_ACCOUNTS[ctx.scale.name]))]
    indexes = {phone_index(p): p for p in phones}
    existing = set(
        ResidentAccount.objects.filter(phone_index__in=list(indexes)).values_list(
            "phone_index", flat=True
        )
    )
    worker = User.objects.filter(username="cuihu_worker").first()
    new = []
    for n, (index, phone) in enumerate(indexes.items()):
        if index in existing:
            continue
        assisted = worker is not None and n % 4 == 0
        new.append(
            ResidentAccount(
                phone=phone,
                created_via=ResidentAccount.CreatedVia.ASSISTED
                if assisted
                else ResidentAccount.CreatedVia.SELF,
                created_by=worker if assisted else None,
                created_area_id="530102001001" if assisted else None,
            )
        )
    ResidentAccount.objects.bulk_create(new, batch_size=1000)
    ctx.note("resident accounts created", len(new))


@seeder("role_history", order=15)
def seed_role_history(ctx: SeedContext) -> None:
    """A newcomer given a role by the security administrator, through the audited service,
    so the audit log and the staff pages have something true to show."""
    from sihai.accounts.services import role_grant  # noqa: PLC0415  (services import audit)

    newcomer, created = User.objects.get_or_create(
        username="wuhuashan_worker",
        defaults={
            "display_name": "五华山社区 · 社工 周婷",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    if created or not RoleAssignment.objects.filter(user=newcomer).exists():
        role_grant(
            actor=User.objects.get(username="secadmin"),
            user=newcomer,
            area_code="530102001003",
            role=Role.COMMUNITY_WORKER,
        )
        ctx.note("roles granted through the audited service", 1)
