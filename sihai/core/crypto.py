"""Field encryption and blind indexes (GB/T 39786 commercial cryptography).

Personal identifiers (ID numbers, phone numbers) and sensitive categories are
stored encrypted: SM4-GCM by default, AES-256-GCM as the alternative, a random
96-bit nonce per value, and the column's name as associated data so a value
copied into another column does not decrypt. Each stored value names the key
that encrypted it, so keys can be rotated (``sihai rotate-keys``) without a
flag day:

    e1$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>

Exact-match lookup (find a resident by ID number) uses a blind index: an
HMAC-SM3 of the normalised value under a separate key, with the purpose mixed
in so the same phone number gives unrelated indexes in different tables.

Keys come only from the environment (``SIHAI_FIELD_KEYS``,
``SIHAI_FIELD_KEY_ACTIVE``, ``SIHAI_BLIND_INDEX_KEY``); the demo, local and
test settings derive fixed, published keys and say so. See
docs/adr/0004-field-encryption.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "e1"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = {"sm4-gcm": 16, "aes-256-gcm": 32}


class Ciphertext(str):
    """A value that is already encrypted (key rotation writes these); stored as it is."""

    __slots__ = ()


class DecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key, wrong column or tampered bytes."""


@dataclass(frozen=True)
class FieldKey:
    key_id: str
    algorithm: str
    secret: bytes = b""

    def __repr__(self) -> str:  # never print key material
        return f"FieldKey({self.key_id!r}, {self.algorithm!r})"


def parse_keyring(spec: str) -> dict[str, FieldKey]:
    """Parse ``id:algorithm:base64key[,id:algorithm:base64key...]``."""
    keys: dict[str, FieldKey] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        try:
            key_id, algorithm, encoded = item.split(":", 2)
            secret = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error) as exc:
            msg = "SIHAI_FIELD_KEYS entries are id:algorithm:base64key (e.g. k1:sm4-gcm:...)"
            raise ImproperlyConfigured(msg) from exc
        if algorithm not in KEY_BYTES:
            msg = f"SIHAI_FIELD_KEYS: unknown algorithm {algorithm!r} (use sm4-gcm or aes-256-gcm)"
            raise ImproperlyConfigured(msg)
        if len(secret) != KEY_BYTES[algorithm]:
            size = KEY_BYTES[algorithm]
            msg = f"SIHAI_FIELD_KEYS: key {key_id!r} must be {size} bytes for {algorithm}"
            raise ImproperlyConfigured(msg)
        if not key_id.isalnum():
            msg = f"SIHAI_FIELD_KEYS: key id {key_id!r} must be letters and digits only"
            raise ImproperlyConfigured(msg)
        keys[key_id] = FieldKey(key_id, algorithm, secret)
    return keys


def demo_keyring_spec(label: str) -> str:
    """Keys derived from a published label, for demo/local/test settings only (not secret!)."""
    sm4 = hashlib.sha256(f"sihai-demo-sm4:{label}".encode()).digest()[:16]
    aes = hashlib.sha256(f"sihai-demo-aes:{label}".encode()).digest()
    return (
        f"demo1:sm4-gcm:{base64.b64encode(sm4).decode()},"
        f"demo2:aes-256-gcm:{base64.b64encode(aes).decode()}"
    )


def demo_blind_index_key(label: str) -> str:
    return base64.b64encode(hashlib.sha256(f"sihai-demo-index:{label}".encode()).digest()).decode()


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, FieldKey]
    active: FieldKey
    index_key: bytes


@cache
def keyring() -> Keyring:
    """The configured keys, parsed once per process (tests clear the cache after overriding)."""
    keys = parse_keyring(settings.SIHAI_FIELD_KEYS)
    active_id = settings.SIHAI_FIELD_KEY_ACTIVE
    if active_id not in keys:
        msg = f"SIHAI_FIELD_KEY_ACTIVE={active_id!r} names no key in SIHAI_FIELD_KEYS"
        raise ImproperlyConfigured(msg)
    try:
        index_key = base64.b64decode(settings.SIHAI_BLIND_INDEX_KEY, validate=True)
    except binascii.Error as exc:
        msg = "SIHAI_BLIND_INDEX_KEY must be base64"
        raise ImproperlyConfigured(msg) from exc
    if len(index_key) < 32:
        msg = "SIHAI_BLIND_INDEX_KEY must be at least 32 bytes"
        raise ImproperlyConfigured(msg)
    return Keyring(keys, keys[active_id], index_key)


