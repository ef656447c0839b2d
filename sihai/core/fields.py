"""Model fields for personal data: encrypted values and their blind indexes.

``EncryptedTextField`` stores ciphertext (see :mod:`sihai.core.crypto`) and gives
the model plaintext. It refuses every lookup except ``isnull``: an encrypted
column cannot be searched, so a search goes through a ``BlindIndexField``.

``BlindIndexField(source="phone", normaliser=normalise_phone)`` keeps an HMAC of
the normalised source value, computed on save, so ``filter(phone_index=...)``
finds exact matches without the database ever seeing the plaintext.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Lookup

from sihai.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Plaintext in Python, SM4-GCM (or AES-GCM) ciphertext in the database."""

    description = "Encrypted text"

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        # The column's identity is the associated data: ciphertext moved to another column fails.
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value: Any) -> str | None:
        # Nothing and the empty string are stored as they are: there is no secret in them,
        # and a blank optional field (an address not given) costs no encryption.
        if value is None or value == "":
            return None if value is None else ""
        if isinstance(value, crypto.Ciphertext):
            # Already encrypted by the caller (key rotation); anything else is plaintext,
            # even if it happens to look like ciphertext.
            return str(value)
        return crypto.encrypt(str(value), context=self.crypto_context)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name != "isnull":
            msg = f"{self.crypto_context} is encrypted: search it through its blind index"
            raise TypeError(msg)
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC-SM3 of a normalised source field, recomputed on every save."""

    def __init__(
        self,
        *args: Any,
        source: str = "",
        normaliser: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normaliser = normaliser
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.purpose = f"{cls._meta.label_lower}.{self.source}"

    def index_of(self, value: str) -> str:
        """The index a plaintext value would have (for lookups: ``filter(phone_index=...)``)."""
        normalised = self.normaliser(value) if self.normaliser else value
        return crypto.blind_index(normalised, purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = getattr(model_instance, self.source)
        index = None if value in (None, "") else self.index_of(str(value))
        setattr(model_instance, self.attname, index)
        return index
