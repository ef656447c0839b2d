"""Key rotation: every encrypted value moves to the new key; interrupted runs resume."""

import base64
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from sihai.accounts.models import ResidentAccount
from sihai.audit.models import AuditEntry
from sihai.core import crypto
from sihai.core.rotation import rotate_model

pytestmark = pytest.mark.django_db
NEW_KEYS = (
    crypto.demo_keyring_spec("test")
    + ",k2027:sm4-gcm:"
    + base64.b64encode(b"new-key-16-bytes").decode()
)


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    crypto.keyring.cache_clear()
    yield
    crypto.keyring.cache_clear()


def _raw_phones() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_residentaccount ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _accounts(n: int) -> list[ResidentAccount]:
    return [
        ResidentAccount.objects.create(phone=f"+861391234{i:04d}", created_via="self")
        for i in range(n)
    ]


def test_rotation_moves_every_value_and_keeps_the_plaintext() -> None:
    accounts = _accounts(7)
    assert all(v.startswith("e1$demo1$") for v in _raw_phones())
    with override_settings(SIHAI_FIELD_KEYS=NEW_KEYS, SIHAI_FIELD_KEY_ACTIVE="k2027"):
        crypto.keyring.cache_clear()
        out = io.StringIO()
        call_command("rotate_keys", "--batch-size", "3", stdout=out)
        assert all(v.startswith("e1$k2027$") for v in _raw_phones())
        assert [a.phone for a in ResidentAccount.objects.order_by("id")] == [
            a.phone for a in accounts
        ]
        assert "accounts.ResidentAccount: 7 of 7 rows re-encrypted" in out.getvalue()
        # A second run finds nothing left to do.
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)
        assert "accounts.ResidentAccount: 0 of 7 rows re-encrypted" in again.getvalue()
    assert AuditEntry.objects.filter(action="core.keys_rotated").count() == 2


def test_an_interrupted_rotation_resumes() -> None:
    _accounts(5)
    with override_settings(SIHAI_FIELD_KEYS=NEW_KEYS, SIHAI_FIELD_KEY_ACTIVE="k2027"):
        crypto.keyring.cache_clear()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, phone FROM accounts_residentaccount ORDER BY id LIMIT 2")
            first_two = cursor.fetchall()
        # Simulate a run that stopped after two rows: move them by hand.
        for pk, token in first_two:
            plain = crypto.decrypt(token, context="accounts.residentaccount.phone")
            ResidentAccount.objects.filter(pk=pk).update(
                phone=crypto.Ciphertext(
                    crypto.encrypt(plain, context="accounts.residentaccount.phone")
                )
            )
        report = rotate_model(
            ResidentAccount, [ResidentAccount._meta.get_field("phone")], batch_size=2
        )
        assert (report.examined, report.rotated) == (5, 3)
        assert all(v.startswith("e1$k2027$") for v in _raw_phones())


def test_encrypted_fields_cannot_be_searched() -> None:
    with pytest.raises(TypeError, match="blind index"):
        ResidentAccount.objects.filter(phone="+8613912340000").count()
