"""Where each community is taken to be: stored centroids, else deterministic synthetic ones.

The NBS division file carries no coordinates. Until a city loads surveyed
centroids into :class:`CommunityCentroid`, each community gets a **synthetic**
point: its township is placed around the county seat (within 4 km in the five
central districts, 18 km in the outer counties), and the community around its
township (urban residents' committees, codes 001–199, within 1.2 km; villages,
200 and up, within 5 km). The draw is seeded by the code, so every run, every
machine and every test gets the same point. These points are for planning
demonstrations, not for navigation; the pages that use them say so.
"""

from __future__ import annotations

import math
import random
from functools import cache

from sihai.areas.seats import seat_for
from sihai.directory.models import CommunityCentroid

CENTRAL_DISTRICTS = frozenset({"530102", "530103", "530111", "530112", "530114"})
KM_PER_DEGREE = 111.32


def _offset(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    """A point uniformly distributed in a disc of ``radius_km`` around (lat, lon)."""
    angle = rng.uniform(0, 2 * math.pi)
    distance = radius_km * math.sqrt(rng.random())
    d_lat = distance * math.sin(angle) / KM_PER_DEGREE
    d_lon = distance * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return lat + d_lat, lon + d_lon


@cache
def township_centre(code: str) -> tuple[float, float]:
    lat, lon = seat_for(code)
    radius = 4.0 if code[:6] in CENTRAL_DISTRICTS else 18.0
    return _offset(random.Random(f"sihai-township:{code[:9]}"), lat, lon, radius)


def synthetic_centroid(code: str) -> tuple[float, float]:
    """The synthetic WGS-84 point of a 12-digit community code (rounded to ~1 m)."""
    lat, lon = township_centre(code[:9])
    urban = int(code[9:12]) < 200
    radius = 1.2 if urban else 5.0
    lat, lon = _offset(random.Random(f"sihai-community:{code}"), lat, lon, radius)
    return round(lat, 6), round(lon, 6)


def centroids(codes: list[str]) -> dict[str, tuple[float, float]]:
    """``{code: (lat, lon)}`` for these communities: stored where present, else synthetic."""
    # All stored rows (at most one per community, 1,738 in Kunming): cheaper than a long IN.
    stored = {
        area_id: (lat, lon)
        for area_id, lat, lon in CommunityCentroid.objects.values_list(
            "area_id", "latitude", "longitude"
        )
    }
    return {code: stored.get(code) or synthetic_centroid(code) for code in codes}


def centroid(code: str) -> tuple[float, float]:
    return centroids([code])[code]
