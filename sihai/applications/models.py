"""Public-service applications (办成一件事): types as data, one application, a part per department.

An :class:`ApplicationType` is a row a city officer edits: its eligibility conditions (in the
rule language of ``rules.py``), the documents it needs, the departments that decide it and in
what order, and the working days each has. A resident's :class:`Application` fans out into
one :class:`ApplicationPart` per department; each department decides its own part, and the
application is decided when every part is. :class:`Document` files are stored encrypted on
disk, once per resident, and attached to as many applications as need them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sihai.core.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("Resident identity card")
    HOUSEHOLD_REGISTER = "household_register", _("Household register (hukou booklet)")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    RENTAL_CONTRACT = "rental_contract", _("Rental contract or proof of address")
    EMPLOYMENT_PROOF = "employment_proof", _("Proof of work (contract or business licence)")
    BIRTH_CERTIFICATE = "birth_certificate", _("Child's birth certificate")
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance contribution record")
    PHOTO = "photo", _("Recent photo")


class Subject(models.TextChoices):
    RESIDENT = "resident", _("the resident")
    CHILD = "child", _("a child of the household")


class ApplicationType(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    summary_zh = models.TextField(_("what it is (Chinese)"), blank=True)
    summary_en = models.TextField(_("what it is (English)"), blank=True)
    subject = models.CharField(
        _("applies for"), max_length=10, choices=Subject.choices, default=Subject.RESIDENT
    )
    # [{"rule": "...", "why_not_zh": "...", "why_not_en": "..."}], all must hold.
    conditions = models.JSONField(_("eligibility conditions"), default=list)
    documents = models.JSONField(_("documents needed"), default=list)
    # Department codes; sequential: each decides after the one before approved.
    departments = models.JSONField(_("deciding departments"), default=list)
    sequential = models.BooleanField(_("departments decide one after another"), default=False)
    decide_within_days = models.PositiveSmallIntegerField(
        _("working days each department has"), default=10
    )
    # The school-seat flow: a preferred school, and the education part assigns a seat.
    assigns_school_seat = models.BooleanField(_("assigns a school seat"), default=False)
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("application type")
        verbose_name_plural = _("application types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def summary(self) -> str:
        return self.summary_zh if (get_language() or "").startswith("zh") else self.summary_en


class Document(TimeStampedModel):
    """One file a resident gave once, kept encrypted on disk, reused across applications."""

    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    digest = models.CharField(_("SM3 digest"), max_length=64)
    # Path under SIHAI_DOCUMENT_ROOT; the file holds encrypt_bytes(content).
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-created_at"]

    def __str__(self) -> str:
        return f"document {self.pk} ({self.kind})"


class State(models.TextChoices):
    IN_REVIEW = "in_review", _("Being decided")
    NEEDS_DOCUMENTS = "needs_documents", _("More documents needed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class PartState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the department before")
    PENDING = "pending", _("To decide")
    MORE_DOCUMENTS = "more_documents", _("Asked for more documents")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    # Sequential types: an earlier department did not approve, so this one need not decide.
    CLOSED = "closed", _("Not needed")


DECIDED_PART_STATES = (PartState.APPROVED, PartState.REJECTED, PartState.CLOSED)


class Application(TimeStampedModel):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    type = models.ForeignKey(
        ApplicationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    # The resident's community when they applied: what decides whose jurisdiction it is.
    area_code = models.CharField(_("community"), max_length=12, db_index=True)
    # A child taken off the household (or erased) leaves the application and its decisions,
    # without the child.
    member = models.ForeignKey(
        "residents.HouseholdMember",
        verbose_name=_("child"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    preferred_school = models.ForeignKey(
        "directory.Location",
        verbose_name=_("preferred school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.IN_REVIEW
    )
    submitted_via = models.CharField(_("submitted"), max_length=10, default="portal")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="applications")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["type", "state"], name="application_type_state")]

    def __str__(self) -> str:
        return self.reference


class ApplicationPart(TimeStampedModel):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="parts"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    area_code = models.CharField(_("community"), max_length=12)
    step = models.PositiveSmallIntegerField(_("order"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=PartState.choices, default=PartState.PENDING
    )
    due_on = models.DateField(_("decide by"), null=True, blank=True)
    reason = models.TextField(_("reason given"), blank=True, default="")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seat_school = models.ForeignKey(
        "directory.Location",
        verbose_name=_("school seat assigned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application part")
        verbose_name_plural = _("application parts")
        ordering = ["application_id", "step", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department"], name="one_part_per_department"
            )
        ]
        indexes = [models.Index(fields=["department", "state", "due_on"], name="part_queue")]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.department_id}"


class Insurance(models.TextChoices):
    NONE = "none", _("Not insured")
    EMPLOYEE = "employee", _("Employee medical insurance here")
    RESIDENT = "resident", _("Resident medical insurance here")
    ELSEWHERE = "elsewhere", _("Insured in my home town")


class Housing(models.TextChoices):
    OWN = "own", _("I own a home in the city")
    RENTING = "renting", _("I rent")
    DORMITORY = "dormitory", _("Employer's dormitory")
    WITH_FAMILY = "with_family", _("With relatives")
    NONE = "none", _("No stable housing")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    FLEXIBLE = "flexible", _("Flexible work (platform, gig)")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    SEEKING = "seeking", _("Looking for work")
    NONE = "none", _("Not working")


class ResidentFacts(models.Model):
    """What the rules read that the resident record does not hold: said by the resident."""

    resident = models.OneToOneField(
        "residents.Resident", on_delete=models.CASCADE, related_name="application_facts"
    )
    insurance = models.CharField(
        _("medical insurance"), max_length=20, choices=Insurance.choices, default=Insurance.NONE
    )
    housing = models.CharField(
        _("housing"), max_length=20, choices=Housing.choices, default=Housing.RENTING
    )
    employment = models.CharField(
        _("work"), max_length=20, choices=Employment.choices, default=Employment.EMPLOYED
    )
    social_insurance_months = models.PositiveSmallIntegerField(
        _("months of social-insurance contributions"), default=0
    )
    has_residence_permit = models.BooleanField(_("holds a residence permit"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facts for applications")
        verbose_name_plural = _("facts for applications")

    def __str__(self) -> str:
        return f"facts of resident {self.resident_id}"


EVENT_LABELS = {
    "submitted": _("Application sent"),
    "part_approved": _("A department approved its part"),
    "part_rejected": _("A department did not approve"),
    "part_more_documents": _("A department asked for more documents"),
    "documents_supplied": _("Documents given"),
}


class Event(models.Model):
    """The application's timeline, as the resident reads it (written with the audit entry)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    part = models.ForeignKey(ApplicationPart, on_delete=models.CASCADE, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=30)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"

    def get_kind_label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))