def _gcm(key: FieldKey, nonce: bytes, tag: bytes | None = None) -> Cipher[modes.GCM]:
    algorithm = (
        algorithms.SM4(key.secret) if key.algorithm == "sm4-gcm" else algorithms.AES(key.secret)
    )
    return Cipher(algorithm, modes.GCM(nonce, tag))


def encrypt(plaintext: str, *, context: str, key: FieldKey | None = None) -> str:
    """Encrypt ``plaintext`` for the column named ``context`` under the active (or given) key."""
    key = key or keyring().active
    nonce = os.urandom(NONCE_BYTES)
    encryptor = _gcm(key, nonce).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plaintext.encode()) + encryptor.finalize() + encryptor.tag
    return f"{PREFIX}${key.key_id}${base64.urlsafe_b64encode(nonce + body).decode().rstrip('=')}"


def key_id_of(token: str) -> str:
    """The id of the key that encrypted a stored value."""
    parts = token.split("$")
    if len(parts) != 3 or parts[0] != PREFIX:
        msg = "not an encrypted value"
        raise DecryptionError(msg)
    return parts[1]


def decrypt(token: str, *, context: str) -> str:
    """Decrypt a stored value; raises :class:`DecryptionError`, never returns garbage."""
    key_id = key_id_of(token)
    key = keyring().keys.get(key_id)
    if key is None:
        msg = f"no key {key_id!r} in SIHAI_FIELD_KEYS"
        raise DecryptionError(msg)
    encoded = token.split("$", 2)[2]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError) as exc:
        msg = "malformed encrypted value"
        raise DecryptionError(msg) from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        msg = "malformed encrypted value"
        raise DecryptionError(msg)
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = _gcm(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        msg = "encrypted value failed authentication (tampered, or from another column)"
        raise DecryptionError(msg) from exc


def blind_index(normalised: str, *, purpose: str) -> str:
    """HMAC-SM3 of an already normalised value, separated by purpose (64 hex characters)."""
    mac = hmac.HMAC(keyring().index_key, hashes.SM3())
    mac.update(purpose.encode() + b"\x00" + normalised.encode())
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    """SM3 digest (GB/T 32905), hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


BYTES_PREFIX = b"e1b$"


def encrypt_bytes(data: bytes, *, context: str, key: FieldKey | None = None) -> bytes:
    """Encrypt a file's bytes (an uploaded register) like a field: ``e1b$<key id>$`` + raw
    nonce ‖ ciphertext ‖ tag, with ``context`` as associated data."""
    key = key or keyring().active
    nonce = os.urandom(NONCE_BYTES)
    encryptor = _gcm(key, nonce).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(data) + encryptor.finalize()
    return BYTES_PREFIX + key.key_id.encode() + b"$" + nonce + body + encryptor.tag


def decrypt_bytes(token: bytes, *, context: str) -> bytes:
    """Decrypt what :func:`encrypt_bytes` made; raises :class:`DecryptionError`."""
    if not token.startswith(BYTES_PREFIX) or b"$" not in token[len(BYTES_PREFIX) :]:
        msg = "not encrypted bytes"
        raise DecryptionError(msg)
    key_id, raw = token[len(BYTES_PREFIX) :].split(b"$", 1)
    key = keyring().keys.get(key_id.decode(errors="replace"))
    if key is None:
        msg = f"no key {key_id!r} in SIHAI_FIELD_KEYS"
        raise DecryptionError(msg)
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        msg = "malformed encrypted bytes"
        raise DecryptionError(msg)
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = _gcm(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        msg = "encrypted bytes failed authentication (tampered, or another context)"
        raise DecryptionError(msg) from exc
