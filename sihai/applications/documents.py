"""Document files: checked by their content, stored encrypted on disk, read back for a view.

What a file *is* is decided by its first bytes (PDF, JPEG, PNG), never by its name, so an
executable renamed ``.pdf`` is refused. The size is checked from the request's declared
length before anything is read, and again while reading, in chunks.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sihai.core import crypto
from sihai.core.errors import InvalidInput

# (magic bytes, content type): the only kinds of file a document may be.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def max_bytes() -> int:
    return int(settings.SIHAI_DOCUMENT_MAX_BYTES)


def too_large_error() -> InvalidInput:
    return InvalidInput(
        _("The file is larger than %(mb)d MB: scan it at a lower resolution or as a PDF.")
        % {"mb": max_bytes() // 1_000_000},
        code="document.too_large",
    )


def check_declared_size(content_length: str | int | None) -> None:
    """Refuse an upload whose declared length is over the limit, before reading its body."""
    try:
        declared = int(content_length or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes() + 64_000:  # the multipart envelope around the file
        raise too_large_error()


def read_limited(chunks: Iterable[bytes]) -> bytes:
    """Join the file's chunks, stopping as soon as the limit is passed."""
    data = bytearray()
    for chunk in chunks:
        data.extend(chunk)
        if len(data) > max_bytes():
            raise too_large_error()
    return bytes(data)


def sniff(data: bytes) -> str:
    """The content type the bytes really are, or InvalidInput."""
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    raise InvalidInput(
        _("This file is not a PDF, JPEG or PNG (whatever its name says): upload a scan or photo."),
        code="document.type",
    )


def _root() -> Path:
    root = Path(settings.SIHAI_DOCUMENT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _context(storage_name: str) -> str:
    return f"applications.document.{storage_name}"


def store(data: bytes) -> str:
    """Write the encrypted bytes to a new file; its storage name."""
    name = secrets.token_hex(16)
    (_root() / name).write_bytes(crypto.encrypt_bytes(data, context=_context(name)))
    return name


def load(storage_name: str) -> bytes:
    return crypto.decrypt_bytes(
        (_root() / storage_name).read_bytes(), context=_context(storage_name)
    )


def remove(storage_name: str) -> None:
    (_root() / storage_name).unlink(missing_ok=True)
