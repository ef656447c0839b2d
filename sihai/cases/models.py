"""Service requests and consultations: the catalogue, the request, its timeline, referrals.

A request belongs to one community (12-digit code) — where the resident lives or where
the facility is — which decides who may see it. Its timeline (:class:`RequestEvent`) is
append-only: every move adds a row, carrying the community and category codes so that
reporting can roll events up without joining back to the request.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sihai.cases.states import State
from sihai.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    PORTAL = "portal", _("Resident portal")
    ANONYMOUS = "anonymous", _("Anonymous consultation")
    COUNTER = "counter", _("Workstation counter")
    PHONE = "phone", _("Phone / 12345 hotline")
    OPEN311 = "open311", _("Open311 partner system")


class Datatype(models.TextChoices):
    """Open311 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
    MULTIVALUELIST = "multivaluelist", _("Several choices from a list")


class ServiceCategory(models.Model):
    """One kind of request residents can make (Open311 "service")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    group = models.CharField(_("group"), max_length=40, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    # Private: about a person (consultation, application help, dispute, legal aid). Never in
    # public lists; only the requester and the staff in scope ever see such a request.
    private = models.BooleanField(_("private"), default=True)
    # Default SLA, in working hours (sihai/core/workcalendar.py).
    response_hours = models.PositiveIntegerField(_("respond within (working hours)"), default=7)
    resolution_hours = models.PositiveIntegerField(_("resolve within (working hours)"), default=35)
    # Routing rule: the community workstation by default; a department for its own categories.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("routed to department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "zh").startswith("en") else self.name_zh

    @property
    def description(self) -> str:
        if (get_language() or "zh").startswith("en"):
            return self.description_en
        return self.description_zh


class CategoryAttribute(models.Model):
    """A question a category asks (Open311 "attribute")."""

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=40)
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    label_zh = models.CharField(_("question (Chinese)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=1)
    # For lists: [{"key": "k", "name_zh": "…", "name_en": "…"}, …]
    values = models.JSONField(_("allowed values"), default=list, blank=True)

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_code_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "zh").startswith("en") else self.label_zh

    def choices(self) -> list[tuple[str, str]]:
        english = (get_language() or "zh").startswith("en")
        return [(v["key"], v["name_en"] if english else v["name_zh"]) for v in self.values]


class ServiceRequest(models.Model):
    """A request or consultation, from any channel, in one community."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    category_code = models.CharField(max_length=40, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    community = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Routed to this department's officers (blank: the community workstation).
    department_code = models.CharField(_("department"), max_length=40, blank=True, default="")
    # 0 community, 1 subdistrict, 2 district, 3 city: who must act now the deadline passed.
    escalation_level = models.PositiveSmallIntegerField(_("escalated to level"), default=0)
    private = models.BooleanField(_("private"), default=True)
    # The requester: a registered resident, a portal account, or (anonymous) nobody.
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    account = models.ForeignKey(
        "accounts.ResidentAccount",
        verbose_name=_("requester's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = EncryptedTextField(_("contact name"), blank=True, default="")
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    # Anonymous consultations: a keyed hash of the follow-up code (the code is shown once).
    follow_up_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    description = models.TextField(_("description"), max_length=4000)
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    address_string = models.CharField(_("address or place"), max_length=200, blank=True)
    # Only for public categories (a broken facility): where the facility is. Never a person.
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    # A link given by the client: stored, shown as text, never fetched by the server.
    media_url = models.CharField(_("photo link"), max_length=500, blank=True)
    # Counter and phone intake on a resident's behalf: the consent form's reference.
    consent_evidence = models.CharField(_("consent evidence"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        "accounts.User",
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partner = models.CharField(_("partner system"), max_length=100, blank=True, default="")
    # Open311 token handed to the partner that posted it (tokens/{token}).
    open311_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # One form submission makes one request (double submit, retried POST).
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(_("submitted"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    response_due = models.DateTimeField(_("respond by"))
    resolution_due = models.DateTimeField(_("resolve by"))
    # The earliest deadline still to meet (response while unanswered, then resolution);
    # null once resolved. The inbox sorts by it and the sweep scans it.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True, default="")
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["due_at", "id"], name="request_due"),
            models.Index(fields=["community", "due_at", "id"], name="request_community_due"),
            models.Index(fields=["state", "due_at", "id"], name="request_state_due"),
            models.Index(fields=["department_code", "due_at", "id"], name="request_department_due"),
            models.Index(fields=["submitted_at", "id"], name="request_submitted"),
            models.Index(fields=["account", "submitted_at"], name="request_account"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def answers_display(self) -> list[tuple[str, str]]:
        """(question, answer) in the current language, for the request's page."""
        shown: list[tuple[str, str]] = []
        for attr in self.category.attributes.all():
            if attr.code not in self.attributes:
                continue
            value = self.attributes[attr.code]
            names = dict(attr.choices())
            values = value if isinstance(value, list) else [value]
            shown.append((attr.label, "、".join(names.get(str(v), str(v)) for v in values)))
        return shown

    @property
    def department_name(self) -> str:
        """The routed department's name in the current language ("" for the workstation)."""
        from sihai.accounts.roles import DEPARTMENTS  # noqa: PLC0415  (reference data)

        english = (get_language() or "zh").startswith("en")
        for code, name_zh, name_en in DEPARTMENTS:
            if code == self.department_code:
                return name_en if english else name_zh
        return self.department_code

    @property
    def unit_code(self) -> str:
        """The area code of the unit that must act: the community, or above it once escalated."""
        return self.community_id[: (12, 9, 6, 4)[self.escalation_level]]


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MOVED = "moved", _("State changed")
    ASSIGNED = "assigned", _("Assigned")
    REROUTED = "rerouted", _("Routed to another unit")
    ESCALATED = "escalated", _("Escalated")
    REMINDED = "reminded", _("Deadline reminder")
    REFERRED = "referred", _("Referred")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    RATED = "rated", _("Rated")
    NOTE = "note", _("Note")


class RequestEvent(models.Model):
    """One entry of a request's timeline; never updated or deleted (append-only).

    ``community_code`` and ``category_code`` are copied from the request so that a
    reader past a watermark (``id``) can attribute the event without a join.
    """

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    from_state = models.CharField(max_length=12, blank=True, default="")
    to_state = models.CharField(max_length=12, blank=True, default="")
    community_code = models.CharField(max_length=12)
    category_code = models.CharField(max_length=40)
    actor_label = models.CharField(_("by"), max_length=150, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    # Shown to the requester (internal notes are not).
    public = models.BooleanField(default=True)
    # What the entry counts for in the figures, fixed when it is written (measures.py).
    measure = models.CharField(max_length=120, blank=True, default="")
    elapsed_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"

    @property
    def to_state_label(self) -> str:
        return str(State(self.to_state).label) if self.to_state in State.values else ""


class ReferenceCounter(models.Model):
    """The last number given in a year, for references like ``KM-2026-000123``."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiver")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("The resident's consent to share with this department")
    OVERRIDE = "override", _("Officer's override, with a reason")
    NOT_PERSONAL = "not_personal", _("No personal data travels")


class Referral(models.Model):
    """A request sent across (横向联动): to a department, or to another community."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="referrals")
    # The receiver: a department in an area (the Wuhua education bureau), or a community.
    to_area_code = models.CharField(_("to area"), max_length=12)
    to_department_code = models.CharField(_("to department"), max_length=40, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    # Only the fields the purpose needs, copied at the time of the referral.
    shared = models.JSONField(_("shared fields"), default=dict)
    consent_basis = models.CharField(max_length=12, choices=ConsentBasis.choices)
    override_reason = models.TextField(_("reason for the override"), blank=True, default="")
    state = models.CharField(
        max_length=10, choices=ReferralState.choices, default=ReferralState.PENDING
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, default="")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_area_code", "state"], name="referral_to")]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.state})"


class RoutingRule(models.Model):
    """Area × category → the responsible unit, overriding the category's default.

    The most specific area (longest code prefix of the request's community) wins; with
    no rule, a category goes to its department if it has one, else to the community
    workstation.
    """

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.CASCADE, related_name="routing_rules"
    )
    area_code = models.CharField(_("area"), max_length=12)
    # Blank: the community workstation.
    department_code = models.CharField(_("department"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area_code"], name="one_rule_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}@{self.area_code} → {self.department_code or 'workstation'}"
