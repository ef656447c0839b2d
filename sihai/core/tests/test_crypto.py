"""Field encryption, blind indexes and the identity normalisers."""

import base64
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation

from sihai.core import crypto
from sihai.core.errors import InvalidInput
from sihai.core.identity import mask_phone, normalise_id_number, normalise_phone


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    crypto.keyring.cache_clear()
    yield
    crypto.keyring.cache_clear()


@pytest.mark.parametrize("key_id", ["demo1", "demo2"])
def test_round_trip_with_sm4_and_aes(key_id: str) -> None:
    key = crypto.keyring().keys[key_id]
    token = crypto.encrypt("11010519491231002X", context="residents.resident.id_number", key=key)
    assert token.startswith(f"e1${key_id}$")
    assert "11010519491231002X" not in token
    assert crypto.decrypt(token, context="residents.resident.id_number") == "11010519491231002X"


def test_default_algorithm_is_sm4_gcm() -> None:
    assert crypto.keyring().active.algorithm == "sm4-gcm"


def test_each_encryption_uses_a_fresh_nonce() -> None:
    a = crypto.encrypt("13800000000", context="x.y")
    b = crypto.encrypt("13800000000", context="x.y")
    assert a != b


def test_a_value_moved_to_another_column_does_not_decrypt() -> None:
    token = crypto.encrypt("13800000000", context="accounts.residentaccount.phone")
    with pytest.raises(crypto.DecryptionError, match="failed authentication"):
        crypto.decrypt(token, context="residents.resident.phone")


def test_a_tampered_value_does_not_decrypt() -> None:
    token = crypto.encrypt("13800000000", context="x.y")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(flipped, context="x.y")


@pytest.mark.parametrize(
    "garbage", ["", "plain", "e1$demo1$", "e1$nokey$AAAA", "e1$demo1$!!!!", "e2$demo1$AAAA"]
)
def test_garbage_is_refused_not_returned(garbage: str) -> None:
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(garbage, context="x.y")


def test_blind_index_is_deterministic_and_separated_by_purpose() -> None:
    a = crypto.blind_index("+8613800000000", purpose="accounts.residentaccount.phone")
    assert a == crypto.blind_index("+8613800000000", purpose="accounts.residentaccount.phone")
    assert a != crypto.blind_index("+8613800000000", purpose="residents.resident.phone")
    assert len(a) == 64


def test_sm3_matches_the_standard_test_vector() -> None:
    # GB/T 32905-2016 appendix A, example 1: SM3("abc").
    assert (
        crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("k1:des:AAAA", "unknown algorithm"),
        ("k1:sm4-gcm:" + base64.b64encode(b"8 bytes!").decode(), "must be 16 bytes"),
        ("k1-x:sm4-gcm:" + base64.b64encode(b"sixteen bytes!!!").decode(), "letters and digits"),
        ("nonsense", "id:algorithm:base64key"),
    ],
)
def test_bad_key_configuration_is_refused(spec: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_keyring(spec)


def test_an_active_key_that_does_not_exist_is_refused() -> None:
    with override_settings(SIHAI_FIELD_KEY_ACTIVE="nope"), pytest.raises(ImproperlyConfigured):
        crypto.keyring()


def test_repr_of_a_key_shows_no_secret() -> None:
    key = crypto.keyring().active
    assert base64.b64encode(key.secret).decode() not in repr(key)
    assert key.secret.hex() not in repr(key)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("110105-19491231-002x", "11010519491231002X"),
    ],
)
def test_id_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "zh"),
    [
        ("110105194912310021", "id.check_digit", "最后一位校验码不正确"),
        ("110105194902300026", "id.birth_date", "出生日期不存在"),
        ("110105209901010013", "id.birth_date", "出生日期不可能"),
        ("11010519491231002", "id.format", "18 位"),
        ("11010519491231002Y", "id.format", "18 位"),
        ("", "id.format", "18 位"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_clear_message(raw: str, code: str, zh: str) -> None:
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as caught:
        normalise_id_number(raw)
    assert caught.value.code == code
    assert zh in str(caught.value.message)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "１３８１２３４５６７８",
        "008613812345678",
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+8613812345678"


@pytest.mark.parametrize("raw", ["", "12345", "abc", "1381234567", "+86 0000"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_phone(raw)


def test_masked_phone() -> None:
    assert mask_phone("+8613812345678") == "138****5678"


@pytest.mark.django_db
def test_text_that_looks_like_ciphertext_is_still_encrypted() -> None:
    from sihai.accounts.models import ResidentAccount  # noqa: PLC0415  (a model with an encrypted field)

    account = ResidentAccount.objects.create(
        phone="e1$demo1$notreallyciphertext", created_via="self"
    )
    account.refresh_from_db()
    assert account.phone == "e1$demo1$notreallyciphertext"
