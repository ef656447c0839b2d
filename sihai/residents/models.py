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
    # Set when the resident's deletion request was granted: the identifying fields are gone,
    # what is left (community, gender, birth year, occupation) feeds suppressed statistics only.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

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
    # PIPL art. 31: a child under 14's information needs the guardian's consent, one per child.
    MINOR_DATA = "minor_data", _("Keeping my child's information (as guardian)")


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
    # For a guardian's consent (minor_data): the child it covers.
    member = models.ForeignKey(
        "residents.HouseholdMember",
        verbose_name=_("household member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian_consents",
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
                condition=models.Q(
                    withdrawn_at__isnull=True, department__isnull=True, member__isnull=True
                ),
                name="one_active_consent_per_purpose",
            ),
            models.UniqueConstraint(
                fields=["resident", "purpose", "member"],
                condition=models.Q(withdrawn_at__isnull=True, member__isnull=False),
                name="one_active_consent_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="department_sharing", department__isnull=False)
                | (~models.Q(purpose="department_sharing") & models.Q(department__isnull=True)),
                name="department_iff_sharing",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="minor_data") | models.Q(member__isnull=True),
                name="member_only_for_minor_data",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({'withdrawn' if self.withdrawn_at else 'active'})"


class Relationship(models.TextChoices):
    """How a household member is related to the resident who keeps the household."""

    CHILD = "child", _("Child")
    SPOUSE = "spouse", _("Spouse or partner")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class SchoolStage(models.TextChoices):
    """Where a child is in school: what a school-seat application starts from."""

    NOT_IN_SCHOOL = "not_in_school", _("Not in school yet")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary school")
    LEFT_SCHOOL = "left_school", _("Finished or left school")


class HouseholdMember(TimeStampedModel):
    """Someone who lives with a registered resident: a child, a spouse, a parent.

    The household is the resident's (``resident``), so a member is in scope wherever the
    resident is. A member who registered in their own right is linked (``registered_as``).
    A child under 14 is kept only while the guardian's consent (``minor_data``) stands.
    """

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="members"
    )
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED
    )
    birth_date = models.DateField(_("date of birth"))
    id_number = EncryptedTextField(_("ID number"), null=True, blank=True)
    id_number_index = BlindIndexField(source="id_number")
    # Children's details for school-seat applications.
    school_stage = models.CharField(
        _("school stage"), max_length=20, choices=SchoolStage.choices, blank=True, default=""
    )
    school_name = models.CharField(_("current school"), max_length=100, blank=True, default="")
    registered_as = models.ForeignKey(
        Resident,
        verbose_name=_("registered as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return f"household member {self.pk}"


class ResidenceChange(models.Model):
    """A move from one community to another within the city: the record's scope follows."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="moves")
    from_community = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_community = models.ForeignKey(
        "areas.AdministrativeArea", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField(_("moved on"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Staff who recorded the move; empty when the resident recorded it in the portal.
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_community_id} → {self.to_community_id}"


class DeletionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")  # filed by the resident; clock running
    ERASED = "erased", _("Done: your data was erased")  # granted; identifying fields erased
    REFUSED = "refused", _("Refused, with reasons")  # kept, the reason given to the resident
    WITHDRAWN = "withdrawn", _("Withdrawn by you")  # the resident changed their mind


class DeletionRequest(TimeStampedModel):
    """A resident's request to erase their data (PIPL art. 47), decided by staff by a deadline."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="deletions"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeletionState.choices, default=DeletionState.PENDING
    )
    # The resident's own words, if they gave any (optional).
    reason = models.TextField(_("reason"), blank=True, default="")
    due_on = models.DateField(_("decide by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reasons for refusal"), blank=True, default="")

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(state="pending"),
                name="one_pending_deletion_per_resident",
            )
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="deletion_state_due")]

    def __str__(self) -> str:
        return f"deletion request {self.pk} ({self.state})"
