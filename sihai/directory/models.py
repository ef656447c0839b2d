"""The service directory, shaped like Open Referral HSDS 3.0 (names, meanings, UUID ids).

Organization runs Services; a Service is offered at Locations through
ServiceAtLocation. A Location is a point with WGS-84 coordinates in one
community (a 12-digit area code), its opening Schedules and Closures, Phones,
Addresses, Languages spoken and Accessibility provisions. The HSDS adapter
(``sihai/hsds``) translates these to the wire format; nothing here is bent to it.
Coordinates are of places, never of people.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sihai.core.models import TimeStampedModel
from sihai.directory.catalogue import Access, Kind, Need


class Organization(TimeStampedModel):
    """A body that runs services: a district bureau, a community's residents' committee."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Where it sits (a district's bureau sits at the district's code).
    area = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The department it belongs to: that department's officers may manage its points.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    """HSDS service status, verbatim."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("No longer offered")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(TimeStampedModel):
    """What an organization offers to meet one need (HSDS service)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    need = models.CharField(_("need met"), max_length=30, choices=Need.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    # Languages in which help can be had (in addition to those of each location).
    interpretation_services = models.CharField(_("interpretation"), max_length=200, blank=True)
    fees_description = models.CharField(_("fees"), max_length=200, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ServiceStatus.values), name="service_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(TimeStampedModel):
    """A service point: where a resident goes. Published points are public."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of point"), max_length=30, choices=Kind.choices)
    area = models.ForeignKey(
        "areas.AdministrativeArea",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # WGS-84 degrees (what GPS and the browser give); GCJ-02 only on the way to a map.
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    transportation = models.CharField(_("how to get there"), max_length=300, blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["area_id", "name"]
        indexes = [
            models.Index(fields=["kind", "published"], name="location_kind_published"),
            models.Index(fields=["updated_at"], name="location_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="location_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(TimeStampedModel):
    """A service as offered at one location (HSDS service_at_location)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="one_service_per_location")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.location_id}"


class Weekday(models.IntegerChoices):
    """ISO weekday numbers; HSDS/iCal codes are in WEEKDAY_CODES."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


WEEKDAY_CODES = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}


class Schedule(TimeStampedModel):
    """Regular opening hours of a location on some weekdays (HSDS schedule, weekly).

    ``closes_at`` earlier than ``opens_at`` means the range crosses midnight: open
    from ``opens_at`` on the listed day until ``closes_at`` the next morning.
    ``by_appointment`` marks hours when the point sees people by appointment only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="schedules")
    # ISO weekdays, e.g. [1, 2, 3, 4, 5] for Monday to Friday.
    weekdays = models.JSONField(_("weekdays"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    by_appointment = models.BooleanField(_("by appointment only"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location_id", "opens_at"]

    def __str__(self) -> str:
        return f"{self.weekdays} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class Closure(TimeStampedModel):
    """Days a location is closed (a public holiday, a temporary closure), both ends included."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["location_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class Phone(TimeStampedModel):
    """A public office telephone of a location (never a person's own number)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=40)
    type = models.CharField(_("type"), max_length=20, default="voice")
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Address(TimeStampedModel):
    """The physical address of a location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    address_1 = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100, default="昆明市")
    region = models.CharField(_("district"), max_length=100, blank=True)
    state_province = models.CharField(_("province"), max_length=100, default="云南省")
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return self.address_1


class Language(TimeStampedModel):
    """A language the staff of a location speak (HSDS language)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="languages")
    # ISO 639-1 or 639-3 (sihai/directory/catalogue.py LANGUAGES).
    code = models.CharField(_("code"), max_length=3)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["location", "code"], name="one_language_per_location")
        ]

    def __str__(self) -> str:
        return self.code


class Accessibility(TimeStampedModel):
    """An accessibility provision of a location (HSDS accessibility)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    provision = models.CharField(_("provision"), max_length=30, choices=Access.choices)
    details = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "provision"], name="one_provision_per_location"
            )
        ]

    def __str__(self) -> str:
        return self.provision


class CommunityCentroid(models.Model):
    """Where a community is taken to be, for walking times and coverage.

    The NBS file has no coordinates, so the shipped centroids are **synthetic**:
    deterministic points around the county seat (``method="synthetic"``). A city
    replaces them with surveyed ones (``method="surveyed"``) without code changes.
    """

    area = models.OneToOneField(
        "areas.AdministrativeArea",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    method = models.CharField(_("method"), max_length=20, default="synthetic")

    class Meta:
        verbose_name = _("community centroid")
        verbose_name_plural = _("community centroids")

    def __str__(self) -> str:
        return f"{self.area_id} ({self.latitude:.4f}, {self.longitude:.4f})"
