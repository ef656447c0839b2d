"""Staff accounts, the department catalogue and role assignments bound to an area."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sihai.accounts.roles import Role
from sihai.core.fields import BlindIndexField, EncryptedTextField
from sihai.core.models import TimeStampedModel
from sihai.core.policy import Grant


class User(AbstractUser):
    """A staff account. Residents sign in differently (phone and one-time code)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # When the password was last set: the MLPS profile asks for a change every 180 days.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

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


class LoginThrottle(models.Model):
    """Failed sign-ins per username (hashed), whether or not such an account exists.

    Keyed by the name typed, so a locked name answers the same for a real account
    and for a made-up one: lockout reveals nothing about who has an account.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.failures} failures"


class TOTPDevice(TimeStampedModel):
    """A staff member's authenticator app (RFC 6238 TOTP, 30-second steps, 6 digits)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code is never accepted twice (no replay).
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP for {self.user}"


class PasswordHistory(models.Model):
    """Earlier password hashes, for the MLPS rule "not one of the last 5"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal API token for a staff integration. Only its SM3 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The public part shown in lists and used to revoke; the secret part is never stored.
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class ResidentAccount(TimeStampedModel):
    """A resident's sign-in: a phone number (encrypted, found by its blind index).

    Residents sign in with a one-time code sent to the phone; they have no password.
    The account is created by the resident, or at a workstation counter by staff
    (``created_via = assisted``, with the worker recorded).
    """

    class CreatedVia(models.TextChoices):
        SELF = "self", _("by the resident")
        ASSISTED = "assisted", _("at a workstation, with staff help")

    phone = EncryptedTextField(_("phone number"))
    phone_index = BlindIndexField(source="phone", unique=True)
    created_via = models.CharField(_("created"), max_length=10, choices=CreatedVia.choices)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where an assisted account was opened: staff see the accounts of their own area.
    created_area = models.ForeignKey(
        "areas.AdministrativeArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resident account")
        verbose_name_plural = _("resident accounts")

    def __str__(self) -> str:
        return f"resident #{self.pk}"

    def audit_identity(self) -> tuple[str, str, str]:
        return "resident", str(self.pk), f"resident #{self.pk}"


class OneTimeCode(models.Model):
    """A 6-digit sign-in code: valid 5 minutes, used once, a few guesses at most.

    Only a keyed hash of the code is stored, never the code itself.
    """

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # Hashed client address, for the per-IP rate limit (not the address itself).
    client_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["phone_index", "created_at"], name="otp_phone_time")]

    def __str__(self) -> str:
        return f"code {self.pk}"
