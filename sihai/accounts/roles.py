"""The staff roles and the department catalogue.

What each role may do is the business of the permission model (issue "Identity
and accountability"); here they are named, labelled and bound to an area.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    COMMUNITY_WORKER = "community_worker", _("Community worker")  # 社区工作者 (一家亲工作站)
    SUBDISTRICT_OFFICER = "subdistrict_officer", _("Subdistrict officer")  # 街道干部
    DISTRICT_OFFICER = "district_officer", _("District officer")  # 区县干部
    CITY_OFFICER = "city_officer", _("City officer")  # 市级干部
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")  # 职能部门工作人员
    # The three administrators of MLPS 三权分立: no account may hold two of them.
    SYSTEM_ADMIN = "system_admin", _("System administrator")  # 系统管理员
    SECURITY_ADMIN = "security_admin", _("Security administrator")  # 安全管理员
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")  # 审计管理员


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Departments that work with the platform (code, Chinese name, English name).
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("united_front", "统战部", "United Front Work Department"),
    ("ethnic_religious", "民族宗教事务局", "Ethnic and Religious Affairs Bureau"),
    ("public_security", "公安局（居住证）", "Public Security Bureau (residence permits)"),
    ("education", "教育体育局", "Education Bureau"),
    ("medical_insurance", "医疗保障局", "Medical Insurance Bureau"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("human_resources", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("justice", "司法局（人民调解）", "Justice Bureau (mediation)"),
    ("civil_affairs", "民政局", "Civil Affairs Bureau"),
    ("health", "卫生健康委员会", "Health Commission"),
]
