from __future__ import annotations

import datetime
import zoneinfo

import pytest

from sihai.core.errors import InvalidInput
from sihai.directory import geo, hours
from sihai.directory.centroids import synthetic_centroid

CITY = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=CITY)


def test_haversine_of_one_degree_of_latitude() -> None:
    assert geo.haversine_m(25.0, 102.7, 26.0, 102.7) == pytest.approx(111_195, rel=1e-4)
    assert geo.haversine_m(25.0, 102.7, 25.0, 102.7) == 0.0


def test_walk_model_turns_fifteen_minutes_into_a_reach() -> None:
    model = geo.WalkModel(speed_kmh=4.0, detour=1.3)
    assert model.minutes(1000) == pytest.approx(19.5)
    assert model.reach_m(15) == pytest.approx(769.23, abs=0.01)


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (95.0, 102.7, "geo.out_of_range"),
        (25.0, 200.0, "geo.out_of_range"),
        (102.7, 25.04, "geo.swapped"),
        (39.9, 116.4, "geo.outside_city"),
        (float("nan"), 102.7, "geo.not_a_number"),
    ],
)
def test_bad_points_are_refused_with_what_is_wrong(lat: float, lon: float, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        geo.validate_point(lat, lon)
    assert caught.value.code == code


def test_gcj02_shifts_kunming_by_a_few_hundred_metres_and_inverts() -> None:
    lat, lon = 25.0433, 102.7074
    g_lat, g_lon = geo.wgs84_to_gcj02(lat, lon)
    shift = geo.haversine_m(lat, lon, g_lat, g_lon)
    assert 100 < shift < 700
    back = geo.gcj02_to_wgs84(g_lat, g_lon)
    assert geo.haversine_m(lat, lon, *back) < 0.01
    assert geo.wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)  # outside China: unchanged


def test_synthetic_centroids_are_deterministic_and_near_their_county() -> None:
    first = synthetic_centroid("530102001001")
    assert synthetic_centroid("530102001001") == first
    assert geo.haversine_m(*first, 25.0433, 102.7074) < 6_000
    assert geo.in_kunming(*synthetic_centroid("530129200001"))


def test_rules_parse_day_ranges_appointments_and_midnight() -> None:
    rules = hours.parse_rules("MO-FR 09:00-17:00\nSA,SU 09:30-12:00 appointment\nFR-MO 22:00-02:00")
    assert [r.weekdays for r in rules] == [(1, 2, 3, 4, 5), (6, 7), (1, 5, 6, 7)]
    assert rules[1].by_appointment is True
    assert rules[2].crosses_midnight is True
    assert hours.rules_text(rules) == (
        "MO,TU,WE,TH,FR 09:00-17:00\nSA,SU 09:30-12:00 appointment\nMO,FR,SA,SU 22:00-02:00"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("every day 9-5", "hours.syntax"),
        ("XX 09:00-17:00", "hours.days"),
        ("MO 25:00-26:00", "hours.time"),
        ("MO 09:00-09:00", "hours.empty_range"),
    ],
)
def test_bad_rules_name_the_problem(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        hours.parse_rules(text)
    assert caught.value.code == code


def test_status_crossing_midnight_in_city_time() -> None:
    rules = hours.parse_rules("FR 22:00-02:00")
    # Friday 2026-12-04 23:00 and Saturday 01:30 local time: the same session.
    assert hours.status_at(rules, [], at("2026-12-04T23:00")).until == at("2026-12-05T02:00")
    assert hours.status_at(rules, [], at("2026-12-05T01:30")).state == hours.State.OPEN
    closed = hours.status_at(rules, [], at("2026-12-05T02:00"))
    assert closed.state == hours.State.CLOSED
    assert closed.next_open == at("2026-12-11T22:00")
    # 16:00 UTC on Friday is 00:00 on Saturday in Kunming: still open.
    utc = datetime.datetime(2026, 12, 4, 16, 0, tzinfo=datetime.UTC)
    assert hours.status_at(rules, [], utc).state == hours.State.OPEN


def test_closures_close_whole_days_and_appointments_are_told_apart() -> None:
    rules = hours.parse_rules("MO-FR 09:00-17:00\nSA 09:00-12:00 appointment\nFR 22:00-02:00")
    spring = [hours.ClosedDays(datetime.date(2027, 2, 6), datetime.date(2027, 2, 13), "春节")]
    status = hours.status_at(rules, spring, at("2027-02-08T10:00"))
    assert (status.state, status.reason) == (hours.State.CLOSED_TODAY, "春节")
    assert status.next_open == at("2027-02-15T09:00")
    saturday = hours.status_at(rules, [], at("2026-12-05T10:00"))
    assert saturday.state == hours.State.APPOINTMENT
    # The Friday-night session runs into a closed Saturday: it ends at midnight.
    saturday_closed = [hours.ClosedDays(datetime.date(2026, 12, 5), datetime.date(2026, 12, 5))]
    friday = hours.status_at(rules, saturday_closed, at("2026-12-04T23:00"))
    assert friday.until == at("2026-12-05T00:00")
    assert hours.status_at(rules, saturday_closed, at("2026-12-05T01:00")).state == (
        hours.State.CLOSED_TODAY
    )
    assert hours.status_at([], [], at("2026-12-05T10:00")).state == hours.State.NO_HOURS


def test_overlapping_closures_are_refused() -> None:
    first = hours.ClosedDays(datetime.date(2027, 2, 6), datetime.date(2027, 2, 13))
    touching = hours.ClosedDays(datetime.date(2027, 2, 13), datetime.date(2027, 2, 14))
    after = hours.ClosedDays(datetime.date(2027, 2, 14), datetime.date(2027, 2, 15))
    hours.validate_closures([first, after])
    with pytest.raises(InvalidInput) as caught:
        hours.validate_closures([first, touching])
    assert caught.value.code == "closure.overlap"
    with pytest.raises(InvalidInput) as caught:
        hours.validate_closures(
            [hours.ClosedDays(datetime.date(2027, 2, 6), datetime.date(2027, 2, 1))]
        )
    assert caught.value.code == "closure.backwards"
