"""Residents who registered (voluntarily), their consents, and their households.

Identifiers (phone, ID number) and the address are encrypted; the phone and the
ID number have blind indexes for exact-match search. Ethnicity and religion are
optional, self-declared after a separate consent, encrypted, and never listed,
searched or exported individually (DESIGN.md, principles).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sihai.core.fields import BlindIndexField, EncryptedTextField
from sihai.core.models import TimeStampedModel


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSTATED = "unstated", _("Prefer not to say")


class Occupation(models.TextChoices):
    DELIVERY_RIDER = "delivery_rider", _("Delivery rider")  # 外卖骑手 (new forms of employment)
    RIDE_HAILING_DRIVER = "ride_hailing_driver", _("Ride-hailing driver")  # 网约车司机
    COURIER = "courier", _("Courier")  # 快递员
    CONSTRUCTION = "construction", _("Construction worker")
    MANUFACTURING = "manufacturing", _("Factory worker")
    SERVICES = "services", _("Service work (shops, restaurants, hotels)")
    DOMESTIC = "domestic", _("Domestic work")
    SELF_EMPLOYED = "self_employed", _("Self-employed or small business")
    AGRICULTURE = "agriculture", _("Farming")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    SEEKING_WORK = "seeking_work", _("Looking for work")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    """Needs a resident chooses to declare so that services can meet them."""

    LANGUAGE_HELP = "language_help", _("Help with Chinese (interpreting)")
    HALAL_FOOD = "halal_food", _("Halal food at events")
    VEGETARIAN_FOOD = "vegetarian_food", _("Vegetarian food at events")
    WHEELCHAIR = "wheelchair", _("Wheelchair access")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    LARGE_PRINT = "large_print", _("Large print or read aloud")


class RegisteredVia(models.TextChoices):
    SELF = "self", _("by the resident in the portal")
    ASSISTED = "assisted", _("at a workstation, with staff help")
    IMPORT = "import", _("imported from an existing register")


class Resident(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    # Matching form of the name (sihai/residents/names.py); never shown.
    name_normalised = models.CharField(max_length=100, db_index=True, editable=False)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED
    )
    birth_date = models.DateField(_("date of birth"))
    phone = EncryptedTextField(_("phone number"), null=True, blank=True)
    phone_index = BlindIndexField(source="phone")
    id_number = EncryptedTextField(_("ID number"), null=True, blank=True)
    id_number_index = BlindIndexField(source="id_number", unique=True)
    # Where the resident comes from: a province (2 digits), city (4) or county (6) code.
    origin_code = models.CharField(_("place of origin"), max_length=6, blank=True)
    arrival_date = models.DateField(_("date of arrival"), null=True, blank=True)
    community = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A free address (no coordinates of the person are ever kept).
    address = EncryptedTextField(_("address"), blank=True, default="")
    occupation = models.CharField(
        _("occupation"), max_length=30, choices=Occupation.choices, default=Occupation.OTHER
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    needs = models.JSONField(_("declared needs"), default=list, blank=True)
    # Sensitive categories: only with the separate consent, only self-declared, never listed.
    ethnicity = EncryptedTextField(_("ethnic group"), null=True, blank=True)
    religion = EncryptedTextField(_("religion"), null=True, blank=True)
    account = models.OneToOneField(
        "accounts.ResidentAccount",
        verbose_name=_("sign-in account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    registered_via = models.CharField(_("registered"), max_length=10, choices=RegisteredVia.choices)
    registered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["name_normalised", "birth_date"], name="resident_name_birth")
        ]

    def __str__(self) -> str:
        return f"resident {self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        from sihai.residents.names import normalise_name  # noqa: PLC0415  (models load first)

        self.name_normalised = normalise_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Purpose(models.TextChoices):
    """What a resident's data may be used for; each needs its own consent."""

    SERVICE_DELIVERY = "service_delivery", _("Using my data to serve me")
    SENSITIVE_CATEGORIES = "sensitive_categories", _("Recording my ethnic group or religion")
    DEPARTMENT_SHARING = "department_sharing", _("Sharing with a named department")
    CROSS_REGION_REFERRAL = "cross_region_referral", _("Referral to a partner city")
    EVENT_CONTACT = "event_contact", _("Contacting me about community events")


class ConsentChannel(models.TextChoices):
    PORTAL = "portal", _("the resident agreed in the portal")
    COUNTER = "counter", _("staff recorded a signed form at the counter")


class Consent(models.Model):
    """One consent for one purpose (and, for sharing, one department), until withdrawn."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("given"), auto_now_add=True)
    channel = models.CharField(_("how"), max_length=10, choices=ConsentChannel.choices)
    # At the counter: the reference of the signed form kept on file.
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "purpose", "department"],
                condition=models.Q(withdrawn_at__isnull=True, department__isnull=False),
                name="one_active_consent_per_department",
            ),
            models.UniqueConstraint(
                fields=["resident", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True, department__isnull=True),
                name="one_active_consent_per_purpose",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="department_sharing", department__isnull=False)
                | (~models.Q(purpose="department_sharing") & models.Q(department__isnull=True)),
                name="department_iff_sharing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({'withdrawn' if self.withdrawn_at else 'active'})"
