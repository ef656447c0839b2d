"""When a resident's data is erased (PIPL art. 47), their documents and facts go too.

The residents app erases a record by blanking it and setting ``erased_at``; this receiver,
connected in ``apps.py``, runs in the same transaction: document rows are deleted at once and
their encrypted files once the transaction commits. Applications stay (type, state, area) for
suppressed statistics; the child's link is already gone with the household member.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sihai.applications import documents
from sihai.applications.models import Document, ResidentFacts


def on_resident_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "erased_at", None) is None:
        return
    names = list(Document.objects.filter(resident=instance).values_list("storage_name", flat=True))
    Document.objects.filter(resident=instance).delete()
    ResidentFacts.objects.filter(resident=instance).delete()

    def remove_files() -> None:
        for name in names:
            documents.remove(name)

    transaction.on_commit(remove_files)
