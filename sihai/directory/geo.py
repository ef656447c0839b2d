"""Coordinates of places: distance, walking time, the city's extent, GCJ-02 for Chinese maps.

Sihai stores WGS-84 (what GPS and the browser's geolocation give). Chinese map
providers (AMap/Gaode, Tencent) draw in GCJ-02, an obfuscated datum shifted
by up to a few hundred metres; :func:`wgs84_to_gcj02` converts a point on its
way to such a map, :func:`gcj02_to_wgs84` back (iteratively, to < 1 cm).

Walking time is estimated from the straight-line (great-circle) distance times a
detour factor, at a walking speed; both come from settings
(``SIHAI_WALK_SPEED_KMH``, ``SIHAI_WALK_DETOUR``). See docs/subsystems/geo.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)

# The city's extent, a little generous: a point outside is not in Kunming.
KUNMING_BOUNDS = (24.3, 26.6, 102.1, 103.8)  # south, north, west, east (degrees)


@dataclass(frozen=True)
class WalkModel:
    speed_kmh: float
    detour: float

    @property
    def metres_per_minute(self) -> float:
        return self.speed_kmh * 1000 / 60

    def minutes(self, straight_m: float) -> float:
        """Walking minutes for a straight-line distance."""
        return straight_m * self.detour / self.metres_per_minute

    def reach_m(self, minutes: float) -> float:
        """The straight-line distance walked in ``minutes``."""
        return minutes * self.metres_per_minute / self.detour

    def describe(self) -> str:
        return _(
            "Straight-line distance × %(detour).2f (detour factor), walked at %(speed).1f km/h."
        ) % {"detour": self.detour, "speed": self.speed_kmh}


def walk_model() -> WalkModel:
    return WalkModel(float(settings.SIHAI_WALK_SPEED_KMH), float(settings.SIHAI_WALK_DETOUR))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def in_kunming(lat: float, lon: float) -> bool:
    south, north, west, east = KUNMING_BOUNDS
    return south <= lat <= north and west <= lon <= east


def validate_point(lat: float, lon: float) -> tuple[float, float]:
    """A WGS-84 point in the city, or InvalidInput saying exactly what is wrong.

    Catches the usual mistakes: out of range, latitude and longitude swapped, a
    point outside Kunming, and NaN or infinity.
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput(_("Latitude and longitude must be numbers."), code="geo.not_a_number")
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        if -90 <= lon <= 90 and -180 <= lat <= 180 and in_kunming(lon, lat):
            raise InvalidInput(
                _(
                    "Latitude and longitude look swapped: Kunming is near latitude 25, "
                    "longitude 102.7."
                ),
                code="geo.swapped",
            )
        raise InvalidInput(
            _("Latitude must be between -90 and 90 and longitude between -180 and 180."),
            code="geo.out_of_range",
        )
    if not in_kunming(lat, lon):
        if in_kunming(lon, lat):
            raise InvalidInput(
                _(
                    "Latitude and longitude look swapped: Kunming is near latitude 25, "
                    "longitude 102.7."
                ),
                code="geo.swapped",
            )
        raise InvalidInput(
            _("This point is outside Kunming: the directory covers the city's points only."),
            code="geo.outside_city",
        )
    return lat, lon


# --- GCJ-02 (the "Mars" datum of Chinese map providers) ----------------------------------

_A = 6_378_245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses
_EE = 0.006_693_421_622_965_943  # its first eccentricity squared


def _out_of_china(lat: float, lon: float) -> bool:
    return not (0.8293 <= lat <= 55.8271 and 72.004 <= lon <= 137.8347)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (the published algorithm); points outside China are unchanged."""
    if _out_of_china(lat, lon):
        return lat, lon
    d_lat = _transform_lat(lon - 105.0, lat - 35.0)
    d_lon = _transform_lon(lon - 105.0, lat - 35.0)
    rad = math.radians(lat)
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration (the forward shift is smooth)."""
    if _out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _step in range(30):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - d_lat, w_lon - d_lon
        if abs(d_lat) < 1e-10 and abs(d_lon) < 1e-10:
            break
    return w_lat, w_lon
