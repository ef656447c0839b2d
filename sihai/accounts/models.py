"""Staff accounts, the department catalogue and role assignments bound to an area."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sihai.accounts.roles import Role
from sihai.core.models import TimeStampedModel
from sihai.core.policy import Grant


class User(AbstractUser):
    """A staff account. Residents sign in differently (phone and one-time code)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self) -> str:
        return self.display_name or self.username

    def active_assignments(self) -> list[RoleAssignment]:
        """This account's role assignments, read once per request.

        Cached on the instance, which lives for one request: a changed role takes
        effect on the next request.
        """
        cached: list[RoleAssignment] | None = getattr(self, "_assignments_cache", None)
        if cached is None:
            cached = list(
                RoleAssignment.objects.filter(user=self)
                .select_related("area", "department")
                .order_by("area_id", "role")
            )
            self._assignments_cache = cached
        return cached

    def audit_identity(self) -> tuple[str, str, str]:
        """How this account appears in the audit and access logs."""
        return "staff", str(self.pk), self.username

    def jurisdiction_codes(self) -> frozenset[str]:
        """Area codes of this account's roles: their prefixes bound what it may see."""
        return frozenset(a.area_id for a in self.active_assignments())

    def grants(self) -> tuple[Grant, ...]:
        """What this account may do, where: one grant per role assignment (core.policy)."""
        from sihai.accounts.policies import ROLE_ACTIONS  # noqa: PLC0415  (policies import models)

        if not self.is_active:
            return ()
        return tuple(
            Grant(
                area_code=a.area_id,
                department=a.department.code if a.department else None,
                actions=ROLE_ACTIONS.get(a.role, frozenset()),
                role=a.role,
            )
            for a in self.active_assignments()
        )


class Department(models.Model):
    """A kind of government department (education, medical insurance…).

    The area of a role assignment makes it concrete: education at 530102 is the
    Wuhua district education bureau.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class RoleAssignment(TimeStampedModel):
    """One role held by one account in one area (and, for department staff, one department)."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    area = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area", "role"],
                condition=models.Q(department__isnull=True),
                name="role_once_per_area",
            ),
            models.UniqueConstraint(
                fields=["user", "area", "role", "department"],
                condition=models.Q(department__isnull=False),
                name="department_role_once_per_area",
            ),
            # Department officers name their department; no other role does.
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.DEPARTMENT_OFFICER, department__isnull=False)
                    | (~models.Q(role=Role.DEPARTMENT_OFFICER) & models.Q(department__isnull=True))
                ),
                name="department_iff_department_officer",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_known"),
        ]

    def __str__(self) -> str:
        where = self.area.short_name
        if self.department is not None:
            where = f"{where} {self.department.name}"
        return f"{where} · {self.get_role_display()}"
