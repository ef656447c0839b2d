"""The importer registry: what each app accepts from a spreadsheet, and how it writes it.

An app that takes registers declares an :class:`Importer` in its ``imports.py``
(discovered at start-up) and registers it::

    from sihai.spreadsheets.registry import Column, Importer, importers

    class ServicePointImporter(Importer):
        key = "service_points"
        label = _("Service points")
        action = SERVICE_POINT_MANAGE
        columns = (Column("name", _("name"), "text", ("名称", "name"), required=True), ...)

        def clean(self, context, values, row): ...
        def existing(self, context, keys): ...
        def write(self, context, rows, *, job): ...

    importers.register(ServicePointImporter())

The framework reads the file, maps columns, parses each cell by its column's
kind (so every bad cell gets its own message), finds duplicates within the file
by the keys :meth:`Importer.clean` returns, asks :meth:`Importer.existing` which
keys the database already has, and calls :meth:`Importer.write` with each batch
of valid rows inside the batch's transaction.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from sihai.core.policy import Action

# The kinds of column the framework parses (sihai/spreadsheets/cells.py).
KINDS = frozenset({"text", "date", "id_number", "phone", "area", "choice", "list"})


@dataclass(frozen=True)
class Column:
    """A field a sheet column can be mapped to."""

    key: str
    label: str | Promise
    kind: str
    # Header names that suggest this field (Chinese and English, compared loosely).
    aliases: tuple[str, ...] = ()
    required: bool = False
    # For ``choice``: accepted spellings (compared without case or spaces) → stored value.
    choices: Mapping[str, str] = field(default_factory=dict)
    # For ``choice``: the value of anything not in ``choices`` (None: such a cell is an error).
    fallback: str | None = None
    max_length: int = 200

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            msg = f"column {self.key!r}: unknown kind {self.kind!r}"
            raise ValueError(msg)


@dataclass(frozen=True)
class Refused:
    """A column that is never imported, with the reason the mapping page shows."""

    key: str
    label: str | Promise
    aliases: tuple[str, ...]
    reason: str | Promise


@dataclass
class Problem:
    """One message about one cell (``column`` is a field key) or the whole row (``None``)."""

    column: str | None
    code: str
    message: str


@dataclass
class Cleaned:
    """A row the importer accepted: the values to write and its duplicate keys.

    ``keys`` are ``(key, column)`` pairs: a key seen on an earlier row of the file makes
    this row a duplicate (reported on ``column``); a key the database has already is
    reported as "already registered". Keys stay in memory and are never stored.
    """

    values: dict[str, Any]
    keys: list[tuple[str, str]]


@dataclass
class ValidRow:
    row: int
    cleaned: Cleaned


class Importer:
    """Base class: subclasses set the class attributes and the three methods."""

    key: str = ""
    label: str | Promise = ""
    # Needed over the job's area and covering each row's area.
    action: Action
    columns: tuple[Column, ...] = ()
    refused: tuple[Refused, ...] = ()
    # When set, the worker must give this reference (e.g. of the consent forms) to import.
    evidence_label: str | Promise | None = None
    evidence_help: str | Promise = ""
    batch_size: int = 500

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def begin(self, *, actor: Any, job: Any) -> Any:
        """Anything the row checks need once per pass (grants, lookups); given back to them."""
        return None

    def defaults(self, *, actor: Any) -> dict[str, Any]:
        """Values for fields no column gives (e.g. the worker's own community)."""
        return {}

    def describe_defaults(self, values: dict[str, Any]) -> list[str]:
        """How the mapping page explains :meth:`defaults` to the worker."""
        return []

    def clean(self, context: Any, values: dict[str, Any], row: int) -> Cleaned | list[Problem]:
        """Check one row whose cells parsed; return it cleaned, or its problems."""
        raise NotImplementedError

    def existing(self, context: Any, keys: Sequence[str]) -> set[str]:
        """Which of these duplicate keys the database already has."""
        raise NotImplementedError

    def write(self, context: Any, rows: list[ValidRow], *, job: Any) -> list[int]:
        """Write a batch (inside its transaction, audited); return the new records' ids."""
        raise NotImplementedError


class ImporterRegistry:
    def __init__(self) -> None:
        self._importers: dict[str, Importer] = {}

    def register(self, importer: Importer) -> Importer:
        if importer.key in self._importers and self._importers[importer.key] is not importer:
            msg = f"importer {importer.key!r} registered twice"
            raise ValueError(msg)
        self._importers[importer.key] = importer
        return importer

    def get(self, key: str) -> Importer | None:
        return self._importers.get(key)

    def all(self) -> list[Importer]:
        return sorted(self._importers.values(), key=lambda i: i.key)


importers = ImporterRegistry()


_HEADER_NOISE = re.compile(r"[\s_\-—:：()（）\[\]【】*＊/.·]+")


def header_key(header: object) -> str:
    """A header as compared with aliases: NFKC, no spaces, brackets or stars, no case."""
    if header is None:
        return ""
    if isinstance(header, datetime.date):
        return ""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(header))).casefold()


def suggest(importer: Importer, headers: Sequence[object]) -> tuple[dict[int, str], dict[int, str]]:
    """Suggested ``{column index: field key}`` and refused ``{column index: refused key}``.

    An exact alias wins; then a header containing an alias (``本人手机号码`` → phone).
    Each field is suggested for one column at most.
    """
    mapping: dict[int, str] = {}
    refused: dict[int, str] = {}
    keys = [header_key(h) for h in headers]
    for index, key in enumerate(keys):
        if not key:
            continue
        for item in importer.refused:
            if any(a in key for a in map(header_key, item.aliases)):
                refused[index] = item.key
    taken: set[str] = set()
    for exact in (True, False):
        for index, key in enumerate(keys):
            if not key or index in mapping or index in refused:
                continue
            for column in importer.columns:
                if column.key in taken:
                    continue
                aliases = [header_key(a) for a in (*column.aliases, str(column.label))]
                hit = key in aliases if exact else any(a and a in key for a in aliases)
                if hit:
                    mapping[index] = column.key
                    taken.add(column.key)
                    break
    return mapping, refused


def find_header(importer: Importer, rows: Sequence[tuple[int, list[Any]]]) -> int | None:
    """The row number of the header: the first row naming at least two known fields."""
    best: tuple[int, int] | None = None
    for number, values in rows:
        mapped, refused = suggest(importer, values)
        score = len(mapped) + len(refused)
        if score >= 2 and (best is None or score > best[1]):
            best = (number, score)
            if score >= 3:
                break
    if best:
        return best[0]
    return next((number for number, values in rows if any(v is not None for v in values)), None)
