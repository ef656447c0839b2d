"""Opening hours: the rule syntax staff type, and "is it open now?" in the city's time.

A rule is one line: weekdays, a time range, optionally ``appointment``::

    MO-FR 09:00-17:00
    SA,SU 09:30-12:00 appointment
    FR 22:00-02:00            (crosses midnight: Friday 22:00 to Saturday 02:00)

The same syntax is used by the staff form and the Excel import. Times are local
(``TIME_ZONE``, Asia/Shanghai). A closure covers whole calendar days: on a closed
day the point is closed all day, including the small hours of a session that
began the evening before; a session that would begin on a closed day never begins.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_RULE = re.compile(
    r"^\s*(?P<days>[A-Za-z,\-\s]+?)\s+(?P<opens>\d{1,2}:\d{2})\s*[-–~]\s*(?P<closes>\d{1,2}:\d{2})"
    r"(?P<appointment>\s+appointment)?\s*$",
    re.IGNORECASE,
)
MAX_RULES = 14
LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class Rule:
    """One line of opening hours."""

    weekdays: tuple[int, ...]  # ISO 1..7
    opens_at: datetime.time
    closes_at: datetime.time
    by_appointment: bool = False
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None

    @property
    def crosses_midnight(self) -> bool:
        return self.closes_at < self.opens_at

    def text(self) -> str:
        days = ",".join(DAY_CODES[d - 1] for d in self.weekdays)
        suffix = " appointment" if self.by_appointment else ""
        return f"{days} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}{suffix}"

    def valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class ClosedDays:
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str = ""


def _time(text: str, line_no: int) -> datetime.time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return datetime.time(23, 59)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise InvalidInput(
            _("Line %(n)d: %(time)s is not a time of day (00:00 to 23:59).")
            % {"n": line_no, "time": text},
            code="hours.time",
        )
    return datetime.time(hours, minutes)


def _days(text: str, line_no: int) -> tuple[int, ...]:
    found: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip().upper()):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2 or any(end not in DAY_CODES for end in ends):
            raise InvalidInput(
                _("Line %(n)d: “%(days)s” is not a day: use MO TU WE TH FR SA SU, e.g. MO-FR.")
                % {"n": line_no, "days": part},
                code="hours.days",
            )
        first, last = DAY_CODES.index(ends[0]) + 1, DAY_CODES.index(ends[-1]) + 1
        if last < first:  # FR-MO wraps over the weekend
            found.update(range(first, 8))
            found.update(range(1, last + 1))
        else:
            found.update(range(first, last + 1))
    if not found:
        raise InvalidInput(_("Line %(n)d names no day.") % {"n": line_no}, code="hours.days")
    return tuple(sorted(found))


def parse_rules(text: str) -> list[Rule]:
    """Parse opening-hours lines; InvalidInput names the line and what is wrong with it."""
    rules: list[Rule] = []
    lines = [line for line in re.split(r"[\n;]+", text) if line.strip()]
    if len(lines) > MAX_RULES:
        raise InvalidInput(
            _("Give at most %(n)d lines of opening hours.") % {"n": MAX_RULES}, code="hours.many"
        )
    for number, line in enumerate(lines, start=1):
        match = _RULE.match(line)
        if match is None:
            raise InvalidInput(
                _("Line %(n)d: write days and hours like “MO-FR 09:00-17:00”.") % {"n": number},
                code="hours.syntax",
            )
        opens = _time(match["opens"], number)
        closes = _time(match["closes"], number)
        if opens == closes:
            raise InvalidInput(
                _("Line %(n)d: opening and closing times are the same.") % {"n": number},
                code="hours.empty_range",
            )
        rules.append(Rule(_days(match["days"], number), opens, closes, bool(match["appointment"])))
    return rules


def rules_text(rules: Iterable[Rule]) -> str:
    return "\n".join(rule.text() for rule in rules)


def validate_closures(closures: Sequence[ClosedDays]) -> None:
    """Refuse a range that ends before it starts, and ranges that overlap each other."""
    ordered = sorted(closures, key=lambda c: (c.starts_on, c.ends_on))
    for closure in ordered:
        if closure.ends_on < closure.starts_on:
            raise InvalidInput(
                _("A closure cannot end (%(end)s) before it starts (%(start)s).")
                % {"end": closure.ends_on, "start": closure.starts_on},
                code="closure.backwards",
            )
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            raise InvalidInput(
                _("The closure %(a)s to %(b)s overlaps the closure %(c)s to %(d)s.")
                % {
                    "a": later.starts_on,
                    "b": later.ends_on,
                    "c": earlier.starts_on,
                    "d": earlier.ends_on,
                },
                code="closure.overlap",
            )


class State(StrEnum):
    OPEN = "open"
    APPOINTMENT = "appointment"  # open now, by appointment only
    CLOSED = "closed"
    CLOSED_TODAY = "closed_today"  # a holiday or temporary closure covers today
    NO_HOURS = "no_hours"  # no opening hours recorded


@dataclass(frozen=True)
class Status:
    state: State
    # Open: when this session ends. Closed: when the next session starts (within two weeks).
    until: datetime.datetime | None = None
    next_open: datetime.datetime | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.state in {State.OPEN, State.APPOINTMENT}


def _closed_on(day: datetime.date, closures: Sequence[ClosedDays]) -> ClosedDays | None:
    for closure in closures:
        if closure.starts_on <= day <= closure.ends_on:
            return closure
    return None


def _sessions(
    rules: Sequence[Rule], day: datetime.date, closures: Sequence[ClosedDays]
) -> list[tuple[datetime.datetime, datetime.datetime, Rule]]:
    """The sessions that begin on ``day`` (naive local datetimes), unless ``day`` is closed."""
    if _closed_on(day, closures):
        return []
    found = []
    for rule in rules:
        if day.isoweekday() in rule.weekdays and rule.valid_on(day):
            start = datetime.datetime.combine(day, rule.opens_at)
            end_day = day + datetime.timedelta(days=1) if rule.crosses_midnight else day
            end = datetime.datetime.combine(end_day, rule.closes_at)
            found.append((start, end, rule))
    return sorted(found, key=lambda s: s[0])


def status_at(
    rules: Sequence[Rule], closures: Sequence[ClosedDays], at: datetime.datetime | None = None
) -> Status:
    """Is the point open at ``at`` (default now), in the city's local time?"""
    local = timezone.localtime(at or timezone.now())
    tz = local.tzinfo
    now = local.replace(tzinfo=None)
    if not rules:
        return Status(State.NO_HOURS)
    today = now.date()
    closed_today = _closed_on(today, closures)
    if closed_today is None:
        yesterday = today - datetime.timedelta(days=1)
        for start, end, rule in _sessions(rules, yesterday, closures) + _sessions(
            rules, today, closures
        ):
            if start <= now < end:
                state = State.APPOINTMENT if rule.by_appointment else State.OPEN
                until = end
                if end.date() != start.date() and _closed_on(end.date(), closures):
                    # A session crossing into a closed day ends at that midnight.
                    until = datetime.datetime.combine(end.date(), datetime.time(0, 0))
                return Status(state, until=until.replace(tzinfo=tz))
    next_open = None
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=offset)
        upcoming = [s for s in _sessions(rules, day, closures) if s[0] > now]
        if upcoming:
            next_open = upcoming[0][0].replace(tzinfo=tz)
            break
    if closed_today is not None:
        return Status(State.CLOSED_TODAY, next_open=next_open, reason=closed_today.reason)
    return Status(State.CLOSED, next_open=next_open)


def describe(rule: Rule) -> str:
    """A rule in words, in the reader's language: "Monday–Friday 09:00–17:00"."""
    from sihai.directory.models import Weekday  # noqa: PLC0415  (models import this module's peers)

    days = list(rule.weekdays)
    names = [str(Weekday(d).label) for d in days]
    contiguous = days == list(range(days[0], days[-1] + 1))
    day_text = f"{names[0]}–{names[-1]}" if contiguous and len(days) >= 3 else "、".join(names)
    text = f"{day_text} {rule.opens_at:%H:%M}–{rule.closes_at:%H:%M}"
    if rule.crosses_midnight:
        text += " " + _("(to the next morning)")
    if rule.by_appointment:
        text += " · " + _("by appointment only")
    return text
