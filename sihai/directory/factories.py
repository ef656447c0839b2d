"""Test data: service points made through the audited services, as staff would make them."""

from __future__ import annotations

from sihai.accounts.models import User
from sihai.directory import services
from sihai.directory.centroids import synthetic_centroid
from sihai.directory.models import Location


def make_point(
    *,
    kind: str = "workstation",
    community: str = "530102001001",
    at: tuple[float, float] | None = None,
    hours: str = "MO-FR 09:00-17:00",
    name: str = "",
    published: bool = True,
    languages: list[str] | None = None,
    actor: User | None = None,
) -> Location:
    """A point in ``community`` (at its synthetic centroid unless ``at`` is given)."""
    actor = actor or User.objects.get(username="city_officer")
    lat, lon = at or synthetic_centroid(community)
    location = services.location_create(
        actor=actor,
        data=services.LocationInput(
            name=name or f"{kind} {community}",
            kind=kind,
            community_code=community,
            latitude=lat,
            longitude=lon,
            address=f"测试路 {community[-3:]} 号",
            phone="0871-63100000",
            languages=languages if languages is not None else ["zh"],
            accessibility=["step_free"],
            published=published,
        ),
    )
    if hours:
        services.location_hours_set(actor=actor, location_id=location.pk, rules_text=hours)
    return location
