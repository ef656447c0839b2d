"""The hash chain, tamper detection, retention and the append-only guard."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sihai.accounts.models import User
from sihai.audit import services as audit
from sihai.audit.models import AccessLogEntry, AuditChain, AuditEntry
from sihai.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _three_entries(actor: User) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit.record(actor=actor, action="test.one", target=actor, area_code="530102"),
            audit.record(
                actor=actor, action="test.two", changes={"role": {"from": None, "to": "x"}}
            ),
            audit.record(actor=None, action="test.three"),
        ]


def _tamper(sql: str, params: list[Any]) -> None:
    """What a person with direct database access could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def test_entries_link_into_a_chain_that_verifies(persona: Callable[[str], User]) -> None:
    first, second, third = _three_entries(persona("secadmin"))
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert (first.actor_kind, first.actor_label, first.target_type) == (
        "staff",
        "secadmin",
        "accounts.user",
    )
    assert third.actor_kind == "system"
    report = audit.verify()
    assert report.intact
    assert report.checked == AuditEntry.objects.count()
    assert AuditChain.objects.get(pk=1).last_hash == third.hash


def test_record_refuses_to_run_outside_a_transaction(persona: Callable[[str], User]) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit.record(actor=persona("secadmin"), action="test.loose")
    assert AuditEntry.objects.count() == before


def test_a_rolled_back_change_leaves_no_entry(persona: Callable[[str], User]) -> None:
    before = AuditEntry.objects.count()

    def doomed_service() -> None:
        with transaction.atomic():
            audit.record(actor=persona("secadmin"), action="test.doomed")
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        doomed_service()
    assert AuditEntry.objects.count() == before
    assert audit.verify().intact


def test_changing_one_row_is_detected_with_its_sequence_number(
    persona: Callable[[str], User],
) -> None:
    _first, second, _third = _three_entries(persona("secadmin"))
    _tamper("UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["test.innocent", second.seq])
    report = audit.verify()
    assert not report.intact
    assert report.first_bad_seq == second.seq
    assert report.reason == "content changed"
    with pytest.raises(CommandError, match=f"BROKEN at entry #{second.seq}: content changed"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_removing_a_row_in_the_middle_is_detected(persona: Callable[[str], User]) -> None:
    _first, second, _third = _three_entries(persona("secadmin"))
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [second.seq])
    report = audit.verify()
    assert (report.intact, report.first_bad_seq, report.reason) == (
        False,
        second.seq,
        "entry missing",
    )


def test_removing_the_last_row_is_detected(persona: Callable[[str], User]) -> None:
    _first, _second, third = _three_entries(persona("secadmin"))
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [third.seq])
    report = audit.verify()
    assert (report.intact, report.first_bad_seq) == (False, third.seq)
    assert report.reason == "entries missing at the end"


def test_verify_command_reports_an_intact_chain(persona: Callable[[str], User]) -> None:
    _three_entries(persona("secadmin"))
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit chain intact" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_update_and_delete(persona: Callable[[str], User]) -> None:
    entry = _three_entries(persona("secadmin"))[0]
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE seq = %s",
        "DELETE FROM audit_auditentry WHERE seq = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.seq])
    assert AuditEntry.objects.get(seq=entry.seq).action == "test.one"


def test_purge_refuses_anything_younger_than_180_days(persona: Callable[[str], User]) -> None:
    _three_entries(persona("secadmin"))
    before = AuditEntry.objects.count()
    too_recent = timezone.localdate() - datetime.timedelta(days=179)
    with pytest.raises(InvalidInput, match="180"):
        audit.purge(before=too_recent)
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "purge", "--before", too_recent.isoformat(), stdout=io.StringIO())
    assert AuditEntry.objects.count() == before


def test_purge_keeps_the_chain_verifiable_and_is_itself_recorded(
    persona: Callable[[str], User],
) -> None:
    old = _three_entries(persona("secadmin"))
    # Age the first two entries (as if written a year ago), re-sealing the chain as it was then.
    year_ago = timezone.now() - datetime.timedelta(days=365)
    previous = AuditChain.objects.get(pk=1).anchor_hash
    for entry in AuditEntry.objects.order_by("seq"):
        if entry.seq in (old[0].seq, old[1].seq) or entry.seq < old[0].seq:
            entry.at = year_ago
        entry.prev_hash = previous
        entry.hash = audit.entry_digest(entry)
        _tamper(
            "UPDATE audit_auditentry SET at = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.at, entry.prev_hash, entry.hash, entry.seq],
        )
        previous = entry.hash
    AuditChain.objects.filter(pk=1).update(last_hash=previous)
    assert audit.verify().intact

    deleted, _access = audit.purge(before=timezone.localdate() - datetime.timedelta(days=200))
    assert deleted >= 2
    assert not AuditEntry.objects.filter(seq__lte=old[1].seq).exists()
    assert AuditEntry.objects.filter(seq=old[2].seq).exists()
    assert AuditEntry.objects.order_by("-seq").first().action == "audit.purged"  # type: ignore[union-attr]
    assert audit.verify().intact


def test_sensitive_changes_are_recorded_without_their_values() -> None:
    changes = audit.field_changes(
        {"phone": "+8613812345678", "name": "李"},
        {"phone": "+8613900000000", "name": "李明"},
        sensitive=frozenset({"phone"}),
    )
    assert changes == {
        "name": {"from": "李", "to": "李明"},
        "phone": {"changed": "(encrypted value changed)"},
    }
    assert "1381234" not in str(changes)


def test_access_is_logged_with_purpose_and_fields(persona: Callable[[str], User]) -> None:
    worker = persona("cuihu_worker")
    entry = audit.access(
        actor=worker, subject=worker, purpose="service_delivery", fields=["phone", "name"]
    )
    assert AccessLogEntry.objects.get(pk=entry.pk).fields == ["name", "phone"]
    assert entry.actor_label == "cuihu_worker"
